import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { conv2d } from './conv2d.js';
import { withTensors, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import type { Padding } from './window-geometry.js';

/**
 * tf.conv1d: the 1-D convolution of sequences `x` [batch?, width, inChannels] with `filter`
 * [filterWidth, inChannels, outChannels], [batch?, outWidth, outChannels]. Run, as Keras's Conv1D
 * layer is, as conv2d on the sequences seen as images one row high, so every backend's
 * convolution kernels, gradients and ONNX export serve it.
 */
export function conv1d(x: TensorLike, filter: TensorLike, stride: number, pad: Padding, dataFormat: 'NWC' | 'NCW' = 'NWC', dilation = 1): Tensor {
  const op = 'conv1d';
  return withTensors(op, [x, filter], (input, weights) => {
    if (dataFormat !== 'NWC') throw new Error(`${op}: dataFormat must be 'NWC' (channels last), got ${JSON.stringify(dataFormat)}`);
    if (stride > 1 && dilation > 1) throw new Error(`${op}: stride and dilation cannot both be above 1 (as in tfjs), got stride ${stride} and dilation ${dilation}`);
    if (weights.rank !== 3) throw new Error(`${op}: filter must be of rank 3 ([filterWidth, inChannels, outChannels]), got shape ${formatShape(weights.shape)}`);
    return throughBatchOfOne(op, input, 3, '[batch, width, inChannels]', (sequences) => {
      const [batch, width, channels] = sequences.shape as [number, number, number];
      if (channels !== weights.shape[1]) {
        throw new Error(`${op}: x ${formatShape(input.shape)} has ${channels} channels but the filter ${formatShape(weights.shape)} expects ${weights.shape[1]} (its second dimension)`);
      }
      const rows = conv2d(reshape(sequences, [batch, 1, width, channels]), reshape(weights, [1, ...weights.shape]), { strides: [1, stride], padding: pad, dilations: [1, dilation] });
      return reshape(rows, [batch, rows.shape[2]!, rows.shape[3]!]);
    });
  });
}
