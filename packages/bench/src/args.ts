/** The command line of `npm run bench`. */
import { MODELS, MODEL_NAMES } from './workloads.js';

/** Each training workload is a part of its own, then predict and ops. */
export const PARTS = [...MODEL_NAMES, 'predict', 'ops'] as const;
export type Part = (typeof PARTS)[number];

export const STACKS = ['perceptron', 'plain-js', 'tfjs'] as const;
export type Stack = (typeof STACKS)[number];

export interface BenchOptions {
  /** Short measurements for development: QUICK_STEPS steps per epoch, QUICK_PREDICT_IMAGES images. */
  quick: boolean;
  /** Which parts to run, in PARTS order. */
  only: Part[];
  /** Backend names to keep (Perceptron and tfjs; plain-js has none), or null for every one. */
  backends: string[] | null;
  stacks: Stack[];
  /** Measured epochs (or samples) after the warm-up. */
  repeats: number;
  /** Also run the cells skipped by default because they take minutes per epoch. */
  all: boolean;
  /** Steps per measured epoch (a prefix of the training set), or null for the full epoch. */
  steps: number | null;
  /** Test images for predict, or null for all of them. */
  predictImages: number | null;
  /** compile's stepsPerExecution for Perceptron's training cells. */
  stepsPerExecution: number;
  /** Where the JSON and PNG go; null means the package's bench-results folder. */
  outDir: string | null;
  help: boolean;
}

export const QUICK_STEPS = 200;
export const QUICK_PREDICT_IMAGES = 1000;

/** The --steps-per-execution line of both commands' usage. */
export const STEPS_PER_EXECUTION_USAGE = `--steps-per-execution N
                       Perceptron's training steps per execution (compile's stepsPerExecution; default 1): its
                       losses and metrics are read once per N steps`;

export const USAGE = `Usage: npm run bench -w @perceptron/bench -- [options]

  --quick              short runs for development (${QUICK_STEPS} steps per epoch, ${QUICK_PREDICT_IMAGES} predict images)
  --only PARTS         comma list of ${PARTS.join(', ')} (default: all):
                       lab, wide, sequence, separable: training the ${MODELS.lab.title}, the ${MODELS.wide.title},
                         the ${MODELS.sequence.title} (no plain-js),
                         the ${MODELS.separable.title} (no plain-js);
                       predict: images/s of every workload's predict; ops: add dispatch and matMul GFLOP/s
  --backends NAMES     comma list of backends, e.g. naive,tfjs-wasm (default: every available one)
  --stacks NAMES       comma list of ${STACKS.join(', ')} (tfjs = tfjs-layers for training/predict, tfjs-core for ops;
                       plain-js = the hand-written Float32Array loop, which --backends does not filter)
  --repeats N          measured epochs / samples after one warm-up (default 3)
  --all                include the cells skipped by default as too slow (training: wide MLP on naive, tfjs-cpu,
                       plain-js; sequence LSTM on naive, tfjs-cpu; separable CNN on naive, tfjs-cpu, tfjs-wasm;
                       predict: sequence LSTM and separable CNN on naive, tfjs-cpu);
                       plain-js has no LSTM or CNN and stays skipped
  --steps N            steps per measured epoch (default: the full epoch; ${QUICK_STEPS} with --quick)
  --predict-images N   test images for predict (default 10000; ${QUICK_PREDICT_IMAGES} with --quick)
  ${STEPS_PER_EXECUTION_USAGE}
  --out DIR            output folder (default: packages/bench/bench-results)
  --help               this text`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new UsageError(`${flag} expects a positive integer, got '${text}'`);
  }
  return value;
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[] | null): T[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${flag} expects a comma-separated list, got '${text}'`);
  if (allowed) {
    const bad = items.find((item) => !(allowed as readonly string[]).includes(item));
    if (bad !== undefined) throw new UsageError(`${flag}: unknown value '${bad}'; expected some of ${allowed.join(', ')}`);
  }
  return [...new Set(items)] as T[];
}

const VALUE_FLAGS = ['--only', '--backends', '--stacks', '--repeats', '--steps', '--predict-images', '--steps-per-execution', '--out'] as const;
const SWITCHES = ['--quick', '--all', '--help'] as const;

/** What a command accepts for --only and --stacks; each list is also the default when the flag is absent. */
export interface ArgsScope {
  parts: readonly Part[];
  stacks: readonly Stack[];
}

/** `npm run bench`: every part and every stack. */
export const NODE_SCOPE: ArgsScope = { parts: PARTS, stacks: STACKS };

/** Parses argv (without node and the script); `--flag value` and `--flag=value` both work. */
export function parseArgs(argv: readonly string[], scope: ArgsScope = NODE_SCOPE): BenchOptions {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if ((SWITCHES as readonly string[]).includes(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value, got '${arg}'`);
      switches.add(flag);
    } else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} expects a value`);
      if (values.has(flag)) throw new UsageError(`${flag} given twice`);
      values.set(flag, value);
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  const quick = switches.has('--quick');
  const get = (flag: string): string | undefined => values.get(flag);
  const only = get('--only');
  const onlyParts = only === undefined ? scope.parts : list<Part>('--only', only, scope.parts);
  return {
    quick,
    only: PARTS.filter((p) => onlyParts.includes(p)),
    backends: get('--backends') === undefined ? null : list<string>('--backends', get('--backends')!, null),
    stacks: get('--stacks') === undefined ? [...scope.stacks] : list<Stack>('--stacks', get('--stacks')!, scope.stacks),
    repeats: get('--repeats') === undefined ? 3 : positiveInteger('--repeats', get('--repeats')!),
    all: switches.has('--all'),
    steps: get('--steps') !== undefined ? positiveInteger('--steps', get('--steps')!) : quick ? QUICK_STEPS : null,
    predictImages: get('--predict-images') !== undefined
      ? positiveInteger('--predict-images', get('--predict-images')!)
      : quick ? QUICK_PREDICT_IMAGES : null,
    stepsPerExecution: get('--steps-per-execution') === undefined ? 1 : positiveInteger('--steps-per-execution', get('--steps-per-execution')!),
    outDir: get('--out') ?? null,
    help: switches.has('--help'),
  };
}
