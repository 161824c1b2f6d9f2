import { join, resolve } from 'node:path';
import type { ParsedCommand } from './command.js';
import { invocationDir, isPositiveInteger, parseFlags, positiveInteger, UsageError, type Setter } from './flags.js';

/** The lab's two training modes: `high` is compile/fit/evaluate/predict, `low` the GradientTape loop. */
export const MODES = ['high', 'low'] as const;
export type Mode = (typeof MODES)[number];
/** The backends the lab can run on in Node (tfjs-webgl needs a browser). */
export const NODE_BACKENDS = ['simd', 'naive', 'tfjs-cpu', 'tfjs-wasm'] as const;
/** The lab's seed: what --seed defaults to, in the lab and in the training demos. */
export const LAB_SEED = 91195003;

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

/**
 * The widest hidden layer --hidden takes. Two such layers side by side hold 8192² float32
 * weights (256 MiB), and training keeps three more of that (the gradient, Adam's two slots):
 * about what a laptop can hold. A wider layer would fail only after the data has loaded, when
 * its weights cannot be allocated.
 */
export const MAX_LAYER_WIDTH = 8192;

/** The lab's usage text, printed with --help and after a bad flag. */
export const USAGE = `Usage: npm start -- [flags]    (or: npm run lab -w @perceptron/examples -- [flags])

Trains the lab's multilayer perceptron on MNIST and writes plots and a report.

  --backend NAME        ${NODE_BACKENDS.join(' | ')} (default: the fastest one available)
  --mode MODE           high (compile/fit) | low (GradientTape loop)   (default: high)
  --epochs N            training epochs                                (default: 5)
  --batch-size N        samples per batch                              (default: 32)
  --learning-rate X     Adam's learning rate                           (default: 1e-3)
  --seed N              seed for weights and shuffling                 (default: ${LAB_SEED})
  --hidden A,B,...      hidden layer sizes, each 1 to ${MAX_LAYER_WIDTH}             (default: 16,32)
  --out DIR             where plots and report.json go                 (default: runs/<timestamp>)
  --export-onnx PATH    after training, write the model as ONNX to PATH (serve it: npm run demo:serve -- --model PATH)
  --help                print this and exit
`;

/** Where a run writes unless told (`--out`): `runs/<timestamp>` in `cwd`. */
export function defaultRunFolder(now: Date, cwd: string): string {
  return join(cwd, 'runs', now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-'));
}

/** `--out DIR`: the folder a run writes into, taken from where the command was typed when relative. */
export const setOutFolder: Setter<{ out: string }> = (o, flag, value) => {
  if (value === '') throw new UsageError(`${flag}: expected a directory, got ''`);
  o.out = value;
};

/** A seed as `setSeed` takes it: an unsigned 32-bit integer. */
export function parseSeed(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 0xffffffff) throw new UsageError(`${flag}: expected an integer in [0, 4294967295], got '${value}'`);
  return n;
}

/** One of NODE_BACKENDS, as --backend takes it. */
export function parseBackend(flag: string, value: string): string {
  if (!(NODE_BACKENDS as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: expected one of ${NODE_BACKENDS.join(', ')}, got '${value}'`);
  }
  return value;
}

const SETTERS: Record<string, Setter<LabOptions>> = {
  '--backend': (o, flag, value) => {
    o.backend = parseBackend(flag, value);
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
    const parts = value.split(',').map((p) => p.trim());
    if (!parts.every((p) => isPositiveInteger(p, MAX_LAYER_WIDTH))) {
      throw new UsageError(`${flag}: expected comma-separated layer sizes from 1 to ${MAX_LAYER_WIDTH} such as 16,32, got '${value}'`);
    }
    o.hidden = parts.map(Number);
  },
  '--out': setOutFolder,
  '--export-onnx': (o, flag, value) => {
    if (value === '') throw new UsageError(`${flag}: expected a file path, got ''`);
    o.exportOnnx = value;
  },
};

/** The lab's settings before any flag: the lab's hyper-parameters, the fastest backend, and runs/<timestamp> for the output. */
export function defaultOptions(now = new Date(), cwd = invocationDir()): LabOptions {
  return {
    backend: null,
    mode: 'high',
    epochs: 5,
    batchSize: 32,
    learningRate: 1e-3,
    seed: LAB_SEED,
    hidden: [16, 32],
    out: defaultRunFolder(now, cwd),
    exportOnnx: null,
  };
}

/**
 * Parses `--flag value` and `--flag=value`; throws UsageError naming the flag and the value.
 * A relative --out or --export-onnx is taken from `cwd`.
 */
export function parseLabArgs(argv: readonly string[], now = new Date(), cwd = invocationDir()): ParsedCommand<LabOptions> {
  const parsed = parseFlags(argv, SETTERS, defaultOptions(now, cwd));
  if (parsed.kind === 'help') return parsed;
  const { options } = parsed;
  const exportOnnx = options.exportOnnx === null ? null : resolve(cwd, options.exportOnnx);
  return { kind: 'run', options: { ...options, out: resolve(cwd, options.out), exportOnnx } };
}
