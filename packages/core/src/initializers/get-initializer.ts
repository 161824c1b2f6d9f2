import { Constant, Ones, Zeros } from './constant.js';
import { builtIns, resolveIdentifier } from '../util/named-registry.js';
import { Initializer, type InitializerConfig } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import { RandomNormal, RandomUniform } from './random.js';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, VarianceScaling } from './variance-scaling.js';

/** What `getInitializer` accepts: a name, an instance, or a serialized `{className, config}`. */
export type InitializerIdentifier = string | Initializer | { className: string; config?: InitializerConfig };

// A name alone builds the Keras defaults; a serialized identifier passes its config.
const FACTORIES = builtIns<Initializer>('initializer', [
  ['zeros', [], () => new Zeros()],
  ['ones', [], () => new Ones()],
  ['constant', [], (c) => new Constant(c)],
  ['randomNormal', [], (c) => new RandomNormal(c)],
  ['randomUniform', [], (c) => new RandomUniform(c)],
  ['glorotUniform', [], (c) => new GlorotUniform(c)],
  ['glorotNormal', [], (c) => new GlorotNormal(c)],
  ['heNormal', [], (c) => new HeNormal(c)],
  ['heUniform', [], (c) => new HeUniform(c)],
  ['varianceScaling', [], (c) => new VarianceScaling(c)],
  ['orthogonal', [], (c) => new Orthogonal(c)],
]);

/**
 * Resolves a weight's initializer: 'glorotUniform' / 'glorot_uniform' / 'GlorotUniform', an
 * Initializer (returned as is), or `{className, config}` as written by `getConfig`.
 */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  return resolveIdentifier('getInitializer', 'initializer', identifier, (x): x is Initializer => x instanceof Initializer, FACTORIES);
}
