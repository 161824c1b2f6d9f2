// The command line of the MNIST training demos (demo:cnn, demo:functional, demo:sequences,
// demo:augment): the slide demos' --backend (same parser), --epochs, --batch-size and --seed as
// the lab reads them, and, for a demo that writes pictures, the lab's --out.
import { resolve } from 'node:path';
import { defaultRunFolder, LAB_SEED, NODE_BACKENDS, parseBackend, parseSeed, setOutFolder } from '../lab/cli.js';
import type { Command, ParsedCommand } from '../lab/command.js';
import { invocationDir, parseFlags, positiveInteger, type Setter } from '../lab/flags.js';
import { prepareOutputPaths } from '../lab/output-path.js';
import type { TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';

export interface TrainingDemoOptions extends TrainingDemoSettings {
  /** null: the fastest backend available here. */
  backend: string | null;
}

const DEFAULTS = { epochs: 1, batchSize: 32 };

/** The usage of `npm run <script>`; `summary` says what the demo trains and prints, `writes` what it puts in --out (none: no --out). */
export function trainingDemoUsage(script: string, summary: string, writes?: string): string {
  const out = writes === undefined ? '' : `  --out DIR             where ${writes.padEnd(35)}(default: runs/<timestamp>)\n`;
  return `Usage: npm run ${script} -- [flags]

${summary}

  --backend NAME        ${NODE_BACKENDS.join(' | ')} (default: the fastest one available)
  --epochs N            training epochs                                (default: ${DEFAULTS.epochs})
  --batch-size N        samples per batch                              (default: ${DEFAULTS.batchSize})
  --seed N              seed for weights and shuffling                 (default: ${LAB_SEED})
${out}  --help                print this and exit
`;
}

const SETTERS: Record<string, Setter<TrainingDemoOptions>> = {
  '--backend': (o, flag, value) => {
    o.backend = parseBackend(flag, value);
  },
  '--epochs': (o, flag, value) => {
    o.epochs = positiveInteger(flag, value);
  },
  '--batch-size': (o, flag, value) => {
    o.batchSize = positiveInteger(flag, value);
  },
  '--seed': (o, flag, value) => {
    o.seed = parseSeed(flag, value);
  },
};

/** The options of a demo that writes nothing, or with `out` (default runs/<timestamp>, a relative one from `cwd`) of one that does. */
export function parseTrainingDemoArgs(argv: readonly string[], now = new Date(), cwd = invocationDir(), writesFiles = false): ParsedCommand<TrainingDemoOptions> {
  const options: TrainingDemoOptions = { backend: null, ...DEFAULTS, seed: LAB_SEED, ...(writesFiles ? { out: defaultRunFolder(now, cwd) } : {}) };
  const setters = writesFiles ? { ...SETTERS, '--out': setOutFolder as Setter<TrainingDemoOptions> } : SETTERS;
  const parsed = parseFlags(argv, setters, options);
  if (parsed.kind === 'help' || parsed.options.out === undefined) return parsed;
  return { kind: 'run', options: { ...parsed.options, out: resolve(cwd, parsed.options.out) } };
}

/** A demo's run, as its module exports it (runCnnDemo, runFunctionalDemo, runSequencesDemo, runAugmentDemo). */
export type TrainingDemo = (settings: TrainingDemoSettings, print: Print) => Promise<unknown>;

/**
 * The command behind a demo's bin: these flags, then the backend chosen and the demo run.
 * `loadDemo` imports the demo only then, so --help and bad flags answer without loading the
 * backends or the data. `writes`: what the demo writes into --out, for a demo that writes pictures;
 * the folder is checked and made before anything loads.
 */
export function trainingDemoCommand(script: string, summary: string, loadDemo: () => Promise<TrainingDemo>, writes?: string): Command<TrainingDemoOptions> {
  return {
    usage: trainingDemoUsage(script, summary, writes),
    parse: (argv) => parseTrainingDemoArgs(argv, new Date(), invocationDir(), writes !== undefined),
    async run({ backend, ...settings }) {
      if (settings.out !== undefined) await prepareOutputPaths([{ path: settings.out, kind: 'folder', option: 'out' }]);
      const [{ registerNodeBackends, useBackend }, runDemo] = await Promise.all([import('../backends.js'), loadDemo()]);
      for (const problem of await registerNodeBackends()) console.warn(problem);
      console.log(`Backend: ${await useBackend(backend)}\n`);
      await runDemo(settings, console.log);
    },
  };
}
