import { lookupByName, type NamedEntry } from '../initializers/identifier.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy.js';
import { Loss, type LossConfig } from './loss.js';
import { MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError } from './regression.js';

/** What `getLoss` accepts: a name, an instance, or `{className, config}` from `getConfig`. */
export type LossIdentifier = string | Loss | { className: string; config?: LossConfig & Record<string, unknown> };

type Factory = (config: Record<string, unknown>) => Loss;
const FACTORIES: readonly [string, readonly string[], Factory][] = [
  ['meanAbsoluteError', ['mae'], (c) => new MeanAbsoluteError(c)],
  ['meanSquaredError', ['mse'], (c) => new MeanSquaredError(c)],
  ['rootMeanSquaredError', ['rmse'], (c) => new RootMeanSquaredError(c)],
  ['binaryCrossentropy', ['bce'], (c) => new BinaryCrossentropy(c)],
  ['categoricalCrossentropy', [], (c) => new CategoricalCrossentropy(c)],
  ['sparseCategoricalCrossentropy', [], (c) => new SparseCategoricalCrossentropy(c)],
];

function entries(config: Record<string, unknown>): NamedEntry<Loss>[] {
  return FACTORIES.map(([name, aliases, create]) => ({ name, aliases, create: () => create(config) }));
}

/**
 * Resolves `compile`'s loss: a Loss (returned as is), a name in camelCase, snake_case or a
 * Keras short name ('mse', 'mae'), or `{className, config}` as saved with a model. Named
 * cross-entropies expect probabilities (fromLogits false), as in Keras.
 */
export function getLoss(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'string') return lookupByName('getLoss', 'loss', identifier, entries({}));
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return lookupByName('getLoss', 'loss', identifier.className, entries({ ...identifier.config }));
  }
  throw new Error(`getLoss: expected a loss name, a Loss or {className, config}, got ${JSON.stringify(identifier)}`);
}
