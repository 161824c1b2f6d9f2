// Public exports of this area; re-exported by src/index.ts.
export {
  Optimizer, type OptimizerConfig, type OptimizerSettings, type GradientPair, type Slots,
} from './optimizer.js';
export { SGD, type SGDConfig } from './sgd.js';
export { Adagrad, type AdagradConfig } from './adagrad.js';
export { RMSprop, type RMSpropConfig } from './rmsprop.js';
export { Adam, AdamW, type AdamConfig } from './adam.js';
export { getOptimizer, type OptimizerIdentifier } from './get-optimizer.js';
