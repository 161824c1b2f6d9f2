import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { concat } from './concat.js';
import { clone } from './reshape.js';
import { reverse } from './reverse.js';
import { slice } from './slice.js';

/**
 * tf.mirrorPad: pads each axis with its own values mirrored at the edges. 'reflect' leaves the
 * edge value out of the mirror (so at most dim − 1 per side), 'symmetric' repeats it (at most
 * dim). Made of slices, reverses and a concat per axis, so the gradient folds back onto the
 * entries each mirrored one copies.
 */
export function mirrorPad(x: TensorLike, paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric'): Tensor {
  return withTensors('mirrorPad', [x], (t) => {
    if (mode !== 'reflect' && mode !== 'symmetric') throw new Error(`mirrorPad: mode must be 'reflect' or 'symmetric', got ${JSON.stringify(mode)}`);
    if (!Array.isArray(paddings) || paddings.length !== t.rank) {
      throw new Error(`mirrorPad: expected ${t.rank} [before, after] paddings for shape ${formatShape(t.shape)}, got ${JSON.stringify(paddings)}`);
    }
    const edge = mode === 'reflect' ? 1 : 0;
    paddings.forEach(([before, after], i) => {
      const most = t.shape[i]! - edge;
      if (![before, after].every((p) => Number.isInteger(p) && p >= 0 && p <= most)) {
        throw new Error(`mirrorPad: paddings of axis ${i} must be integers in [0, ${most}] in mode '${mode}' for shape ${formatShape(t.shape)}, got [${before}, ${after}]`);
      }
    });
    // A new tensor even with no padding, as every op gives.
    return tidy(() => paddings.reduce<Tensor>((y, [before, after], axis) => {
      const dim = y.shape[axis]!;
      const part = (begin: number, size: number): Tensor =>
        reverse(slice(y, y.shape.map((_, i) => (i === axis ? begin : 0)), y.shape.map((d, i) => (i === axis ? size : d))), axis);
      const pieces = [...(before > 0 ? [part(edge, before)] : []), y, ...(after > 0 ? [part(dim - edge - after, after)] : [])];
      return pieces.length === 1 ? y : concat(pieces, axis);
    }, clone(t)));
  });
}
