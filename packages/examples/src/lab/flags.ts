// The command-line pieces every tool of this package shares (the lab, the seed sweep, the
// demos): one reading of flags, of whole numbers and of relative paths, so they all answer alike.
import type { ParsedCommand } from './command.js';

/** A bad command line; the CLI prints the message and the usage and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Whether `value` is written as a whole number from 1 to `max`: digits only, so 1e3, 0x2, 2.0
 * and ' 7' are refused rather than read as something the user may not have meant.
 */
export function isPositiveInteger(value: string, max = Number.MAX_SAFE_INTEGER): boolean {
  return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max;
}

/** `value` as a whole number from 1 to `max`, or a UsageError naming `flag` and `value`. */
export function positiveInteger(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!isPositiveInteger(value, max)) {
    const expected = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new UsageError(`${flag}: expected ${expected}, got '${value}'`);
  }
  return Number(value);
}

/**
 * Where the user typed the command: npm runs workspace scripts inside the package folder but
 * keeps the caller's folder in INIT_CWD, so relative paths on the command line mean what the
 * user sees (`npm start` at the root writes to ./runs there).
 */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/**
 * The flag at argv[i], written `--flag value` or `--flag=value`, and a reader of its value that
 * says how many arguments it took (a UsageError naming the flag when the value is missing).
 */
export function flagAt(argv: readonly string[], i: number): { flag: string; readValue(): { value: string; used: number } } {
  const arg = argv[i]!;
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  const flag = eq > 0 ? arg.slice(0, eq) : arg;
  return {
    flag,
    readValue() {
      if (eq > 0) return { value: arg.slice(eq + 1), used: 1 };
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag}: missing value`);
      return { value: next, used: 2 };
    },
  };
}

/** Checks a flag's value and stores it in the options. */
export type Setter<T> = (options: T, flag: string, value: string) => void;

/**
 * Reads `--flag value` and `--flag=value` into `options` with the flag's setter; `--help` (or
 * `-h`) anywhere asks for the usage. An argument no setter takes is a UsageError naming it.
 */
export function parseFlags<T>(argv: readonly string[], setters: Readonly<Record<string, Setter<T>>>, options: T): ParsedCommand<T> {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  for (let i = 0; i < argv.length;) {
    const arg = argv[i]!;
    const { flag, readValue } = flagAt(argv, i);
    const setter = setters[flag];
    if (!setter) throw new UsageError(arg.startsWith('-') ? `unknown flag '${flag}'` : `unexpected argument '${arg}'`);
    const { value, used } = readValue();
    setter(options, flag, value);
    i += used;
  }
  return { kind: 'run', options };
}
