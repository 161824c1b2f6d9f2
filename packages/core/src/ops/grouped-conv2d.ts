import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { concat } from './concat.js';
import { fusedConv2d } from './conv2d.js';
import { checkBias, type FusedConv2DSettings } from './convolution-kind.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkOperands, IMAGE_LAYOUT } from './image-operands.js';
import { split } from './split.js';

/**
 * The convolution of x's channels in `groups` groups, each by its own share of the filter's
 * output channels (Keras's Conv2D `groups`, ONNX Conv's `group`): filter [filterHeight,
 * filterWidth, channels / groups, outChannels], group g reading channels [g·C/G, (g+1)·C/G) and
 * giving outputs [g·F/G, (g+1)·F/G), joined along the channels, each group adding its share of
 * the bias [outChannels] (if any) before the activation. One group is fusedConv2d. Composed of
 * split, fusedConv2d and concat, so their kernels and gradients serve it.
 */
export function groupedConv2d(x: TensorLike, filter: TensorLike, groups: number, settings: FusedConv2DSettings = {}): Tensor {
  const op = 'groupedConv2d';
  const { bias = null, ...perGroup } = settings ?? {};
  return withTensors(op, bias === null ? [x, filter] : [x, filter, bias], (input, weights, b) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT], filter: [weights, '[filterHeight, filterWidth, inChannels / groups, outChannels]'] });
    const [channels, groupChannels, outChannels] = [input.shape[3]!, weights.shape[2]!, weights.shape[3]!];
    if (!Number.isInteger(groups) || groups < 1 || channels !== groupChannels * groups || outChannels % groups !== 0) {
      throw new Error(
        `${op}: ${groups} groups need x's ${channels} channels to be ${groups} × the filter's third dimension and the filter's ${outChannels} output channels a multiple of ${groups}; got x ${formatShape(input.shape)} and filter ${formatShape(weights.shape)}`,
      );
    }
    checkBias(op, b, outChannels, weights.shape);
    if (groups === 1) return fusedConv2d(input, weights, { ...perGroup, bias: b ?? null });
    return tidy(() => {
      const [images, filters] = [split(input, groups, 3), split(weights, groups, 3)];
      const biases = b ? split(b, groups, 0) : null;
      return concat(images.map((part, g) => fusedConv2d(part, filters[g]!, { ...perGroup, bias: biases?.[g] ?? null })), 3);
    });
  });
}
