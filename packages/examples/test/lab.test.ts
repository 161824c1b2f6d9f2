import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory } from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOptions } from '../src/lab/cli.js';
import type { LabReport } from '../src/lab/report.js';
import { runLab } from '../src/lab/run-lab.js';
import { readPngSize } from './png.js';

const out = mkdtempSync(join(tmpdir(), 'lab-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The one real-MNIST run in `npm test`: the lab's low-level loop for one epoch on the fastest
// backend here. The slower full runs (high mode, 5 epochs, every backend) are scripts.
describe('the MNIST lab, low mode, one epoch, on real MNIST', () => {
  it('reaches the lab’s validation accuracy (0.9196) and writes its plots and report', async () => {
    const lines: string[] = [];
    const tensorsBefore = memory().numTensors;
    const { report, files } = await runLab({ ...defaultOptions(), mode: 'low', epochs: 1, out }, { print: (l) => lines.push(l) });

    // every step ran in tidy, and the runner freed the model, the optimizer's slots and the data
    expect(memory().numTensors).toBe(tensorsBefore);
    expect(report.mode).toBe('low');
    expect(report.epochs).toHaveLength(1);
    expect(report.epochs[0]!.valAccuracy).toBeGreaterThanOrEqual(0.9196);
    expect(report.epochs[0]!.steps).toBe(Math.ceil(55000 / 32));

    expect(lines.slice(0, 6)).toEqual([
      '***** Log import_data *****',
      'Train data shape [60000,28,28]',
      'Test data shape [10000,28,28]',
      'Number of training samples 60000',
      'Number of testing samples 10000',
      '***** Log import_data *****',
    ]);
    expect(lines).toContain('Epoch 1/1');
    const stepLines = lines.filter((l) => l.startsWith('Step '));
    expect(stepLines.map((l) => l.split('.')[0])).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600].map((s) => `Step ${s}`));
    expect(stepLines[0]).toMatch(/^Step 0\. Loss Value = \d\.\d+; Mean loss = \d\.\d+$/);
    expect(lines.some((l) => /^Training accuracy for epoch 1: 0\.\d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Validation accuracy for epoch 1: 0\.9\d+$/.test(l))).toBe(true);
    expect(lines).toContain('Predictions shape: [10,10]');
    const predicted = lines.filter((l) => l.startsWith('Predicted a '));
    expect(predicted).toHaveLength(10);
    // the true labels of the first ten test images
    expect(predicted.map((l) => Number(/Real value is (\d)\./.exec(l)![1]))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);

    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['digits.png', 'learning-curves.png', 'predictions.png', 'report.json']);
    for (const png of files.filter((f) => f.endsWith('.png'))) expect(readPngSize(png).width).toBeGreaterThan(500);
    const saved = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LabReport;
    expect(saved.epochs[0]!.valAccuracy).toBe(report.epochs[0]!.valAccuracy);
    expect(saved.hyperParameters).toEqual({ epochs: 1, batchSize: 32, learningRate: 0.001, seed: 91195003, hidden: [16, 32], outputNeurons: 10 });
    expect(saved.test.accuracy).toBeGreaterThan(0.9);
    expect(saved.steps).toHaveLength(9);
  }, 600_000);
});
