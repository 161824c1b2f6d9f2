import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, normalizeAxis, sizeOf } from '../util/shape.js';
import { tensor, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { hostResult } from './host-result.js';
import { reshape } from './reshape.js';
import { withTensorsAsync } from './with-tensors-async.js';

/** Flat positions of the true (non-zero) entries of `values`. */
const truePositions = (values: ArrayLike<number>): number[] => Array.from({ length: values.length }, (_, i) => i).filter((i) => values[i] !== 0);

/**
 * tf.whereAsync: the coordinates of the true (non-zero) entries of `condition`, in row-major
 * order, as an int32 [count, rank] tensor. The count depends on the values, so they are read
 * back first; the coordinates carry no gradient.
 */
export function whereAsync(condition: TensorLike): Promise<Tensor> {
  return withTensorsAsync('whereAsync', [condition], async (c) => {
    const positions = truePositions(await c.data());
    const coordinates = new Int32Array(positions.length * c.rank);
    positions.forEach((p, k) => {
      for (let d = c.rank - 1; d >= 0; d--) {
        coordinates[k * c.rank + d] = p % c.shape[d]!;
        p = Math.floor(p / c.shape[d]!);
      }
    });
    return hostResult('whereAsync', [c], coordinates, [positions.length, c.rank], 'int32');
  });
}

/**
 * tf.booleanMaskAsync: the slices of `x` where the bool `mask` is true. The mask covers axes
 * axis..axis+mask.rank of x, which become one axis of the selected entries. The positions are
 * read back from the mask; the selection is a gather, so the gradient reaches x.
 */
export function booleanMaskAsync(x: TensorLike, mask: TensorLike, axis = 0): Promise<Tensor> {
  return withTensorsAsync('booleanMaskAsync', [x, mask], async (t, m) => {
    if (m.dtype !== 'bool') throw new Error(`booleanMaskAsync: mask must be bool, got ${m.dtype}`);
    if (m.rank === 0) throw new Error('booleanMaskAsync: mask must have rank >= 1, got a scalar');
    const at = normalizeAxis('booleanMaskAsync', axis, t.rank);
    if (at + m.rank > t.rank || m.shape.some((d, i) => d !== t.shape[at + i])) {
      throw new Error(`booleanMaskAsync: mask ${formatShape(m.shape)} must match the dimensions of x ${formatShape(t.shape)} from axis ${axis}`);
    }
    const positions = truePositions(await m.data());
    const flat = [...t.shape.slice(0, at), sizeOf(m.shape), ...t.shape.slice(at + m.rank)];
    return tidy(() => gather(reshape(t, flat), tensor(Int32Array.from(positions), [positions.length], 'int32'), at));
  });
}
