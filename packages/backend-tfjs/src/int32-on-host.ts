/**
 * int32 elementwise arithmetic computed on the host, from the tensors' Int32Array data.
 *
 * tfjs's int32 kernels are not exact: tfjs-cpu's abs and square, and tfjs-wasm's neg, abs, div
 * and pow, compute in float32, so results beyond 2^24 lose their low bits; tfjs-wasm turns a
 * float result it cannot hold (x / 0, an overflowing pow) into -2^31; tfjs-cpu's mul and pow
 * multiply in float64, which rounds a product beyond 2^53 before it wraps. Core's contract,
 * which the naive backend defines, is the exact result wrapped modulo 2^32 (two's complement,
 * as TensorFlow's int32 kernels): products and powers multiplied in 32 bits, anything else
 * computed in float64 and stored in an Int32Array — truncated towards zero, wrapped, with ±∞
 * and NaN (x / 0) stored as 0. Computing the same formulas here gives exactly that on every
 * tfjs backend whose int32 data lives on the host.
 */
import * as tf from '@tensorflow/tfjs-core';
import { int32Power, type BinaryKernelName, type Shape, type UnaryKernelName } from '@perceptron/core';

/** A unary formula ignores its second operand. */
export type Int32Formula = (a: number, b: number) => number;

/**
 * The int32 arithmetic core allows, as the naive backend computes it. Comparisons are not
 * here: tfjs compares int32 values exactly. Neither are exp, log, sqrt, sigmoid, tanh: core
 * refuses int32 for them.
 */
export const INT32_FORMULAS: Partial<Record<UnaryKernelName | BinaryKernelName, Int32Formula>> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => Math.sign(x),
  square: (x) => Math.imul(x, x),
  relu: (x) => Math.max(0, x),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: Math.imul,
  // Rounds towards negative infinity; x / 0 is ±∞ or NaN, which int32 storage makes 0.
  div: (a, b) => Math.floor(a / b),
  pow: int32Power,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
};

const sameShape = (a: readonly number[], b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * `formula` applied elementwise to one or two int32 `operands`, which broadcast to `outShape`,
 * as a new int32 tensor. Broadcasting is left to tfjs (a copy, exact for int32). Called inside
 * the adapter's tf.tidy, which frees the broadcast copies.
 */
export function int32OnHost(formula: Int32Formula, operands: readonly tf.Tensor[], outShape: Shape): tf.Tensor {
  const [a, b = a] = operands.map((x) => (sameShape(x.shape, outShape) ? x : tf.broadcastTo(x, [...outShape])).dataSync());
  // Assigning to an Int32Array truncates, wraps modulo 2^32 and stores ±∞ and NaN as 0.
  const out = new Int32Array(a!.length);
  for (let i = 0; i < out.length; i++) out[i] = formula(a![i]!, b![i]!);
  return tf.tensor(out, [...outShape], 'int32');
}
