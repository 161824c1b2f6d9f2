import { describe, expect, it } from 'vitest';
import { chartSpec } from '../src/chart.js';
import type { BenchResults, PredictResult, TrainingResult } from '../src/results.js';
import { summarize } from '../src/stats.js';

const memory = { rssStartMB: 100, rssPeakMB: 200, heapUsedPeakMB: 50, externalPeakMB: 10, samples: 3 };

function trained(stack: 'perceptron' | 'tfjs', backend: string, seconds: number): TrainingResult {
  return {
    stack, backend, model: 'sequence', status: 'ok', steps: 200, images: 6400, batchSize: 32, warmupSeconds: seconds,
    epochSeconds: summarize([seconds]), msPerStep: summarize([(seconds * 1000) / 200]), finalLoss: 1, finalAccuracy: 0.5, memory,
  };
}

const skip = 'the plain JS loop is written for MLPs only and has no LSTM';
const results: BenchResults = {
  schema: 1, startedAt: '2025-01-02T03:04:05.000Z', finishedAt: '2025-01-02T03:05:05.000Z', durationSeconds: 60,
  machine: { cpuModel: 'Test CPU', cpus: 2, totalMemoryGB: 8, node: 'v20.0.0', platform: 'linux', arch: 'x64', loadAverageStart: 1, loadAverageEnd: 1 },
  options: { quick: true, only: ['sequence'], backends: null, stacks: ['perceptron', 'plain-js', 'tfjs'], repeats: 1, all: false, steps: 200, predictImages: 1000, stepsPerExecution: 1, outDir: null, help: false },
  parts: ['sequence'],
  subjects: [
    { stack: 'perceptron', backend: 'simd', available: true, reason: null },
    { stack: 'plain-js', backend: 'Float32Array', available: true, reason: null },
    { stack: 'tfjs', backend: 'tfjs-wasm', available: true, reason: null },
  ],
  notes: [],
  training: [
    trained('perceptron', 'simd', 3),
    { stack: 'plain-js', backend: 'Float32Array', model: 'sequence', status: 'skipped', reason: skip },
    trained('tfjs', 'tfjs-wasm', 8),
  ],
  predict: [], dispatch: [], matMul: [],
};

interface Panel {
  title: { text: string };
  data: { values: { label: string; value: number; text: string }[] };
}

describe('chartSpec', () => {
  const panels = (chartSpec(results) as unknown as { vconcat: Panel[] }).vconcat;

  it('draws the sequence workload in a panel of its own, titled with the LSTM', () => {
    expect(panels.map((p) => p.title.text)).toEqual(['Training sequence LSTM(64)-10 over 28 rows of 28 pixels: seconds per epoch (200 steps), lower is better']);
  });

  it('keeps the skipped plain JS loop as an empty bar that gives the reason', () => {
    expect(panels[0]!.data.values.map((b) => [b.label, b.value, b.text])).toEqual([
      ['Perceptron · simd', 3, '3.00'],
      ['plain JS loop · Float32Array', 0, `skipped: ${skip}`],
      ['TensorFlow.js · tfjs-wasm', 8, '8.00'],
    ]);
  });
});

describe('chartSpec of predict rows', () => {
  function predicted(stack: 'perceptron' | 'tfjs', model: 'lab' | 'separable', imagesPerSecond: number): PredictResult {
    return { stack, backend: 'tfjs-wasm', model, status: 'ok', images: 1000, batchSize: 1000, imagesPerSecond: summarize([imagesPerSecond]), passesPerSample: 1, memory };
  }

  it('draws a panel per workload that has a measured predict, the CNN\'s among them', () => {
    const predict = [predicted('perceptron', 'lab', 1e6), predicted('perceptron', 'separable', 2e4), predicted('tfjs', 'separable', 1e4)];
    const panels = (chartSpec({ ...results, training: [], predict }) as unknown as { vconcat: Panel[] }).vconcat;
    expect(panels.map((p) => p.title.text)).toEqual([
      'predict lab MLP 784-16-32-10: images per second, higher is better',
      'predict separable CNN Conv2D(16)-SeparableConv2D(32)-SeparableConv2D(64)-10 on 28×28 images: images per second, higher is better',
    ]);
    expect(panels[1]!.data.values.map((b) => [b.label, b.value])).toEqual([['Perceptron · tfjs-wasm', 2e4], ['TensorFlow.js · tfjs-wasm', 1e4]]);
  });
});
