// Public exports of this area; re-exported by src/index.ts.
export { BaseCallback, type Callback, type Logs, type TrainableModel, type TrainingParams } from './callback.js';
export { CallbackList } from './callback-list.js';
export { ProgressBar, formatMetric, type ProgressBarOptions } from './progress-bar.js';
export { ProgbarLogger, type ProgbarLoggerOptions } from './progbar-logger.js';
export { History } from './history.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { LambdaCallback } from './lambda-callback.js';
export { LearningRateScheduler, type EpochSchedule, type LearningRateSchedulerOptions } from './learning-rate-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export type { MonitorMode } from './monitor.js';
export type { OutputOptions } from './output.js';
