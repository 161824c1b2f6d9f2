import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { withTensors, tensor, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { stridedSliceSpec, type StridedSliceMasks } from './strided-slice-spec.js';

/**
 * tf.stridedSlice with TensorFlow's semantics (see stridedSliceSpec for the masks): a slice of
 * the contiguous ranges, a gather of the entries along each axis whose stride is not 1, and a
 * reshape that adds the new axes and drops the shrunk ones. Gradients come from those parts.
 */
export function stridedSlice(
  x: TensorLike, begin: readonly number[], end: readonly number[], strides?: readonly number[],
  beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkAxisMask = 0,
): Tensor {
  return withTensors('stridedSlice', [x], (t) => {
    const masks: StridedSliceMasks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
    const { axes, shape } = stridedSliceSpec(t.shape, begin, end, strides, masks);
    return tidy(() => {
      const stepped = (a: (typeof axes)[number]): boolean => a.stride !== 1 && a.size > 1;
      let y = slice(t, axes.map((a) => (stepped(a) || a.size === 0 ? 0 : a.begin)), axes.map((a, i) => (stepped(a) ? t.shape[i]! : a.size)));
      axes.forEach((a, axis) => {
        if (!stepped(a)) return;
        const indices = tensor(Int32Array.from({ length: a.size }, (_, k) => a.begin + k * a.stride), [a.size], 'int32');
        y = gather(y, indices, axis);
      });
      return reshape(y, shape);
    });
  });
}
