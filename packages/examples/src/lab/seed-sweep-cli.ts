import { parseLabArgs, parseSeed, type LabOptions } from './cli.js';
import { flagAt, invocationDir, UsageError } from './flags.js';
import type { ParsedCommand } from './command.js';

/** The lab's seed and seven more: enough runs for a mean and a spread in a few minutes. */
export const DEFAULT_SWEEP_SEEDS: readonly number[] = [91195003, 1, 2, 3, 4, 5, 6, 7];

export interface SeedSweepOptions {
  /** The lab's options for every run; `seed` is replaced by each of `seeds`. */
  lab: LabOptions;
  seeds: number[];
  /** An accuracy bar to count the runs that reach it, or null. */
  target: number | null;
}

/** lab:seeds' usage text, printed with --help and after a bad flag. */
export const SEED_SWEEP_USAGE = `Usage: npm run lab:seeds -- [--seeds A,B,...] [--target X] [lab flags]

Runs the lab once per seed and reports the spread of the test accuracy: one folder per seed
(the lab's plots and report.json), then seeds.json and seeds.png in --out.

  --seeds A,B,...       the seeds to run, at least two   (default: ${DEFAULT_SWEEP_SEEDS.join(',')})
  --target X            count the runs whose test accuracy is at least X (0 < X <= 1)
  --help                print this and exit

Every lab flag except --seed and --export-onnx applies to each run (see npm start -- --help),
for example: npm run lab:seeds -- --hidden 512,512 --target 0.978
`;

function parseSeeds(value: string): number[] {
  const seeds = value.split(',').map((part) => parseSeed('--seeds', part.trim()));
  if (seeds.length < 2) throw new UsageError(`--seeds: expected at least two comma-separated seeds, got '${value}'`);
  const repeated = seeds.find((seed, i) => seeds.indexOf(seed) !== i);
  if (repeated !== undefined) throw new UsageError(`--seeds: seed ${repeated} is listed twice in '${value}'`);
  return seeds;
}

function parseTarget(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n <= 1)) throw new UsageError(`--target: expected an accuracy in (0, 1], got '${value}'`);
  return n;
}

/** The sweep's own flags; every other argument goes to the lab's parser. */
export function parseSeedSweepArgs(argv: readonly string[], now = new Date(), cwd = invocationDir()): ParsedCommand<SeedSweepOptions> {
  let seeds = [...DEFAULT_SWEEP_SEEDS];
  let target: number | null = null;
  const labArgs: string[] = [];
  for (let i = 0; i < argv.length;) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const { flag, readValue } = flagAt(argv, i);
    if (flag === '--seed' || flag === '--export-onnx') {
      throw new UsageError(`${flag}: not taken by a seed sweep (${flag === '--seed' ? 'give the seeds with --seeds A,B,...' : 'each seed trains its own model'})`);
    }
    if (flag !== '--seeds' && flag !== '--target') {
      labArgs.push(arg);
      i++;
      continue;
    }
    const { value, used } = readValue();
    if (flag === '--seeds') seeds = parseSeeds(value);
    else target = parseTarget(value);
    i += used;
  }
  const lab = parseLabArgs(labArgs, now, cwd);
  if (lab.kind === 'help') return lab;
  return { kind: 'run', options: { lab: lab.options, seeds, target } };
}
