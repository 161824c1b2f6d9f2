import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory } from '@perceptron/core';
import '@perceptron/backend-naive';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOptions } from '../src/lab/cli.js';
import type { LabReport } from '../src/lab/report.js';
import { accuracySpread, runSeedSweep, type SeedSweepReport } from '../src/lab/seed-sweep.js';
import { DEFAULT_SWEEP_SEEDS, parseSeedSweepArgs, type SeedSweepOptions } from '../src/lab/seed-sweep-cli.js';
import { MNIST_FILES } from '../src/mnist/load-mnist.js';
import { writeIdxImages, writeIdxLabels } from './idx-fixture.js';
import { CWD, NOW, optionsOf, runScript, usageErrorOf } from './cli-helpers.js';
import { readPngSize } from './png.js';

const scratch = mkdtempSync(join(tmpdir(), 'seed-sweep-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('accuracySpread', () => {
  const runs = [
    { seed: 10, testAccuracy: 0.97 },
    { seed: 11, testAccuracy: 0.98 },
    { seed: 12, testAccuracy: 0.975 },
    { seed: 13, testAccuracy: 0.99 },
  ];

  it('gives the mean, the sample std (n − 1), the median, the extremes with their seeds and the count at the target', () => {
    const spread = accuracySpread(runs, 0.978);
    expect(spread.runs).toBe(4);
    expect(spread.mean).toBeCloseTo(0.97875, 15);
    // deviations −0.00875, 0.00125, −0.00375, 0.01125: squares sum to 0.00021875
    expect(spread.std).toBeCloseTo(Math.sqrt(0.00021875 / 3), 15);
    expect(spread.median).toBeCloseTo(0.9775, 15);
    expect(spread.min).toEqual({ seed: 10, accuracy: 0.97 });
    expect(spread.max).toEqual({ seed: 13, accuracy: 0.99 });
    expect(spread.reachedTarget).toBe(2);
  });

  it('takes the middle value as the median of an odd count, and null reached without a target', () => {
    const spread = accuracySpread(runs.slice(0, 3), null);
    expect(spread.median).toBe(0.975);
    expect(spread.reachedTarget).toBeNull();
  });

  it('needs two runs for a spread', () => {
    expect(() => accuracySpread(runs.slice(0, 1), null)).toThrow('accuracySpread: expected at least two runs, got 1');
  });
});

const sweepOptions = (argv: string[]): SeedSweepOptions => optionsOf(parseSeedSweepArgs, argv);
const usageError = (argv: string[]): string => usageErrorOf(parseSeedSweepArgs, argv);

describe('parseSeedSweepArgs', () => {
  it("defaults to the lab's seed and seven more, no target, and the lab's defaults", () => {
    expect(sweepOptions([])).toEqual({ lab: defaultOptions(NOW, CWD), seeds: [...DEFAULT_SWEEP_SEEDS], target: null });
    expect(DEFAULT_SWEEP_SEEDS[0]).toBe(defaultOptions().seed);
  });

  it('reads --seeds and --target in both forms and hands every other flag to the lab', () => {
    const options = sweepOptions(['--hidden', '512,512', '--seeds', '5, 9,1', '--target=0.978', '--epochs=2', '--out', 'sweep']);
    expect(options.seeds).toEqual([5, 9, 1]);
    expect(options.target).toBe(0.978);
    expect(options.lab).toEqual({ ...defaultOptions(NOW, CWD), hidden: [512, 512], epochs: 2, out: join(CWD, 'sweep') });
    expect(sweepOptions(['--seeds=3,4']).seeds).toEqual([3, 4]);
  });

  it('--help wins', () => {
    expect(parseSeedSweepArgs(['--seeds', '1,2', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--seed', '3'], '--seed: not taken by a seed sweep (give the seeds with --seeds A,B,...)'],
    [['--export-onnx=m.onnx'], '--export-onnx: not taken by a seed sweep (each seed trains its own model)'],
    [['--seeds', '7'], "--seeds: expected at least two comma-separated seeds, got '7'"],
    [['--seeds', '1,x'], "--seeds: expected an integer in [0, 4294967295], got 'x'"],
    [['--seeds', '1,2,1'], "--seeds: seed 1 is listed twice in '1,2,1'"],
    [['--seeds'], '--seeds: missing value'],
    [['--target', '1.5'], "--target: expected an accuracy in (0, 1], got '1.5'"],
    [['--target', '--seeds', '1,2'], '--target: missing value'],
    [['--epochs', '0'], "--epochs: expected a positive integer, got '0'"],
    [['--fast'], "unknown flag '--fast'"],
  ])('rejects %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

/** A tiny MNIST look-alike: 4×4 images, 5,060 training (5,000 held out for validation), 30 test. */
function writeTinyMnist(dir: string): void {
  const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 10);
  writeIdxImages(join(dir, MNIST_FILES.trainImages), 5060, 4, 4);
  writeIdxLabels(join(dir, MNIST_FILES.trainLabels), labels(5060));
  writeIdxImages(join(dir, MNIST_FILES.testImages), 30, 4, 4);
  writeIdxLabels(join(dir, MNIST_FILES.testLabels), labels(30));
}

describe('runSeedSweep', () => {
  const dataDir = mkdtempSync(join(scratch, 'data-'));
  writeTinyMnist(dataDir);

  it("runs the lab once per seed and writes the spread of the runs' own report.json figures", async () => {
    const out = join(scratch, 'sweep');
    const lines: string[] = [];
    const tensorsBefore = memory().numTensors;
    const { report, files } = await runSeedSweep(
      { lab: { ...defaultOptions(), backend: 'naive', epochs: 1, hidden: [4], out }, seeds: [3, 4], target: 0.5 },
      { print: (l) => lines.push(l), dataDir, verbose: 0 },
    );

    expect(memory().numTensors).toBe(tensorsBefore);
    expect(files).toEqual([join(out, 'seeds.json'), join(out, 'seeds.png')]);
    const saved = JSON.parse(readFileSync(files[0]!, 'utf8')) as SeedSweepReport;
    expect(saved).toEqual(report);
    const perSeed = [3, 4].map((seed) => JSON.parse(readFileSync(join(out, `seed-${seed}`, 'report.json'), 'utf8')) as LabReport);
    expect(perSeed.map((r) => r.hyperParameters.seed)).toEqual([3, 4]);
    expect(report.runs.map((r) => [r.seed, r.testAccuracy, r.testLoss, r.valAccuracy])).toEqual(
      perSeed.map((r) => [r.hyperParameters.seed, r.test.accuracy, r.test.loss, r.epochs[0]!.valAccuracy]),
    );
    // different seeds, different initial weights: the runs are not copies of one another
    expect(report.runs[0]!.testLoss).not.toBe(report.runs[1]!.testLoss);
    expect(report.spread).toEqual(accuracySpread(report.runs, 0.5));
    expect(report).toMatchObject({ backend: 'naive', mode: 'high', target: 0.5, hyperParameters: { epochs: 1, batchSize: 32, learningRate: 0.001, hidden: [4], outputNeurons: 10 } });
    expect(report.hyperParameters).not.toHaveProperty('seed');
    expect(readPngSize(files[1]!).width).toBeGreaterThan(500);

    expect(lines[0]).toBe(`Seed 3 (1/2) → ${join(out, 'seed-3')}`);
    expect(lines[1]).toMatch(/^ {2}test accuracy \d\.\d{4} · test loss \d+\.\d{4} · \d+\.\d s\/epoch on naive$/);
    expect(lines).toContain(`  at least 0.5: ${report.spread.reachedTarget} of 2 runs`);
  }, 120_000);

  it('in low mode, shows the loop’s accuracy lines as the progress of each run', async () => {
    const lines: string[] = [];
    await runSeedSweep(
      { lab: { ...defaultOptions(), backend: 'naive', mode: 'low', epochs: 2, hidden: [4], out: join(scratch, 'low') }, seeds: [5, 6], target: null },
      { print: (l) => lines.push(l), dataDir },
    );
    const progress = lines.filter((l) => l.includes('accuracy for epoch'));
    expect(progress.map((l) => l.replace(/: [\d.]+$/, ''))).toEqual(
      [1, 2].flatMap(() => [1, 2].flatMap((e) => [`  Training accuracy for epoch ${e}`, `  Validation accuracy for epoch ${e}`])),
    );
    expect(lines).not.toContain('***** Log import_data *****');
  }, 120_000);

  it('refuses fewer than two seeds or a repeated one before running anything', async () => {
    const lab = { ...defaultOptions(), out: join(scratch, 'never') };
    await expect(runSeedSweep({ lab, seeds: [3], target: null }, { print: () => {} })).rejects.toThrow('runSeedSweep: expected at least two distinct seeds, got [3]');
    await expect(runSeedSweep({ lab, seeds: [3, 3], target: null }, { print: () => {} })).rejects.toThrow('got [3, 3]');
    expect(existsSync(lab.out)).toBe(false);
  });
});

describe('the lab:seeds process', () => {
  const run = (args: string[]) => runScript('src/bin/lab-seeds.ts', args);

  it('prints the usage and exits 2 on a bad value', () => {
    const result = run(['--seeds', '5']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: --seeds: expected at least two comma-separated seeds, got '5'");
    expect(result.stderr).toContain('Usage: npm run lab:seeds --');
  });

  it('--help prints the usage and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--target X');
  });
});
