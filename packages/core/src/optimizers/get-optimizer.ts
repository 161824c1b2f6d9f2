import { builtIns, resolveIdentifier } from '../util/named-registry.js';
import { isPlainObject } from '../util/plain-object.js';
import { Adadelta } from './adadelta.js';
import { Adafactor } from './adafactor.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Ftrl } from './ftrl.js';
import { Lamb } from './lamb.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { Optimizer, type OptimizerSettings } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { getLearningRateSchedule } from './schedules/get-schedule.js';
import type { SavedSchedule } from './schedules/learning-rate-schedule.js';
import { SGD } from './sgd.js';

/** What `getOptimizer` accepts: a name, an instance, or `{className, config}` from `getConfig`. */
export type OptimizerIdentifier = string | Optimizer | { className: string; config?: OptimizerSettings };

/**
 * A config as getConfig wrote it, made fit for a constructor: unset options (null) become absent,
 * and a learning rate saved as `{className, config}` becomes its schedule again.
 */
function constructorConfig(config: Record<string, unknown>): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
  const rate = given['learningRate'];
  if (isPlainObject(rate)) given['learningRate'] = getLearningRateSchedule(rate as SavedSchedule);
  return given;
}

const FACTORIES = builtIns<Optimizer>('optimizer', [
  ['sgd', [], (c) => new SGD(constructorConfig(c))],
  ['adam', [], (c) => new Adam(constructorConfig(c))],
  ['adamw', [], (c) => new AdamW(constructorConfig(c))],
  ['rmsprop', [], (c) => new RMSprop(constructorConfig(c))],
  ['adagrad', [], (c) => new Adagrad(constructorConfig(c))],
  ['adadelta', [], (c) => new Adadelta(constructorConfig(c))],
  ['adamax', [], (c) => new Adamax(constructorConfig(c))],
  ['nadam', [], (c) => new Nadam(constructorConfig(c))],
  ['lion', [], (c) => new Lion(constructorConfig(c))],
  ['ftrl', [], (c) => new Ftrl(constructorConfig(c))],
  ['lamb', [], (c) => new Lamb(constructorConfig(c))],
  ['adafactor', [], (c) => new Adafactor(constructorConfig(c))],
]);

/**
 * Resolves `compile`'s optimizer: an Optimizer (returned as is), a name ('sgd', 'adam', 'adamw',
 * 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion', 'ftrl',
 * 'lamb', 'adafactor', any case) with Keras defaults, or
 * `{className, config}`.
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  return resolveIdentifier('getOptimizer', 'optimizer', identifier, (x): x is Optimizer => x instanceof Optimizer, FACTORIES);
}
