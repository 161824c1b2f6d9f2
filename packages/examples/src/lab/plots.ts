import { join } from 'node:path';
import type { FlatSplit } from '../mnist/split.js';
import { digitGridSpec } from '../plot/digits.js';
import { learningCurvesSpec } from '../plot/learning-curves.js';
import { writeChartPng } from '../plot/write-png.js';
import type { Prediction } from './predictions.js';
import type { TrainingRecord } from './training-record.js';

export const PLOT_FILES = { digits: 'digits.png', curves: 'learning-curves.png', predictions: 'predictions.png' } as const;

function image(split: FlatSplit, i: number): ArrayLike<number> {
  return split.x.subarray(i * split.features, (i + 1) * split.features);
}

function side(split: FlatSplit): number {
  const s = Math.round(Math.sqrt(split.features));
  if (s * s !== split.features) throw new Error(`plots: expected square images, got ${split.features} features per sample`);
  return s;
}

/** The lab's 5×5 grid of the first 25 test images. */
export async function writeDigitsPlot(outDir: string, test: FlatSplit): Promise<string> {
  const n = Math.min(25, test.count);
  const s = side(test);
  const images = Array.from({ length: n }, (_, i) => ({ pixels: image(test, i) }));
  const file = join(outDir, PLOT_FILES.digits);
  await writeChartPng(file, digitGridSpec(images, { rows: s, cols: s, columns: 5, title: `The first ${n} test images` }));
  return file;
}

export async function writeLearningCurvesPlot(outDir: string, record: TrainingRecord, title: string): Promise<string> {
  const file = join(outDir, PLOT_FILES.curves);
  await writeChartPng(file, learningCurvesSpec(record.epochs, record.steps, title));
  return file;
}

/** The predicted test digits, wrong ones captioned in red. */
export async function writePredictionsPlot(outDir: string, test: FlatSplit, predictions: readonly Prediction[]): Promise<string> {
  const s = side(test);
  const images = predictions.map((p, i) => ({
    pixels: image(test, i),
    caption: `pred ${p.predicted} · true ${p.label}`,
    highlight: p.predicted !== p.label,
  }));
  const file = join(outDir, PLOT_FILES.predictions);
  await writeChartPng(file, digitGridSpec(images, { rows: s, cols: s, columns: 5, title: 'Predictions for ten test images' }));
  return file;
}
