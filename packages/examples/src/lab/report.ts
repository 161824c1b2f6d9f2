import type { LabOptions } from './cli.js';
import type { TrainingRecord } from './training-record.js';
import { writeFileAtomic } from '@perceptron/core';

/** What report.json holds. */
export interface LabReport {
  backend: string;
  mode: LabOptions['mode'];
  hyperParameters: { epochs: number; batchSize: number; learningRate: number; seed: number; hidden: number[]; outputNeurons: number };
  epochs: TrainingRecord['epochs'];
  steps: TrainingRecord['steps'];
  test: TrainingRecord['test'];
  secondsPerEpoch: number[];
  /** Mean over all epochs' training steps. */
  msPerStep: number;
  predictions: TrainingRecord['predictions'];
  totalSeconds: number;
  createdAt: string;
  node: string;
}

export function buildReport(backend: string, options: LabOptions, record: TrainingRecord, totalSeconds: number): LabReport {
  const totalSteps = record.epochs.reduce((n, e) => n + e.steps, 0);
  const trainSeconds = record.epochs.reduce((n, e) => n + e.seconds, 0);
  return {
    backend,
    mode: options.mode,
    hyperParameters: {
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      seed: options.seed,
      hidden: [...options.hidden],
      outputNeurons: 10,
    },
    epochs: record.epochs,
    steps: record.steps,
    test: record.test,
    secondsPerEpoch: record.epochs.map((e) => e.seconds),
    msPerStep: (trainSeconds * 1000) / totalSteps,
    predictions: record.predictions,
    totalSeconds,
    createdAt: new Date().toISOString(),
    node: process.version,
  };
}

export async function writeReport(file: string, report: LabReport): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}
