// Public exports of this area; re-exported by src/index.ts.
export { Model } from './model.js';
export type { BatchDataset } from './model-input.js';
export type { FunctionalModelConfig } from './functional-config.js';
export { Functional } from './functional.js';
export type { ModelInput, ModelTarget, NamedTensors, SampleWeight } from './model-input.js';
export { Sequential, type SequentialConfig, type SequentialEntry } from './sequential.js';
export type { CompileArgs, CompiledMetric, CompiledOutput, PerOutput } from './compile.js';
export type { FitOptions } from './fit.js';
export type { ClassWeight } from './class-weight.js';
export type { EvaluateOptions } from './evaluate.js';
export type { PredictOptions } from './predict.js';
export type { PredictAsyncOptions } from './predict-async.js';
export type { PredictBatchLogs } from './predict-loop.js';
export type { BatchResult, TestOnBatchOptions, TrainOnBatchOptions } from './on-batch.js';
export type { SummaryOptions } from './summary.js';
