/**
 * The shape of bench-results/*.json, from the Node run and the browser run alike. Bump
 * SCHEMA_VERSION when a field changes meaning; an optional field that only some runs fill (such
 * as `machine.browser`) leaves older files valid and does not.
 */
import type { BenchOptions, Part } from './args.js';
import type { MemoryPeak } from './memory-sampler.js';
import type { Summary } from './stats.js';
import type { ModelName } from './workloads.js';

export const SCHEMA_VERSION = 1;

/** 'perceptron' (through core), 'plain-js' (hand-written loops), 'tfjs' (tfjs-layers / tfjs-core) or 'onnxruntime'. */
export type ResultStack = 'perceptron' | 'plain-js' | 'tfjs' | 'onnxruntime';

export interface SubjectInfo {
  stack: ResultStack;
  backend: string;
  available: boolean;
  /** Why it cannot run here; null when it can. */
  reason: string | null;
}

/** A cell that did not run: skipped by default (too slow), or failed with an error. */
export interface Missing {
  status: 'skipped' | 'error';
  reason: string;
}

export interface Cell {
  stack: ResultStack;
  backend: string;
}

export interface TrainingMeasurement {
  status: 'ok';
  /** Steps per epoch and the training images they cover. */
  steps: number;
  images: number;
  batchSize: number;
  /** The first epoch (compilation, JIT, allocation), reported apart. */
  warmupSeconds: number;
  epochSeconds: Summary;
  msPerStep: Summary;
  /** Running training loss and accuracy of the last epoch: a check that every stack trains. */
  finalLoss: number;
  finalAccuracy: number;
  memory: MemoryPeak;
}

export type TrainingResult = Cell & { model: ModelName } & (TrainingMeasurement | Missing);

export interface PredictMeasurement {
  status: 'ok';
  images: number;
  batchSize: number;
  imagesPerSecond: Summary;
  /** Full passes over the images per sample. */
  passesPerSample: number;
  memory: MemoryPeak;
}

export type PredictResult = Cell & { model: ModelName } & (PredictMeasurement | Missing);

export interface DispatchMeasurement {
  status: 'ok';
  microsecondsPerOp: Summary;
  callsPerSample: number;
}

export type DispatchResult = Cell & (DispatchMeasurement | Missing);

export interface MatMulMeasurement {
  status: 'ok';
  gflops: Summary;
  msPerCall: Summary;
  callsPerSample: number;
}

export type MatMulResult = Cell & { m: number; k: number; n: number; transposeA: boolean; transposeB: boolean } & (MatMulMeasurement | Missing);

/** The browser whose page ran the cells (browser runs only). */
export interface BrowserInfo {
  /** E.g. "Chromium 131.0.6778.85". */
  name: string;
  userAgent: string;
  /** WebGL's unmasked renderer (SwiftShader when headless without a GPU), or why WebGL is missing. */
  webglRenderer: string;
}

export interface Machine {
  cpuModel: string;
  cpus: number;
  totalMemoryGB: number;
  node: string;
  platform: string;
  arch: string;
  /** 1-minute load average at the start and the end: a busy shared machine shows here. */
  loadAverageStart: number;
  loadAverageEnd: number;
  /** Set when the cells ran in a browser page; the rest describes the machine and the Node that drove it. */
  browser?: BrowserInfo;
}

export interface BenchResults {
  schema: number;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: Machine;
  options: BenchOptions;
  parts: Part[];
  subjects: SubjectInfo[];
  notes: string[];
  training: TrainingResult[];
  predict: PredictResult[];
  dispatch: DispatchResult[];
  matMul: MatMulResult[];
}
