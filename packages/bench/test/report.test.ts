import { describe, expect, it } from 'vitest';
import { advantage, formatReport } from '../src/report.js';
import type { BenchResults, PredictResult, TrainingResult } from '../src/results.js';
import { summarize } from '../src/stats.js';
import type { ModelName } from '../src/workloads.js';

const memory = { rssStartMB: 100, rssPeakMB: 200, heapUsedPeakMB: 50, externalPeakMB: 10, samples: 3 };

function trained(stack: 'perceptron' | 'plain-js' | 'tfjs', backend: string, seconds: number, model: ModelName = 'lab'): TrainingResult {
  return {
    stack, backend, model, status: 'ok', steps: 1719, images: 55000, batchSize: 32, warmupSeconds: seconds * 1.5,
    epochSeconds: summarize([seconds, seconds * 1.1, seconds * 0.9]), msPerStep: summarize([(seconds * 1000) / 1719]),
    finalLoss: 0.3, finalAccuracy: 0.9, memory,
  };
}

function results(training: TrainingResult[], predict: PredictResult[] = []): BenchResults {
  return {
    schema: 1, startedAt: '2025-01-02T03:04:05.000Z', finishedAt: '2025-01-02T03:14:05.000Z', durationSeconds: 600,
    machine: { cpuModel: 'Test CPU', cpus: 2, totalMemoryGB: 8, node: 'v20.0.0', platform: 'linux', arch: 'x64', loadAverageStart: 1, loadAverageEnd: 2 },
    options: { quick: false, only: ['lab'], backends: null, stacks: ['perceptron', 'tfjs'], repeats: 3, all: false, steps: null, predictImages: null, stepsPerExecution: 1, outDir: null, help: false },
    parts: ['lab'],
    subjects: [],
    notes: ['The machine is shared.'],
    training, predict, dispatch: [], matMul: [],
  };
}

/** The cells of the table row whose first two cells are `stack` and `backend`. */
function row(report: string, stack: string, backend: string): string[] {
  const line = report.split('\n').find((l) => new RegExp(`^\\| ${stack} +\\| ${backend} +\\|`).test(l));
  if (!line) throw new Error(`no row ${stack} ${backend} in\n${report}`);
  return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

describe('advantage', () => {
  it('is theirs ÷ ours for times and ours ÷ theirs for rates', () => {
    expect(advantage(2, 6, 'time')).toBe(3);
    expect(advantage(2, 6, 'rate')).toBeCloseTo(1 / 3, 15);
  });

  it('is null when a side is missing or not positive', () => {
    expect(advantage(undefined, 6, 'time')).toBeNull();
    expect(advantage(2, undefined, 'time')).toBeNull();
    expect(advantage(0, 6, 'time')).toBeNull();
  });
});

describe('formatReport', () => {
  const report = formatReport(results([
    trained('perceptron', 'naive', 4),
    trained('perceptron', 'tfjs-cpu', 3),
    trained('perceptron', 'tfjs-wasm', 2),
    trained('tfjs', 'tfjs-cpu', 12),
    trained('tfjs', 'tfjs-wasm', 6),
    { stack: 'tfjs', backend: 'tfjs-webgl', model: 'lab', status: 'skipped', reason: 'too slow here' },
  ]));

  it('compares each of our rows with tfjs-layers on the same backend and on tfjs-wasm', () => {
    // Columns: stack, backend, s/epoch, ms/step, min–max, n, warm-up, loss, acc, RSS, heap, × same, × wasm.
    expect(row(report, 'Perceptron', 'tfjs-cpu').slice(-2)).toEqual(['4.00×', '2.00×']);
    expect(row(report, 'Perceptron', 'tfjs-wasm').slice(-2)).toEqual(['3.00×', '3.00×']);
    // naive has no tfjs counterpart.
    expect(row(report, 'Perceptron', 'naive').slice(-2)).toEqual(['—', '1.50×']);
    expect(row(report, 'tfjs-layers', 'tfjs-wasm').slice(-2)).toEqual(['', '']);
  });

  it('prints the median, the spread, the sample count and the warm-up apart', () => {
    const cells = row(report, 'Perceptron', 'naive');
    expect(cells.slice(2, 7)).toEqual(['4.00', '2.33', '3.60–4.40', '3', '6.00']);
  });

  it('says under the table why a cell did not run', () => {
    expect(row(report, 'tfjs-layers', 'tfjs-webgl')[2]).toBe('skipped');
    expect(report).toContain('\n- lab, tfjs-layers tfjs-webgl: skipped: too slow here\n');
  });

  it('names the machine, the load and the notes', () => {
    expect(report).toContain('Machine: Test CPU, 2 CPUs, 8 GB, Node v20.0.0');
    expect(report).toContain('load average 1.00 at start, 2.00 at end');
    expect(report).toContain('- The machine is shared.');
    expect(report).toContain('1,719 steps per epoch (55,000 images)');
  });

  it('names the browser and its WebGL renderer when the cells ran in a page', () => {
    const browser = { name: 'Chromium 131.0.1', userAgent: 'Mozilla/5.0 HeadlessChrome/131.0.1', webglRenderer: 'ANGLE (SwiftShader)' };
    const inPage = results([trained('perceptron', 'tfjs-webgl', 30)]);
    const text = formatReport({ ...inPage, machine: { ...inPage.machine, browser } });
    expect(text).toContain('Machine: Test CPU, 2 CPUs, 8 GB, Chromium 131.0.1, driven from Node v20.0.0 (linux/x64); WebGL: ANGLE (SwiftShader); load average');
  });
});

describe('formatReport with the plain JS loop', () => {
  const report = formatReport(results([
    trained('perceptron', 'naive', 4),
    trained('perceptron', 'simd', 1),
    trained('plain-js', 'Float32Array', 3),
    trained('tfjs', 'tfjs-wasm', 6),
  ], [
    { model: 'lab', stack: 'perceptron', backend: 'simd', status: 'ok', images: 10000, batchSize: 1000, imagesPerSecond: summarize([50_000]), passesPerSample: 1, memory },
    { model: 'lab', stack: 'plain-js', backend: 'Float32Array', status: 'ok', images: 10000, batchSize: 1000, imagesPerSecond: summarize([20_000]), passesPerSample: 1, memory },
    { model: 'lab', stack: 'onnxruntime', backend: 'cpu, 1 thread', status: 'ok', images: 10000, batchSize: 1000, imagesPerSecond: summarize([1_000_000]), passesPerSample: 1, memory },
    { model: 'lab', stack: 'tfjs', backend: 'tfjs-wasm', status: 'ok', images: 10000, batchSize: 1000, imagesPerSecond: summarize([25_000]), passesPerSample: 1, memory },
  ]));

  it('adds a column comparing each of our rows with the hand-written loop', () => {
    expect(report).toContain('| × vs tfjs-layers same backend | × vs tfjs-layers tfjs-wasm | × vs plain JS loop |');
    // naive takes 4 s where the loop takes 3 s: 0.75× as fast; simd 3×.
    expect(row(report, 'Perceptron', 'naive').slice(-3)).toEqual(['—', '1.50×', '0.75×']);
    expect(row(report, 'Perceptron', 'simd').slice(-3)).toEqual(['—', '6.00×', '3.00×']);
    expect(row(report, 'plain JS loop', 'Float32Array').slice(2, 4)).toEqual(['3.00', '1.75']);
    expect(row(report, 'plain JS loop', 'Float32Array').slice(-3)).toEqual(['', '', '']);
  });

  it('compares predict rates the same way, onnxruntime against tfjs-wasm and the loop only', () => {
    const predictRow = (stack: string): string[] => {
      const line = report.split('\n').find((l) => new RegExp(`^\\| lab +\\| ${stack} +\\|`).test(l));
      if (!line) throw new Error(`no predict row ${stack} in\n${report}`);
      return line.split('|').slice(1, -1).map((cell) => cell.trim());
    };
    expect(predictRow('Perceptron').slice(-3)).toEqual(['—', '2.00×', '2.50×']);
    expect(predictRow('onnxruntime-node').slice(-3)).toEqual(['', '40.00×', '50.00×']);
    expect(predictRow('plain JS loop').slice(-3)).toEqual(['', '', '']);
  });

  it('leaves the column out of a table where the loop did not run', () => {
    const skipped = formatReport(results([
      trained('perceptron', 'simd', 1),
      { stack: 'plain-js', backend: 'Float32Array', model: 'lab', status: 'skipped', reason: 'slow' },
    ]));
    expect(skipped).not.toContain('× vs plain JS loop');
    expect(row(skipped, 'plain JS loop', 'Float32Array')).toHaveLength(13);
  });
});

describe('formatReport with the sequence workload', () => {
  const plainSkip = 'the plain JS loop is written for MLPs only and has no LSTM';
  const report = formatReport(results([
    trained('perceptron', 'simd', 1, 'sequence'),
    { stack: 'plain-js', backend: 'Float32Array', model: 'sequence', status: 'skipped', reason: plainSkip },
    trained('tfjs', 'tfjs-wasm', 3, 'sequence'),
  ]));

  it('has its own table, titled with the LSTM, batch and optimizer', () => {
    expect(report).toContain('### Training: sequence LSTM(64)-10 over 28 rows of 28 pixels, batch 32, Adam 0.001: 1,719 steps per epoch (55,000 images)');
    expect(row(report, 'Perceptron', 'simd').slice(-2)).toEqual(['—', '3.00×']);
  });

  it('lists the plain JS loop as skipped, naming the workload and the reason', () => {
    expect(row(report, 'plain JS loop', 'Float32Array')[2]).toBe('skipped');
    expect(report).toContain(`\n- sequence, plain JS loop Float32Array: skipped: ${plainSkip}\n`);
    expect(report).not.toContain('× vs plain JS loop');
  });
});
