import * as core from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

const axesLength = (shape: readonly number[], axis: Attrs['axis']): number =>
  ref.resolveAxes(axis, shape.length).reduce((n, a) => n * shape[a]!, 1);

/** tfjs's array and reduction ops made of core's: logSumExp, moments, norm, cumprod, addN, dot, outerProduct. */
export const ARRAY_EXTRA_OPS = {
  logSumExp: {
    run: ([x], a) => core.logSumExp(x!, a.axis, a.keepDims),
    reference: ([x], a) => ref.logSumExp(x!, a.axis, a.keepDims ?? false),
    reductionLength: ([s], a) => axesLength(s!, a.axis), dtype: () => 'float32', differentiable: true,
  },
  /** Row `piece` 0 checks the mean, 1 the variance. */
  moments: {
    run: ([x], a) => {
      const { mean, variance } = core.moments(x!, a.axis, a.keepDims);
      const [checked, other] = a.piece === 1 ? [variance, mean] : [mean, variance];
      other.dispose();
      return checked;
    },
    reference: ([x], a) => { const { mean, variance } = ref.moments(x!, a.axis, a.keepDims ?? false); return a.piece === 1 ? variance : mean; },
    // The variance's deviations each carry the mean's rounding.
    reductionLength: ([s], a) => 2 * axesLength(s!, a.axis), dtype: () => 'float32', differentiable: true,
  },
  norm: {
    run: ([x], a) => core.norm(x!, a.ord, a.axis, a.keepDims),
    reference: ([x], a) => ref.norm(x!, a.ord ?? 'euclidean', a.axis, a.keepDims ?? false),
    reductionLength: ([s], a) => axesLength(s!, a.axis), differentiable: true,
  },
  euclideanNorm: {
    run: ([x], a) => core.euclideanNorm(x!, a.axis, a.keepDims),
    reference: ([x], a) => ref.norm(x!, 'euclidean', a.axis, a.keepDims ?? false),
    reductionLength: ([s], a) => axesLength(s!, a.axis), differentiable: true,
  },
  cumprod: {
    run: ([x], a) => core.cumprod(x!, a.axis as number, a.exclusive, a.reverse),
    reference: ([x], a) => ref.cumprod(x!, ref.resolveAxes(a.axis ?? 0, x!.shape.length)[0]!, a.exclusive ?? false, a.reverse ?? false),
    reductionLength: ([s], a) => s![ref.resolveAxes(a.axis ?? 0, s!.length)[0]!]!, differentiable: true,
  },
  addN: { run: (xs) => core.addN(xs), reference: (xs) => ref.addN(xs), reductionLength: (shapes) => shapes.length, differentiable: true },
  dot: {
    run: ([x, y]) => core.dot(x!, y!), reference: ([x, y]) => ref.dot(x!, y!),
    reductionLength: ([s]) => s![s!.length - 1]!, differentiable: true,
  },
  outerProduct: { run: ([x, y]) => core.outerProduct(x!, y!), reference: ([x, y]) => ref.outerProduct(x!, y!), differentiable: true },
} satisfies Record<string, OpSpec>;
