import type { Tensor } from '../tensor/tensor.js';
import { allocate } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { hostResult } from './host-result.js';
import type { TensorLike } from './convert.js';
import { withTensorsAsync } from './with-tensors-async.js';

/**
 * tf.setdiff1dAsync: the entries of the vector `x` that are not in `y`, in x's order (repeats
 * kept), and their positions in x. Read back and compared on the host, as TensorFlow's ListDiff.
 */
export function setdiff1dAsync(x: TensorLike, y: TensorLike): Promise<[Tensor, Tensor]> {
  return withTensorsAsync('setdiff1dAsync', [x, y], async (a, b) => {
    if (a.rank !== 1 || b.rank !== 1) throw new Error(`setdiff1dAsync: x and y must be 1-D, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    if (a.dtype !== b.dtype) throw new Error(`setdiff1dAsync: x and y must have one dtype, got ${a.dtype} and ${b.dtype}`);
    const [xs, ys] = await Promise.all([a.data(), b.data()]);
    const excluded = new Set(ys);
    const positions = Array.from(xs.keys()).filter((i) => !excluded.has(xs[i]!));
    const values = allocate(a.dtype, positions.length);
    positions.forEach((p, k) => (values[k] = xs[p]!));
    return [
      hostResult('setdiff1d', [a, b], values, [positions.length], a.dtype),
      hostResult('setdiff1dIndices', [a, b], Int32Array.from(positions), [positions.length], 'int32'),
    ];
  });
}
