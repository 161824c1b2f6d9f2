import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { concat } from './concat.js';
import { conv2dBackpropFilter, conv2dBackpropInput, FULL, fusedConv2d } from './conv2d.js';
import { conv2dAttrs, outputShapeOf } from './conv2d-geometry.js';
import { checkBias, plan, type FusedConv2DSettings } from './convolution-kind.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { activationGradient, checkFusedActivation } from './fused-activation.js';
import { checkOperands, IMAGE_LAYOUT } from './image-operands.js';
import { sum } from './reduce.js';
import { runOp } from './run-op.js';
import { split } from './split.js';

/**
 * The convolution of x's channels in `groups` groups, each by its own share of the filter's
 * output channels (Keras's Conv2D `groups`, ONNX Conv's `group`): filter [filterHeight,
 * filterWidth, channels / groups, outChannels], group g reading channels [g·C/G, (g+1)·C/G) and
 * giving outputs [g·F/G, (g+1)·F/G), joined along the channels, each group adding its share of
 * the bias [outChannels] (if any) before the activation. One group is fusedConv2d; more are one
 * op (so an exported graph holds one grouped Conv) computed by fusedConv2d per group, its
 * gradients by the convolution's backward ops per group.
 */
export function groupedConv2d(x: TensorLike, filter: TensorLike, groups: number, settings: FusedConv2DSettings = {}): Tensor {
  const op = 'groupedConv2d';
  const { bias = null, activation = 'linear', ...convolution } = settings ?? {};
  return withTensors(op, bias === null ? [x, filter] : [x, filter, bias], (input, weights, b) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT], filter: [weights, '[filterHeight, filterWidth, inChannels / groups, outChannels]'] });
    const [channels, groupChannels, outChannels] = [input.shape[3]!, weights.shape[2]!, weights.shape[3]!];
    if (!Number.isInteger(groups) || groups < 1 || channels !== groupChannels * groups || outChannels % groups !== 0) {
      throw new Error(
        `${op}: ${groups} groups need x's ${channels} channels to be ${groups} × the filter's third dimension and the filter's ${outChannels} output channels a multiple of ${groups}; got x ${formatShape(input.shape)} and filter ${formatShape(weights.shape)}`,
      );
    }
    checkBias(op, b, outChannels, weights.shape);
    if (groups === 1) return fusedConv2d(input, weights, { ...convolution, bias: b ?? null, activation });
    checkFusedActivation(op, activation);
    // Planned as one group's convolution: its image has the group's channels, its output all of them.
    const planned = plan(FULL, op, 'x', [...input.shape.slice(0, 3), groupChannels], 'the filter', weights.shape, convolution);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: b ? [input, weights, b] : [input, weights], shape: outputShapeOf(planned), dtype: 'float32',
      attrs: { ...conv2dAttrs(planned), groups, activation },
      kernel: (backend) => compositeKernel(backend, () => {
        const [images, filters, biases] = [split(input, groups, 3), split(weights, groups, 3), b ? split(b, groups, 0) : null];
        return concat(images.map((image, g) => fusedConv2d(image, filters[g]!, { ...resolved, bias: biases?.[g] ?? null, activation })), 3);
      }),
      gradient: (dy, { inputs: [xs, w], output }, [needX, needFilter, needBias]) => {
        const dz = activationGradient(dy, output, activation);
        const [images, filters, gradients] = [split(xs!, groups, 3), split(w!, groups, 3), split(dz, groups, 3)];
        const grads = [
          needX ? concat(gradients.map((dzg, g) => conv2dBackpropInput(dzg, filters[g]!, images[g]!.shape, resolved)), 3) : null,
          needFilter ? concat(gradients.map((dzg, g) => conv2dBackpropFilter(images[g]!, dzg, filters[g]!.shape, resolved)), 3) : null,
        ];
        return b ? [...grads, needBias ? sum(dz, [0, 1, 2]) : null] : grads;
      },
    });
  });
}
