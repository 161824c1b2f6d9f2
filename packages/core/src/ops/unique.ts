import type { Tensor } from '../tensor/tensor.js';
import { allocate } from '../util/dtype.js';
import { normalizeAxis } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { hostResult } from './host-result.js';

/**
 * tf.unique: the distinct slices of `x` along `axis` (entries, for a vector) in the order they
 * first appear, and for each slice of `x` the position of its value among them. Compared on the
 * host, as TensorFlow's kernel does, with its equality: 0 and −0 are one value, and each NaN is
 * a value of its own. Neither output carries a gradient.
 */
export function unique(x: TensorLike, axis = 0): { values: Tensor; indices: Tensor } {
  return withTensors('unique', [x], (t) => {
    if (t.rank < 1) throw new Error('unique: expected a tensor of rank >= 1, got a scalar');
    const at = normalizeAxis('unique', axis, t.rank);
    const [outer, length, inner] = [t.shape.slice(0, at).reduce((a, b) => a * b, 1), t.shape[at]!, t.shape.slice(at + 1).reduce((a, b) => a * b, 1)];
    const data = t.dataSync();
    const sliceOf = (k: number): number[] => Array.from({ length: outer * inner }, (_, j) => data[(Math.floor(j / inner) * length + k) * inner + (j % inner)]!);
    let nanCount = 0;
    const keyOf = (s: number[]): string => s.map((v) => (Number.isNaN(v) ? `NaN${nanCount++}` : String(v === 0 ? 0 : v))).join(',');
    const firstOf = new Map<string, number>();
    const kept: number[] = [];
    const indices = Int32Array.from({ length }, (_, k) => {
      const key = keyOf(sliceOf(k));
      if (!firstOf.has(key)) {
        firstOf.set(key, kept.length);
        kept.push(k);
      }
      return firstOf.get(key)!;
    });
    const shape = t.shape.map((d, i) => (i === at ? kept.length : d));
    const values = allocate(t.dtype, outer * kept.length * inner);
    kept.forEach((k, u) => sliceOf(k).forEach((v, j) => (values[(Math.floor(j / inner) * kept.length + u) * inner + (j % inner)] = v)));
    return {
      values: hostResult('unique', [t], values, shape, t.dtype, { axis: at }),
      indices: hostResult('uniqueIndices', [t], indices, [length], 'int32', { axis: at }),
    };
  });
}
