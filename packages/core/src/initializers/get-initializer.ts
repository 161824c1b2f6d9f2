import { Constant, Ones, Zeros } from './constant.js';
import { lookupByName, type NamedEntry } from './identifier.js';
import { Initializer, type InitializerConfig } from './initializer.js';
import { RandomNormal, RandomUniform } from './random.js';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, VarianceScaling } from './variance-scaling.js';

/** What `getInitializer` accepts: a name, an instance, or a serialized `{className, config}`. */
export type InitializerIdentifier = string | Initializer | { className: string; config?: InitializerConfig };

// Factories take the serialized config; a name alone builds the Keras defaults.
type Factory = (config: InitializerConfig) => Initializer;
const FACTORIES: readonly [string, Factory][] = [
  ['zeros', () => new Zeros()],
  ['ones', () => new Ones()],
  ['constant', (c) => new Constant(c)],
  ['randomNormal', (c) => new RandomNormal(c)],
  ['randomUniform', (c) => new RandomUniform(c)],
  ['glorotUniform', (c) => new GlorotUniform(c)],
  ['glorotNormal', (c) => new GlorotNormal(c)],
  ['heNormal', (c) => new HeNormal(c)],
  ['heUniform', (c) => new HeUniform(c)],
  ['varianceScaling', (c) => new VarianceScaling(c)],
];

function entries(config: InitializerConfig): NamedEntry<Initializer>[] {
  return FACTORIES.map(([name, create]) => ({ name, create: () => create(config) }));
}

/**
 * Resolves a weight's initializer: 'glorotUniform' / 'glorot_uniform' / 'GlorotUniform', an
 * Initializer (returned as is), or `{className, config}` as written by `getConfig`.
 */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return lookupByName('getInitializer', 'initializer', identifier, entries({}));
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return lookupByName('getInitializer', 'initializer', identifier.className, entries(identifier.config ?? {}));
  }
  throw new Error(`getInitializer: expected a name, an Initializer or {className, config}, got ${JSON.stringify(identifier)}`);
}
