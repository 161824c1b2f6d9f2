import { lookupByName, type NamedEntry } from '../initializers/identifier.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy.js';
import { Loss } from './loss.js';
import { MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError } from './regression.js';

const LOSSES: readonly NamedEntry<Loss>[] = [
  { name: 'meanAbsoluteError', aliases: ['mae'], create: () => new MeanAbsoluteError() },
  { name: 'meanSquaredError', aliases: ['mse'], create: () => new MeanSquaredError() },
  { name: 'rootMeanSquaredError', aliases: ['rmse'], create: () => new RootMeanSquaredError() },
  { name: 'binaryCrossentropy', aliases: ['bce'], create: () => new BinaryCrossentropy() },
  { name: 'categoricalCrossentropy', create: () => new CategoricalCrossentropy() },
  { name: 'sparseCategoricalCrossentropy', create: () => new SparseCategoricalCrossentropy() },
];

/**
 * Resolves `compile`'s loss: a Loss (returned as is) or a name in camelCase, snake_case or a
 * Keras short name ('mse', 'mae'). Named cross-entropies expect probabilities (fromLogits false),
 * as in Keras.
 */
export function getLoss(identifier: string | Loss): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier !== 'string') throw new Error(`getLoss: expected a loss name or a Loss, got ${JSON.stringify(identifier)}`);
  return lookupByName('getLoss', 'loss', identifier, LOSSES);
}
