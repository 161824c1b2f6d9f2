// The command line of the MNIST training demos (demo:cnn, demo:functional): the slide demos'
// --backend (same parser), and --epochs, --batch-size and --seed as the lab reads them.
import { LAB_SEED, NODE_BACKENDS, parseBackend, parseSeed } from '../lab/cli.js';
import type { Command, ParsedCommand } from '../lab/command.js';
import { parseFlags, positiveInteger, type Setter } from '../lab/flags.js';
import type { TrainingDemoResult, TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';

export interface TrainingDemoOptions extends TrainingDemoSettings {
  /** null: the fastest backend available here. */
  backend: string | null;
}

const DEFAULTS: TrainingDemoOptions = { backend: null, epochs: 1, batchSize: 32, seed: LAB_SEED };

/** The usage of `npm run <script>`; `summary` says what the demo trains and prints. */
export function trainingDemoUsage(script: string, summary: string): string {
  return `Usage: npm run ${script} -- [flags]

${summary}

  --backend NAME        ${NODE_BACKENDS.join(' | ')} (default: the fastest one available)
  --epochs N            training epochs                                (default: ${DEFAULTS.epochs})
  --batch-size N        samples per batch                              (default: ${DEFAULTS.batchSize})
  --seed N              seed for weights and shuffling                 (default: ${DEFAULTS.seed})
  --help                print this and exit
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

export function parseTrainingDemoArgs(argv: readonly string[]): ParsedCommand<TrainingDemoOptions> {
  return parseFlags(argv, SETTERS, { ...DEFAULTS });
}

/** A demo's run, as its module exports it (runCnnDemo, runFunctionalDemo). */
export type TrainingDemo = (settings: TrainingDemoSettings, print: Print) => Promise<TrainingDemoResult>;

/**
 * The command behind a demo's bin: these flags, then the backend chosen and the demo run.
 * `loadDemo` imports the demo only then, so --help and bad flags answer without loading the
 * backends or the data.
 */
export function trainingDemoCommand(script: string, summary: string, loadDemo: () => Promise<TrainingDemo>): Command<TrainingDemoOptions> {
  return {
    usage: trainingDemoUsage(script, summary),
    parse: parseTrainingDemoArgs,
    async run({ backend, ...settings }) {
      const [{ registerNodeBackends, useBackend }, runDemo] = await Promise.all([import('../backends.js'), loadDemo()]);
      for (const problem of await registerNodeBackends()) console.warn(problem);
      console.log(`Backend: ${await useBackend(backend)}\n`);
      await runDemo(settings, console.log);
    },
  };
}
