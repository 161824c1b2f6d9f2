// Public exports of this area; re-exported by src/index.ts.
export { Loss, LossFunctionWrapper, type LossConfig, type NamedLossConfig } from './loss.js';
export {
  MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
  meanAbsoluteError, meanSquaredError, rootMeanSquaredError, meanAbsolutePercentageError, meanSquaredLogarithmicError,
} from './regression.js';
export { Huber, LogCosh, huber, logCosh, type HuberConfig } from './robust.js';
export { CosineSimilarity, cosineSimilarity, type CosineSimilarityConfig } from './cosine-similarity.js';
export {
  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, type CrossentropyConfig,
  type SmoothedCrossentropyConfig, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
} from './crossentropy.js';
export { KLDivergence, Poisson, klDivergence, poisson } from './probabilistic.js';
export { CategoricalHinge, Hinge, SquaredHinge, categoricalHinge, hinge, squaredHinge } from './hinge.js';
export {
  BinaryFocalCrossentropy, CategoricalFocalCrossentropy, binaryFocalCrossentropy, categoricalFocalCrossentropy,
  type BinaryFocalCrossentropyConfig, type BinaryFocalCrossentropyOptions, type CategoricalFocalCrossentropyConfig,
  type CategoricalFocalCrossentropyOptions, type FocalOptions,
} from './focal.js';
export { Dice, Tversky, dice, tversky, type DiceConfig, type DiceOptions, type OverlapAxis, type TverskyConfig, type TverskyOptions } from './overlap.js';
export { getLoss, type LossIdentifier } from './get-loss.js';
