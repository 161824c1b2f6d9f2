/** Our elementwise kernel names mapped to the tfjs ops that compute them. */
import * as tf from '@tensorflow/tfjs-core';
import type { BinaryKernelName, UnaryKernelName } from '@perceptron/core';

type UnaryOp = (x: tf.Tensor) => tf.Tensor;
type BinaryOp = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * tfjs refuses int32 for these (or, for exp, answers float32). Core's ops refuse int32 here,
 * but the kernel contract takes it (backend-tfjs's kernel cases call kernels directly) and
 * expects the result truncated back to int32, which the caller's dtype restoration does.
 */
function onFloats(op: UnaryOp): UnaryOp {
  return (x) => op(x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
}

/**
 * `result` with NaN wherever a float operand is NaN, as NumPy, TensorFlow and core's other
 * backends give: tfjs's sign answers 0 for NaN, and tfjs-wasm's maximum/minimum drop a NaN
 * second operand.
 */
function withNaNOf(result: tf.Tensor, ...operands: tf.Tensor[]): tf.Tensor {
  if (operands[0]!.dtype !== 'float32') return result;
  const anyNaN = operands.map((x) => tf.isNaN(x)).reduce((p, q) => tf.logicalOr(p, q));
  return tf.where(anyNaN, tf.scalar(NaN), result);
}

export const UNARY_OPS: Record<UnaryKernelName, UnaryOp> = {
  neg: tf.neg,
  abs: tf.abs,
  sign: (x) => withNaNOf(tf.sign(x), x),
  exp: onFloats(tf.exp),
  log: onFloats(tf.log),
  sqrt: onFloats(tf.sqrt),
  square: tf.square,
  relu: tf.relu,
  sigmoid: onFloats(tf.sigmoid),
  tanh: onFloats(tf.tanh),
  sin: onFloats(tf.sin),
  cos: onFloats(tf.cos),
  floor: onFloats(tf.floor),
  ceil: onFloats(tf.ceil),
  round: onFloats(tf.round),
};

/** tfjs broadcasts NumPy-style by itself, so core's outShape is not needed. */
export const BINARY_OPS: Record<BinaryKernelName, BinaryOp> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  // On two int32 tensors tf.div is floor division, which is what core specifies.
  div: tf.div,
  pow: tf.pow,
  maximum: (a, b) => withNaNOf(tf.maximum(a, b), a, b),
  minimum: (a, b) => withNaNOf(tf.minimum(a, b), a, b),
  equal: tf.equal,
  notEqual: tf.notEqual,
  less: tf.less,
  lessEqual: tf.lessEqual,
  greater: tf.greater,
  greaterEqual: tf.greaterEqual,
};

const COMPARISONS: ReadonlySet<BinaryKernelName> = new Set<BinaryKernelName>([
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
]);

export function isComparison(name: BinaryKernelName): boolean {
  return COMPARISONS.has(name);
}
