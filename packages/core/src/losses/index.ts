// Public exports of this area; re-exported by src/index.ts.
export { Loss, type LossConfig } from './loss.js';
export {
  MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError,
  meanAbsoluteError, meanSquaredError, rootMeanSquaredError,
} from './regression.js';
export {
  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, type CrossentropyConfig,
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
} from './crossentropy.js';
export { getLoss, type LossIdentifier } from './get-loss.js';
