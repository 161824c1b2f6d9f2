import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';

/**
 * tf.depthToSpace: moves blocks of `blockSize`² channels into blockSize × blockSize patches of
 * space, in TensorFlow's DCR order (a channel's block row, then its block column, then the output
 * channel). A reshape, a transpose and a reshape, so the gradient is the same moves backwards.
 */
export function depthToSpace(x: TensorLike, blockSize: number, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): Tensor {
  return withTensors('depthToSpace', [x], (t) => {
    if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') throw new Error(`depthToSpace: dataFormat must be 'NHWC' or 'NCHW', got ${JSON.stringify(dataFormat)}`);
    if (t.rank !== 4) throw new Error(`depthToSpace: expected x of rank 4, got shape ${formatShape(t.shape)}`);
    if (!Number.isInteger(blockSize) || blockSize < 2) throw new Error(`depthToSpace: blockSize must be an integer >= 2, got ${blockSize}`);
    const nhwc = dataFormat === 'NHWC';
    const [batch, height, width, depth] = (nhwc ? t.shape : [t.shape[0], t.shape[2], t.shape[3], t.shape[1]]) as [number, number, number, number];
    const b = blockSize;
    if (depth % (b * b) !== 0) throw new Error(`depthToSpace: the ${depth} channels of shape ${formatShape(t.shape)} must be a multiple of blockSize² = ${b * b}`);
    const channels = depth / (b * b);
    return tidy(() => (nhwc
      ? reshape(transpose(reshape(t, [batch, height, width, b, b, channels]), [0, 1, 3, 2, 4, 5]), [batch, height * b, width * b, channels])
      : reshape(transpose(reshape(t, [batch, b, b, channels, height, width]), [0, 3, 4, 1, 5, 2]), [batch, channels, height * b, width * b])));
  });
}
