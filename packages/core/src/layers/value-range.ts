import { add, mul, sub } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';

/** The span pixels lie in, [low, high], as Keras's image layers take it (`value_range`). */
export type ValueRange = readonly [number, number];

/** `value` (default [0, 255]) checked as [low, high] with finite low < high; else an error naming `owner`. */
export function valueRangeOf(owner: string, value: unknown = [0, 255]): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(value[0] < value[1])) {
    throw new Error(`${owner}: valueRange must be [low, high] with finite low < high, got ${describeValue(value)}`);
  }
  return [value[0] as number, value[1] as number];
}

/**
 * `images` mapped linearly from `from` onto `to` (low to low, high to high), as Keras's
 * _transform_value_range: the colour layers compute on [0, 1] or [0, 255] whatever the images' own range.
 */
export function rescale(images: Tensor, from: ValueRange, to: ValueRange): Tensor {
  if (from[0] === to[0] && from[1] === to[1]) return images;
  return add(mul(sub(images, from[0]), (to[1] - to[0]) / (from[1] - from[0])), to[0]);
}
