import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { add } from './arithmetic.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { conv2dBackpropInput } from './conv2d.js';
import { withTensors, type TensorLike } from './convert.js';
import { pad as padTensor } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { unstack } from './split.js';
import { planVolume, spatialTriple, VOLUME_LAYOUT, type VolumePlan } from './volume-geometry.js';
import { paddingMode, type Padding } from './window-geometry.js';

// The transpose of conv3d.ts's composite, run backwards: conv3d reads, for depth tap k, the
// padded depth planes d·stride + k and convolves them by filter[k]; so its input's gradient is,
// per tap, the 2-D transposed convolution (conv2dBackpropInput) of each output depth's planes by
// filter[k], put back at the depths it read, added up over taps, the padding cut off.

/**
 * The planes [batch, outDepth, plane] of tap `tap`, each at the padded depth its output depth
 * read, d·stride + tap, zeros between and around: [batch, paddedDepth, plane]. depthTap's adjoint.
 */
function placeDepthTap(planes: Tensor, { depth, settings }: VolumePlan, tap: number): Tensor {
  const [batch, outDepth, plane] = planes.shape as [number, number, number];
  const stride = settings.strides[0];
  // Each plane followed by stride − 1 zero planes, the last ones dropped.
  const spread = stride === 1 ? planes
    : slice(reshape(padTensor(reshape(planes, [batch, outDepth, 1, plane]), [[0, 0], [0, 0], [0, stride - 1], [0, 0]]), [batch, outDepth * stride, plane]), 0, [-1, (outDepth - 1) * stride + 1, -1]);
  const paddedDepth = depth.input + depth.before + depth.after;
  return padTensor(spread, [[0, 0], [tap, paddedDepth - tap - spread.shape[1]!], [0, 0]]);
}

/**
 * tf.conv3dTranspose: the transposed 3-D convolution of `x` [batch?, depth, height, width,
 * inDepth] by `filter` [fd, fh, fw, outDepth, inDepth] to `outputShape` [batch?, outDepth_,
 * outHeight, outWidth, outDepth] — the gradient of conv3d's input given `x` as its output's.
 */
export function conv3dTranspose(x: TensorLike, filter: TensorLike, outputShape: Shape, strides: number | readonly [number, number, number], pad: Padding): Tensor {
  const op = 'conv3dTranspose';
  return withTensors(op, [x, filter], (input, weights) => {
    if (weights.rank !== 5) throw new Error(`${op}: filter must be of rank 5 ([filterDepth, filterHeight, filterWidth, outDepth, inDepth]), got shape ${formatShape(weights.shape)}`);
    if (outputShape.length !== input.rank) {
      throw new Error(`${op}: outputShape must have x's rank ${input.rank} ([batch?, depth, height, width, outDepth]), got ${formatShape(outputShape)} for x ${formatShape(input.shape)}`);
    }
    return throughBatchOfOne(op, input, 5, VOLUME_LAYOUT, (dy) => transposeVolume(op, dy, weights, outputShape.length === 5 ? outputShape : [1, ...outputShape], strides, pad));
  });
}

function transposeVolume(op: string, dy: Tensor, filter: Tensor, shape: Shape, strides: number | readonly [number, number, number], padding: Padding): Tensor {
  const [filterDepth, filterHeight, filterWidth, outChannels, inChannels] = filter.shape as [number, number, number, number, number];
  const planned = planVolume(op, shape, {
    window: [filterDepth, filterHeight, filterWidth], strides: spatialTriple(op, 'strides', strides), dilation: [1, 1, 1], padding: paddingMode(op, padding),
  });
  const [batch, depth, height, width, channels] = shape as [number, number, number, number, number];
  const expected = [batch, ...planned.output, inChannels];
  if (channels !== outChannels || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(
      `${op}: for outputShape ${formatShape(shape)} and filter ${formatShape(filter.shape)}, x must be ${formatShape(expected)} and outputShape's last dimension ${outChannels}; got x ${formatShape(dy.shape)}`,
    );
  }
  const outDepth = planned.depth.output;
  const tapShape = [filterHeight, filterWidth, outChannels, inChannels];
  const perTap = unstack(reshape(filter, [filterDepth, sizeOf(tapShape)])).map((tapFilter, tap) => {
    const planes = conv2dBackpropInput(reshape(dy, [batch * outDepth, ...dy.shape.slice(2)]), reshape(tapFilter, tapShape), [batch * outDepth, height, width, channels], { strides: planned.planes.strides, padding });
    return placeDepthTap(reshape(planes, [batch, outDepth, height * width * channels]), planned, tap);
  });
  const total = perTap.reduce((sum, y) => add(sum, y));
  return reshape(slice(total, [0, planned.depth.before, 0], [-1, depth, -1]), shape);
}
