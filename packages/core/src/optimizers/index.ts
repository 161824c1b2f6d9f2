// Public exports of this area; re-exported by src/index.ts.
export {
  Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots,
} from './optimizer.js';
export type { GradientPair } from './gradient-pairs.js';
export { SGD, type SGDConfig } from './sgd.js';
export { Adagrad, type AdagradConfig } from './adagrad.js';
export { RMSprop, type RMSpropConfig } from './rmsprop.js';
export { Adam, AdamW, type AdamConfig } from './adam.js';
export { Adamax, type AdamaxConfig } from './adamax.js';
export { Nadam, type NadamConfig } from './nadam.js';
export { Adadelta, type AdadeltaConfig } from './adadelta.js';
export { Lion, type LionConfig } from './lion.js';
export { Ftrl, type FtrlConfig } from './ftrl.js';
export { Lamb, type LambConfig } from './lamb.js';
export { Adafactor, type AdafactorConfig } from './adafactor.js';
export { getOptimizer, type OptimizerIdentifier } from './get-optimizer.js';
export { LearningRateSchedule, type ScheduleSettings, type SavedSchedule } from './schedules/learning-rate-schedule.js';
export { ExponentialDecay, InverseTimeDecay, type RateDecayConfig } from './schedules/rate-decay.js';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayConfig } from './schedules/piecewise-constant-decay.js';
export { PolynomialDecay, type PolynomialDecayConfig } from './schedules/polynomial-decay.js';
export { CosineDecay, type CosineDecayConfig } from './schedules/cosine-decay.js';
export { CosineDecayRestarts, type CosineDecayRestartsConfig } from './schedules/cosine-decay-restarts.js';
export { getLearningRateSchedule, type ScheduleIdentifier } from './schedules/get-schedule.js';
