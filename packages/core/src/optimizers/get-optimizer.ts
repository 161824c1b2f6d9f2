import { resolveIdentifier, type Factory } from '../util/named-registry.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Optimizer, type OptimizerSettings } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** What `getOptimizer` accepts: a name, an instance, or `{className, config}` from `getConfig`. */
export type OptimizerIdentifier = string | Optimizer | { className: string; config?: OptimizerSettings };

/** Unset options are stored as null by getConfig; the constructors take them as absent. */
function withoutNulls(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
}

const FACTORIES: readonly Factory<Optimizer>[] = [
  ['sgd', [], (c) => new SGD(withoutNulls(c))],
  ['adam', [], (c) => new Adam(withoutNulls(c))],
  ['adamw', [], (c) => new AdamW(withoutNulls(c))],
  ['rmsprop', [], (c) => new RMSprop(withoutNulls(c))],
  ['adagrad', [], (c) => new Adagrad(withoutNulls(c))],
];

/**
 * Resolves `compile`'s optimizer: an Optimizer (returned as is), a name ('sgd', 'adam', 'adamw',
 * 'rmsprop', 'adagrad', any case) with Keras defaults, or `{className, config}`.
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  return resolveIdentifier('getOptimizer', 'optimizer', identifier, (x): x is Optimizer => x instanceof Optimizer, FACTORIES);
}
