// Keras's encode_categorical_inputs, dense outputs only: integer tokens in [0, depth) become
// one-hot rows, one multi-hot row per sample, or per-sample counts. CategoryEncoding encodes
// its inputs with it and Discretization its bucket indices, so both follow the same rank rules.
import { minimum, mul } from '../ops/arithmetic.js';
import { oneHot } from '../ops/one-hot.js';
import { sum } from '../ops/reduce.js';
import { expandDims, reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';

export const ENCODING_MODES = ['one_hot', 'multi_hot', 'count'] as const;

/**
 * 'one_hot': each token its own row of `depth`; 'multi_hot': a 1 for each token a sample holds;
 * 'count': how many times it holds each (weighted by `countWeights`, if given).
 */
export type EncodingMode = (typeof ENCODING_MODES)[number];

/** `value`, or `fallback` when absent, if it is one of `modes`; else an error naming `owner`. */
export function outputModeArgument<T extends string>(owner: string, value: unknown, modes: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!modes.includes(value as T)) throw new Error(`${owner}: outputMode must be one of ${modes.map((m) => `'${m}'`).join(', ')}, got ${describeValue(value)}`);
  return value as T;
}

/** Refuses `sparse: true` (a Keras option for the TensorFlow backend's sparse tensors), naming `owner`. */
export function refuseSparse(owner: string, value: unknown): void {
  if (value !== undefined && value !== false) {
    throw new Error(`${owner}: sparse must be false, got ${describeValue(value)}: Perceptron has no sparse tensors, so the output is always dense`);
  }
}

/**
 * The shape of the encoding of tokens of `shape`, as Keras 3 gives it: 'one_hot' appends the
 * token axis, except to a [batch, 1] input, whose last axis it replaces; 'multi_hot' and 'count'
 * replace the last axis (a sample's tokens) with it. Keras encodes inputs of rank 1 or 2 only
 * (its docstring's rule; its code upranks a scalar inconsistently), so others are refused,
 * naming `label`.
 */
export function encodedShape(label: string, mode: EncodingMode, shape: SymbolicShape, depth: number): SymbolicShape {
  if (shape.length !== 1 && shape.length !== 2) {
    throw new Error(`${label}: outputMode '${mode}' encodes inputs of rank 1 (one sample) or 2 (a batch), got shape ${formatSymbolicShape(shape)}`);
  }
  const replacesLast = mode !== 'one_hot' || (shape.length === 2 && shape[1] === 1);
  return [...(replacesLast ? shape.slice(0, -1) : shape), depth];
}

/**
 * The float32 encoding of int32 `tokens` (each in [0, depth), which the caller has made sure
 * of) of shape `encodedShape` gives. `countWeights`, of the tokens' shape, weighs each token's
 * count. Computed with oneHot and sums, so it runs on every backend.
 */
export function encodeTokens(label: string, tokens: Tensor, mode: EncodingMode, depth: number, countWeights?: Tensor): Tensor {
  const shape = encodedShape(label, mode, tokens.shape, depth);
  if (mode === 'one_hot') return oneHot(reshape(tokens, shape.slice(0, -1) as number[]), depth);
  const rows = oneHot(tokens, depth);
  const counts = sum(countWeights ? mul(rows, expandDims(countWeights, -1)) : rows, -2);
  return mode === 'count' ? counts : minimum(counts, 1);
}
