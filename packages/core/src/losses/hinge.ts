import { tidy } from '../engine/memory.js';
import { add, maximum, mul, sub } from '../ops/arithmetic.js';
import { equal } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { max, mean, sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { LossFunctionWrapper, type NamedLossConfig } from './loss.js';
import { alignTargets } from './targets.js';

// Maximum-margin losses for classifiers whose scores should clear the right side by 1.

/**
 * Labels as ±1: labels that are all 0 or 1 become 2y − 1, as Keras converts them; any other
 * labels are taken as they are. Decided with ops, so no value is read back to the host.
 */
function asSignedLabels(labels: Tensor): Tensor {
  const allBinary = equal(max(abs(mul(labels, sub(labels, 1)))), 0);
  return where(allBinary, sub(mul(labels, 2), 1), labels);
}

/** max(1 − y·p, 0) elementwise, y in ±1. */
function margins(caller: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignTargets(caller, yTrue, yPred);
  return maximum(sub(1, mul(asSignedLabels(t), p)), 0);
}

/** Per sample: mean max(1 − y·p, 0), labels ±1 (or 0/1, converted). */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => mean(margins('hinge', yTrue, yPred), -1));
}

/** Per sample: mean max(1 − y·p, 0)², labels ±1 (or 0/1, converted). */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => mean(square(margins('squaredHinge', yTrue, yPred)), -1));
}

/**
 * Per sample, with one-hot y: max(best wrong score − right score + 1, 0), the right class's
 * score must beat every other by 1.
 */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('categoricalHinge', yTrue, yPred);
    const right = sum(mul(t, p), -1);
    const bestWrong = max(mul(sub(1, t), p), -1);
    return maximum(add(sub(bestWrong, right), 1), 0);
  });
}

/** Keras's Hinge: hinge (mean max(1 − y·p, 0), labels ±1 or 0/1) reduced over the batch. */
export class Hinge extends LossFunctionWrapper {
  static readonly className: string = 'Hinge';
  constructor(config: NamedLossConfig = {}) {
    super('hinge', hinge, config);
  }
}

/** Keras's SquaredHinge: squaredHinge (mean max(1 − y·p, 0)²) reduced over the batch. */
export class SquaredHinge extends LossFunctionWrapper {
  static readonly className: string = 'SquaredHinge';
  constructor(config: NamedLossConfig = {}) {
    super('squared_hinge', squaredHinge, config);
  }
}

/** Keras's CategoricalHinge: categoricalHinge (the right class must beat the best wrong one by 1) reduced over the batch. */
export class CategoricalHinge extends LossFunctionWrapper {
  static readonly className: string = 'CategoricalHinge';
  constructor(config: NamedLossConfig = {}) {
    super('categorical_hinge', categoricalHinge, config);
  }
}
