// The command line of the lab's slide demos (demo:tape, demo:losses, demo:vectorization):
// --backend NAME as the lab takes it, and --help.
import { NODE_BACKENDS, parseBackend } from '../lab/cli.js';
import type { ParsedCommand } from '../lab/command.js';
import { parseFlags, type Setter } from '../lab/flags.js';

export interface DemoOptions {
  /** null: the demo's default (the fastest backend, or every one). */
  backend: string | null;
}

/** The usage of `npm run <script>`; `backendDefault` says what runs without --backend. */
export function demoUsage(script: string, summary: string, backendDefault: string): string {
  return `Usage: npm run ${script} -- [--backend NAME]

${summary}

  --backend NAME        ${NODE_BACKENDS.join(' | ')} (default: ${backendDefault})
  --help                print this and exit
`;
}

const SETTERS: Record<string, Setter<DemoOptions>> = {
  '--backend': (o, flag, value) => {
    o.backend = parseBackend(flag, value);
  },
};

/** Reads the demo flags; a name given alone first (`npm run demo:tape naive`, as the README once showed) is the backend. */
export function parseDemoArgs(argv: readonly string[]): ParsedCommand<DemoOptions> {
  const first = argv[0];
  const args = first !== undefined && !first.startsWith('-') ? ['--backend', ...argv] : argv;
  const defaults: DemoOptions = { backend: null };
  return parseFlags(args, SETTERS, defaults);
}
