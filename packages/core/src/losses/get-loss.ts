import { builtIns, resolveIdentifier } from '../util/named-registry.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy.js';
import { Loss, type LossConfig } from './loss.js';
import { CosineSimilarity } from './cosine-similarity.js';
import { BinaryFocalCrossentropy, CategoricalFocalCrossentropy } from './focal.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { Dice, Tversky } from './overlap.js';
import { KLDivergence, Poisson } from './probabilistic.js';
import {
  MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, RootMeanSquaredError,
} from './regression.js';
import { Huber, LogCosh } from './robust.js';

/** What `getLoss` accepts: a name, an instance, or `{className, config}` from `getConfig`. */
export type LossIdentifier = string | Loss | { className: string; config?: LossConfig & Record<string, unknown> };

const FACTORIES = builtIns<Loss>('loss', [
  ['meanAbsoluteError', ['mae'], (c) => new MeanAbsoluteError(c)],
  ['meanSquaredError', ['mse'], (c) => new MeanSquaredError(c)],
  ['rootMeanSquaredError', ['rmse'], (c) => new RootMeanSquaredError(c)],
  ['binaryCrossentropy', ['bce'], (c) => new BinaryCrossentropy(c)],
  ['categoricalCrossentropy', [], (c) => new CategoricalCrossentropy(c)],
  ['sparseCategoricalCrossentropy', [], (c) => new SparseCategoricalCrossentropy(c)],
  ['meanAbsolutePercentageError', ['mape'], (c) => new MeanAbsolutePercentageError(c)],
  ['meanSquaredLogarithmicError', ['msle'], (c) => new MeanSquaredLogarithmicError(c)],
  ['huber', ['huberLoss'], (c) => new Huber(c)],
  ['logCosh', [], (c) => new LogCosh(c)],
  ['cosineSimilarity', [], (c) => new CosineSimilarity(c)],
  ['poisson', [], (c) => new Poisson(c)],
  ['klDivergence', ['kld', 'kullbackLeiblerDivergence'], (c) => new KLDivergence(c)],
  ['hinge', [], (c) => new Hinge(c)],
  ['squaredHinge', [], (c) => new SquaredHinge(c)],
  ['categoricalHinge', [], (c) => new CategoricalHinge(c)],
  ['binaryFocalCrossentropy', [], (c) => new BinaryFocalCrossentropy(c)],
  ['categoricalFocalCrossentropy', [], (c) => new CategoricalFocalCrossentropy(c)],
  ['dice', [], (c) => new Dice(c)],
  ['tversky', [], (c) => new Tversky(c)],
]);

/**
 * Resolves `compile`'s loss: a Loss (returned as is), a name in camelCase, snake_case or a
 * Keras short name ('mse', 'mae', 'kld'), or `{className, config}` as saved with a model. Named
 * cross-entropies expect probabilities (fromLogits false), as in Keras.
 */
export function getLoss(identifier: LossIdentifier): Loss {
  return resolveIdentifier('getLoss', 'loss', identifier, (x): x is Loss => x instanceof Loss, FACTORIES);
}
