// What Attention and MultiHeadAttention share: their inputs' check, the causal mask, the size of
// a hidden score, and the dropout of their weights.
import { tensor } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { Dropout } from './dropout.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** A hidden score sits this far below the others, so softmax gives it no weight (Keras's number for float32). */
export const MASKED_SCORE = 1e9;

/** [1, Tq, Tv]: 1 where key step j comes after query step i (j > i), which a decoder may not see. */
export function causalMask(queries: number, keys: number): Tensor {
  return tensor(Array.from({ length: queries * keys }, (_, i) => (i % keys > Math.floor(i / keys) ? 1 : 0)), [1, queries, keys]);
}

/**
 * The layer's dropout of its attention weights, or null for rate 0. It is named after the layer,
 * so that it takes no default name ('dropout') from the user's layers.
 */
export function weightsDropout(layer: string, rate: number, seed?: number): Dropout | null {
  return rate > 0 ? new Dropout({ rate, name: `${layer}_dropout`, ...(seed === undefined ? {} : { seed }) }) : null;
}

/**
 * [query, value] or [query, value, key] (key defaulting to value), checked: each of rank 3 and
 * the value and key of as many steps; otherwise an error naming `label`.
 */
export function attentionInputs(label: string, shapes: readonly SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
  const given = describeShapes(shapes);
  if (shapes.length < 2 || shapes.length > 3 || shapes.some((s) => s.length !== 3)) {
    throw new Error(`${label}: expected [query, value] or [query, value, key], each [batch, steps, features], got ${given}`);
  }
  const [query, value, key = value] = shapes as [SymbolicShape, SymbolicShape, SymbolicShape?];
  if (value[1] != null && key[1] != null && value[1] !== key[1]) throw new Error(`${label}: expected the value and the key to have as many steps, got ${given}`);
  return [query, value, key];
}

/** `[2,3,2], [2,4,2]`, unknown sizes as -1. */
export function describeShapes(shapes: readonly SymbolicShape[]): string {
  return shapes.map((s) => formatShape(s.map((d) => d ?? -1))).join(', ');
}
