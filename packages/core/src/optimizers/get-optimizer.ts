import { lookupByName, type NamedEntry } from '../initializers/identifier.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Optimizer, type OptimizerSettings } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** What `getOptimizer` accepts: a name, an instance, or `{className, config}` from `getConfig`. */
export type OptimizerIdentifier = string | Optimizer | { className: string; config?: OptimizerSettings };

type Factory = (config: Record<string, unknown>) => Optimizer;
const FACTORIES: readonly [string, Factory][] = [
  ['sgd', (c) => new SGD(c)],
  ['adam', (c) => new Adam(c)],
  ['adamw', (c) => new AdamW(c)],
  ['rmsprop', (c) => new RMSprop(c)],
  ['adagrad', (c) => new Adagrad(c)],
];

/** Unset options are stored as null by getConfig; the constructors take them as absent. */
function withoutNulls(config: OptimizerSettings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
}

function entries(config: OptimizerSettings): NamedEntry<Optimizer>[] {
  return FACTORIES.map(([name, create]) => ({ name, create: () => create(withoutNulls(config)) }));
}

/**
 * Resolves `compile`'s optimizer: an Optimizer (returned as is), a name ('sgd', 'adam', 'adamw',
 * 'rmsprop', 'adagrad', any case) with Keras defaults, or `{className, config}`.
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return lookupByName('getOptimizer', 'optimizer', identifier, entries({}));
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return lookupByName('getOptimizer', 'optimizer', identifier.className, entries(identifier.config ?? {}));
  }
  throw new Error(`getOptimizer: expected a name, an Optimizer or {className, config}, got ${JSON.stringify(identifier)}`);
}
