// The command line of demo:cnn: the slide demos' --backend (same parser), and --epochs and
// --batch-size as the lab reads them.
import { NODE_BACKENDS, parseBackend } from '../lab/cli.js';
import type { ParsedCommand } from '../lab/command.js';
import { parseFlags, positiveInteger, type Setter } from '../lab/flags.js';

export interface CnnDemoOptions {
  /** null: the fastest backend available here. */
  backend: string | null;
  epochs: number;
  batchSize: number;
}

export const CNN_USAGE = `Usage: npm run demo:cnn -- [flags]

Trains a small convolutional network on MNIST with fit (the Keras progress bar), then prints
its test accuracy and the training time per step.

  --backend NAME        ${NODE_BACKENDS.join(' | ')} (default: the fastest one available)
  --epochs N            training epochs                                (default: 1)
  --batch-size N        samples per batch                              (default: 32)
  --help                print this and exit
`;

const SETTERS: Record<string, Setter<CnnDemoOptions>> = {
  '--backend': (o, flag, value) => {
    o.backend = parseBackend(flag, value);
  },
  '--epochs': (o, flag, value) => {
    o.epochs = positiveInteger(flag, value);
  },
  '--batch-size': (o, flag, value) => {
    o.batchSize = positiveInteger(flag, value);
  },
};

export function parseCnnDemoArgs(argv: readonly string[]): ParsedCommand<CnnDemoOptions> {
  return parseFlags(argv, SETTERS, { backend: null, epochs: 1, batchSize: 32 });
}
