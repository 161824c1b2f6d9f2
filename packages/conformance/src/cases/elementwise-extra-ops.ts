import * as core from '@perceptron/core';
import type { DType, Tensor } from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';

const unary = (name: string, fn: (x: Tensor) => Tensor, bool = false): OpSpec => ({
  run: ([x]) => fn(x!),
  reference: ([x]) => ref.elementwise([x!], ref.UNARY_EXTRA[name]!),
  ...(bool ? { dtype: (): DType => 'bool' } : {}),
  differentiable: !bool,
});

const binary = (name: string, fn: (a: Tensor, b: Tensor) => Tensor): OpSpec => ({
  run: ([a, b]) => fn(a!, b!),
  reference: ([a, b], _attrs, dtypes) => ref.elementwise([a!, b!], (u, v) => ref.BINARY_EXTRA[name]!(u, v, dtypes[0] === 'int32')),
  differentiable: true,
});

/** tfjs's elementwise ops that core composes from its own: arithmetic, float checks, trigonometry, activations. */
export const ELEMENTWISE_EXTRA_OPS = {
  reciprocal: unary('reciprocal', core.reciprocal),
  rsqrt: unary('rsqrt', core.rsqrt),
  expm1: unary('expm1', core.expm1),
  isNaN: unary('isNaN', core.isNaN, true),
  isInf: unary('isInf', core.isInf, true),
  isFinite: unary('isFinite', core.isFinite, true),
  tan: unary('tan', core.tan),
  asin: unary('asin', core.asin),
  acos: unary('acos', core.acos),
  atan: unary('atan', core.atan),
  sinh: unary('sinh', core.sinh),
  cosh: unary('cosh', core.cosh),
  asinh: unary('asinh', core.asinh),
  acosh: unary('acosh', core.acosh),
  atanh: unary('atanh', core.atanh),
  elu: unary('elu', core.elu),
  selu: unary('selu', core.selu),
  relu6: unary('relu6', core.relu6),
  logSigmoid: unary('logSigmoid', core.logSigmoid),
  squaredDifference: binary('squaredDifference', core.squaredDifference),
  divNoNan: binary('divNoNan', core.divNoNan),
  atan2: binary('atan2', core.atan2),
  prelu: binary('prelu', core.prelu),
  step: {
    run: ([x], a) => core.step(x!, a.alpha),
    reference: ([x], a, dtypes) => ref.elementwise([x!], (v) => ref.step(v, a.alpha ?? 0, dtypes[0] === 'int32')),
    differentiable: true,
  },
  leakyRelu: {
    run: ([x], a) => core.leakyRelu(x!, a.alpha),
    reference: ([x], a) => ref.elementwise([x!], (v) => ref.leakyRelu(v, a.alpha ?? 0.2)),
    differentiable: true,
  },
} satisfies Record<string, OpSpec>;
