import { reshape } from '../ops/reshape.js';
import { transpose } from '../ops/transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { describeShapes } from './attention-parts.js';
import { asBoolMask, sequenceMask, type Mask } from './mask.js';
import type { SymbolicShape } from './symbolic-shape.js';

// MultiHeadAttention on inputs of any rank ≥ 3, [batch, ...inner axes, features], as Keras's
// `attention_axes`: the attended axes' positions attend to each other together, as one run of
// steps; each position along the other inner axes attends apart, as one more sample. Inputs are
// laid out as [batch · positions apart, heads, steps attended, size], where rank-3 attention runs
// unchanged, and laid back after.

/** Which inner axes of an input of `rank` are attended over together, and which are kept apart. */
export interface AttentionLayout {
  readonly rank: number;
  /** Sorted, among 1..rank − 2. */
  readonly attended: readonly number[];
  readonly apart: readonly number[];
}

/**
 * The layout of `axes` (null: every inner axis; negative axes count from the end, as Keras's)
 * for inputs of `rank`; an error naming `label` for an axis that is not an inner one.
 */
export function attentionLayout(label: string, rank: number, axes: readonly number[] | null): AttentionLayout {
  const inner = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  if (axes === null) return { rank, attended: inner, apart: [] };
  const attended = [...new Set(axes.map((axis) => (axis < 0 ? axis + rank : axis)))].sort((a, b) => a - b);
  if (attended.some((axis) => !inner.includes(axis))) {
    throw new Error(`${label}: attentionAxes ${JSON.stringify(axes)} must name axes between the batch and the features (1 to ${rank - 2}, or ${-(rank - 1)} to -2) of inputs of rank ${rank}`);
  }
  return { rank, attended, apart: inner.filter((axis) => !attended.includes(axis)) };
}

/**
 * [query, value] or [query, value, key] (key defaulting to value), checked: all of one rank ≥ 3,
 * the value and the key alike but for their features, and the query's axes kept apart as long as
 * the value's; otherwise an error naming `label`.
 */
export function multiHeadInputs(label: string, shapes: readonly SymbolicShape[], axes: readonly number[] | null): [SymbolicShape, SymbolicShape, SymbolicShape] {
  const given = describeShapes(shapes);
  const rank = shapes[0]?.length ?? 0;
  if (shapes.length < 2 || shapes.length > 3 || rank < 3 || shapes.some((s) => s.length !== rank)) {
    throw new Error(`${label}: expected [query, value] or [query, value, key], each [batch, ...steps, features] of one rank (at least 3), got ${given}`);
  }
  const [query, value, key = value] = shapes as [SymbolicShape, SymbolicShape, SymbolicShape?];
  const differ = (a: SymbolicShape, b: SymbolicShape, at: readonly number[]): boolean => at.some((i) => a[i] != null && b[i] != null && a[i] !== b[i]);
  if (differ(value, key, Array.from({ length: rank - 1 }, (_, i) => i))) throw new Error(`${label}: expected the value and the key to have as many steps, got ${given}`);
  const { apart } = attentionLayout(label, rank, axes);
  if (differ(query, value, apart)) throw new Error(`${label}: expected the query and the value alike along the axes not attended over (${apart.join(', ')}), got ${given}`);
  return [query, value, key];
}

const product = (shape: readonly number[], axes: readonly number[]): number => axes.reduce((n, axis) => n * shape[axis]!, 1);

/** Where the axes of [batch, ...inner, heads, size] go in the heads' layout: the batch, the axes apart, heads, the attended axes, size. */
const headsOrder = ({ rank, attended, apart }: AttentionLayout): number[] => [0, ...apart, rank - 1, ...attended, rank];

/** `x` [batch, ...inner, heads, size] as [batch · positions apart, heads, steps attended, size]. */
export function toHeads(layout: AttentionLayout, x: Tensor): Tensor {
  const { rank, attended, apart } = layout;
  const [heads, size] = x.shape.slice(rank - 1) as [number, number];
  return reshape(transpose(x, headsOrder(layout)), [x.shape[0]! * product(x.shape, apart), heads, product(x.shape, attended), size]);
}

/** `y` [batch · positions apart, heads, steps attended, size] back to [batch, ...inner, heads · size] for inputs of `shape`. */
export function fromHeads(layout: AttentionLayout, y: Tensor, shape: readonly number[]): Tensor {
  const { rank, attended, apart } = layout;
  const [heads, size] = [y.shape[1]!, y.shape[3]!];
  const laidOut = reshape(y, [shape[0]!, ...apart.map((a) => shape[a]!), heads, ...attended.map((a) => shape[a]!), size]);
  const order = headsOrder(layout);
  const back = Array.from({ length: rank + 1 }, (_, axis) => order.indexOf(axis));
  return reshape(transpose(laidOut, back), [...shape.slice(0, rank - 1), heads * size]);
}

/**
 * The attention weights [batch · positions apart, heads, Tq, Tk] as Keras returns them: [batch,
 * ...axes apart, heads, ...query axes attended, ...key axes attended]; without `heads`, the shape
 * of Keras's attention mask, which has no heads axis.
 */
export function scoresShapeOf(layout: AttentionLayout, query: readonly (number | null)[], key: readonly (number | null)[], heads?: number): (number | null)[] {
  const { attended, apart } = layout;
  return [query[0] ?? null, ...apart.map((a) => query[a] ?? null), ...(heads === undefined ? [] : [heads]), ...attended.map((a) => query[a] ?? null), ...attended.map((a) => key[a] ?? null)];
}

/** How many steps an input of `shape` attends over together: the product of its attended axes. */
export function stepsOf({ attended }: AttentionLayout, shape: readonly number[]): number {
  return product(shape, attended);
}

/**
 * A query's, value's or key's mask [batch, ...inner axes] (true or nonzero where the input holds
 * data; at rank 3 the sequence mask [batch, steps]) as bool [batch · positions apart, steps
 * attended]; null for none. An error naming `label` for a mask of another shape.
 */
export function stepsMask(label: string, layout: AttentionLayout, mask: Mask, shape: readonly number[]): Tensor | null {
  if (layout.rank === 3) return sequenceMask(label, mask, shape);
  if (mask === null) return null;
  const expected = shape.slice(0, -1);
  if (!shapesEqual(mask.shape, expected)) {
    throw new Error(`${label}: expected a mask of shape ${formatShape(expected)} ([batch, ...positions] of the input ${formatShape(shape)}), got ${formatShape(mask.shape)}`);
  }
  const { attended, apart } = layout;
  const laidOut = transpose(asBoolMask(mask), [0, ...apart, ...attended]);
  return reshape(laidOut, [shape[0]! * product(shape, apart), stepsOf(layout, shape)]);
}

/**
 * Keras's attentionMask, [batch, ...axes apart, ...query axes attended, ...key axes attended]
 * ([batch, Tq, Tv] at rank 3; true or nonzero where a query position may attend to a key
 * position), as bool [batch · positions apart, Tq, Tk]. An error naming `label` for another shape.
 */
export function stepsAttentionMask(label: string, layout: AttentionLayout, mask: Tensor, query: readonly number[], key: readonly number[]): Tensor {
  const expected = scoresShapeOf(layout, query, key) as number[];
  if (!shapesEqual(mask.shape, expected)) {
    const meaning = layout.rank === 3 ? '[batch, Tq, Tv]' : '[batch, ...axes apart, ...query axes attended, ...key axes attended]';
    throw new Error(`${label}: expected attentionMask of shape ${formatShape(expected)} (${meaning}), got ${formatShape(mask.shape)}`);
  }
  const positionsApart = query[0]! * product(query, layout.apart);
  return reshape(asBoolMask(mask), [positionsApart, stepsOf(layout, query), stepsOf(layout, key)]);
}
