import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { concat } from './concat.js';
import { conv2d } from './conv2d.js';
import type { Conv2DSettings } from './conv2d-geometry.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkOperands, IMAGE_LAYOUT } from './image-operands.js';
import { split } from './split.js';

/**
 * The convolution of x's channels in `groups` groups, each by its own share of the filter's
 * output channels (Keras's Conv2D `groups`, ONNX Conv's `group`): filter [filterHeight,
 * filterWidth, channels / groups, outChannels], group g reading channels [g·C/G, (g+1)·C/G) and
 * giving outputs [g·F/G, (g+1)·F/G), joined along the channels. One group is conv2d. Composed of
 * split, conv2d and concat, so their kernels and gradients serve it.
 */
export function groupedConv2d(x: TensorLike, filter: TensorLike, groups: number, settings: Conv2DSettings = {}): Tensor {
  const op = 'groupedConv2d';
  return withTensors(op, [x, filter], (input, weights) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT], filter: [weights, '[filterHeight, filterWidth, inChannels / groups, outChannels]'] });
    const [channels, groupChannels, outChannels] = [input.shape[3]!, weights.shape[2]!, weights.shape[3]!];
    if (!Number.isInteger(groups) || groups < 1 || channels !== groupChannels * groups || outChannels % groups !== 0) {
      throw new Error(
        `${op}: ${groups} groups need x's ${channels} channels to be ${groups} × the filter's third dimension and the filter's ${outChannels} output channels a multiple of ${groups}; got x ${formatShape(input.shape)} and filter ${formatShape(weights.shape)}`,
      );
    }
    if (groups === 1) return conv2d(input, weights, settings);
    return tidy(() => {
      const [images, filters] = [split(input, groups, 3), split(weights, groups, 3)];
      return concat(images.map((part, g) => conv2d(part, filters[g]!, settings)), 3);
    });
  });
}
