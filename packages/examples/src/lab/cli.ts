import { join, resolve } from 'node:path';

export const MODES = ['high', 'low'] as const;
export type Mode = (typeof MODES)[number];
/** The backends the lab can run on in Node (tfjs-webgl needs a browser). */
export const NODE_BACKENDS = ['simd', 'naive', 'tfjs-cpu', 'tfjs-wasm'] as const;

export interface LabOptions {
  /** null: the fastest backend available here, chosen at run time. */
  backend: string | null;
  mode: Mode;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  hidden: number[];
  out: string;
  /** Where to write the trained model as ONNX, or null. */
  exportOnnx: string | null;
}

export type ParsedArgs = { kind: 'help' } | { kind: 'run'; options: LabOptions };

/** A bad command line; the CLI prints the message and the usage and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm start -- [flags]    (or: npm run lab -w @perceptron/examples -- [flags])

Trains the lab's multilayer perceptron on MNIST and writes plots and a report.

  --backend NAME        ${NODE_BACKENDS.join(' | ')} (default: the fastest one available)
  --mode MODE           high (compile/fit) | low (GradientTape loop)   (default: high)
  --epochs N            training epochs                                (default: 5)
  --batch-size N        samples per batch                              (default: 32)
  --learning-rate X     Adam's learning rate                           (default: 1e-3)
  --seed N              seed for weights and shuffling                 (default: 91195003)
  --hidden A,B,...      hidden layer sizes                             (default: 16,32)
  --out DIR             where plots and report.json go                 (default: runs/<timestamp>)
  --export-onnx PATH    after training, write the model as ONNX to PATH (serve it: npm run demo:serve -- --model PATH)
  --help                print this and exit
`;

function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag}: expected a positive integer, got '${value}'`);
  }
  return n;
}

/** A seed as `setSeed` takes it: an unsigned 32-bit integer. */
export function parseSeed(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 0xffffffff) throw new UsageError(`${flag}: expected an integer in [0, 4294967295], got '${value}'`);
  return n;
}

type Setter = (options: LabOptions, flag: string, value: string) => void;

const SETTERS: Record<string, Setter> = {
  '--backend': (o, flag, value) => {
    if (!(NODE_BACKENDS as readonly string[]).includes(value)) {
      throw new UsageError(`${flag}: expected one of ${NODE_BACKENDS.join(', ')}, got '${value}'`);
    }
    o.backend = value;
  },
  '--mode': (o, flag, value) => {
    if (!(MODES as readonly string[]).includes(value)) throw new UsageError(`${flag}: expected one of ${MODES.join(', ')}, got '${value}'`);
    o.mode = value as Mode;
  },
  '--epochs': (o, flag, value) => {
    o.epochs = positiveInteger(flag, value);
  },
  '--batch-size': (o, flag, value) => {
    o.batchSize = positiveInteger(flag, value);
  },
  '--learning-rate': (o, flag, value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a positive number, got '${value}'`);
    o.learningRate = n;
  },
  '--seed': (o, flag, value) => {
    o.seed = parseSeed(flag, value);
  },
  '--hidden': (o, flag, value) => {
    const parts = value.split(',');
    if (parts.some((p) => !/^\d+$/.test(p.trim()) || Number(p) < 1)) {
      throw new UsageError(`${flag}: expected comma-separated positive layer sizes such as 16,32, got '${value}'`);
    }
    o.hidden = parts.map(Number);
  },
  '--out': (o, flag, value) => {
    if (value === '') throw new UsageError(`${flag}: expected a directory, got ''`);
    o.out = value;
  },
  '--export-onnx': (o, flag, value) => {
    if (value === '') throw new UsageError(`${flag}: expected a file path, got ''`);
    o.exportOnnx = value;
  },
};

/**
 * Where the user typed the command: npm runs workspace scripts inside the package folder but
 * keeps the caller's folder in INIT_CWD, so `npm start` at the root writes to ./runs there.
 */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

export function defaultOptions(now = new Date(), cwd = invocationDir()): LabOptions {
  return {
    backend: null,
    mode: 'high',
    epochs: 5,
    batchSize: 32,
    learningRate: 1e-3,
    seed: 91195003,
    hidden: [16, 32],
    out: join(cwd, 'runs', timestamp(now)),
    exportOnnx: null,
  };
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

/**
 * Parses `--flag value` and `--flag=value`; throws UsageError naming the flag and the value.
 * A relative --out or --export-onnx is taken from `cwd`.
 */
export function parseLabArgs(argv: readonly string[], now = new Date(), cwd = invocationDir()): ParsedArgs {
  const options = defaultOptions(now, cwd);
  for (let i = 0; i < argv.length;) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const { flag, readValue } = flagAt(argv, i);
    const setter = SETTERS[flag];
    if (!setter) throw new UsageError(arg.startsWith('-') ? `unknown flag '${flag}'` : `unexpected argument '${arg}'`);
    const { value, used } = readValue();
    setter(options, flag, value);
    i += used;
  }
  const exportOnnx = options.exportOnnx === null ? null : resolve(cwd, options.exportOnnx);
  return { kind: 'run', options: { ...options, out: resolve(cwd, options.out), exportOnnx } };
}
