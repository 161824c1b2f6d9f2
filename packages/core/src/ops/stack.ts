import type { Tensor } from '../tensor/tensor.js';
import { formatShape, normalizeAxis } from '../util/shape.js';
import { concat } from './concat.js';
import { withTensors, type TensorLike } from './convert.js';
import { expandDims } from './reshape.js';

/** tf.stack: tensors of one shape joined along a new dimension at `axis`; unstack undoes it. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('stack: expected at least one tensor, got none');
  return withTensors('stack', xs, (...ts) => {
    const first = ts[0]!;
    const differing = ts.find((t) => t.shape.length !== first.rank || t.shape.some((d, i) => d !== first.shape[i]));
    if (differing) throw new Error(`stack: expected tensors of one shape, got ${ts.map((t) => formatShape(t.shape)).join(', ')}`);
    const at = normalizeAxis('stack', axis, first.rank + 1);
    return concat(ts.map((t) => expandDims(t, at)), at);
  });
}
