import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { add } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { depthTap, padDepth } from './depth-taps.js';
import { groupedConv2d } from './grouped-conv2d.js';
import { checkOperands, checkSettingNames } from './image-operands.js';
import { reshape } from './reshape.js';
import { unstack } from './split.js';
import { planVolume, spatialTriple, VOLUME_LAYOUT, type VolumePlan } from './volume-geometry.js';
import { checkDilationsWithStrides, paddingMode, type Padding } from './window-geometry.js';

// The 3-D convolution as a composite of 2-D ones: for each depth tap k of the filter, the depth
// planes that tap reads for every output depth are folded into the batch and convolved by
// filter[k] (the 2-D op walks height and width); the taps' results add up. Its gradients, its
// backends and its ONNX export are those of the parts.

/** How a 3-D convolution's filter moves over the volume, as tf.conv3d and Keras's Conv3D take it. */
export interface Conv3DSettings {
  /** Steps between windows, [depth, height, width] or one number for all three. Default 1. */
  strides?: number | readonly [number, number, number];
  /** 'valid' uses whole windows only; 'same' pads so the output is ceil(input / stride), the odd one after. Default 'valid'. */
  padding?: Padding;
  /** Spacing between the filter's taps, [depth, height, width] or one number. Default 1; above 1 only with strides 1. */
  dilations?: number | readonly [number, number, number];
}

const SETTING_NAMES = ['strides', 'padding', 'dilations'];

/**
 * Checks the operands, settings and groups, naming `op`, and plans the convolution of `x` by
 * `filter` [fd, fh, fw, channels / groups, outChannels].
 */
function plan(op: string, x: Tensor, filter: Tensor, groups: number, settings: Conv3DSettings, filterLayout: string): VolumePlan {
  checkOperands(op, { x: [x, VOLUME_LAYOUT], filter: [filter, filterLayout] }, 5);
  checkSettingNames(op, settings, SETTING_NAMES);
  const strides = spatialTriple(op, 'strides', settings.strides ?? 1);
  const dilations = spatialTriple(op, 'dilations', settings.dilations ?? 1);
  checkDilationsWithStrides(op, dilations, strides);
  const padding = paddingMode(op, settings.padding ?? 'valid');
  const [filterDepth, filterHeight, filterWidth, groupChannels, outChannels] = filter.shape as [number, number, number, number, number];
  if (filterDepth * filterHeight * filterWidth === 0) throw new Error(`${op}: the filter ${formatShape(filter.shape)} has no taps; its depth, height and width must be at least 1`);
  const channels = x.shape[4]!;
  if (groups === 1 && channels !== groupChannels) {
    throw new Error(`${op}: x ${formatShape(x.shape)} has ${channels} channels but the filter ${formatShape(filter.shape)} expects ${groupChannels} (its fourth dimension)`);
  }
  if (!Number.isInteger(groups) || groups < 1 || channels !== groupChannels * groups || outChannels % groups !== 0) {
    throw new Error(
      `${op}: ${groups} groups need x's ${channels} channels to be ${groups} × the filter's fourth dimension and the filter's ${outChannels} output channels a multiple of ${groups}; got x ${formatShape(x.shape)} and filter ${formatShape(filter.shape)}`,
    );
  }
  return planVolume(op, x.shape, { window: [filterDepth, filterHeight, filterWidth], strides, dilation: dilations, padding });
}

function convolveVolume(op: string, x: TensorLike, filter: TensorLike, groups: number, settings: Conv3DSettings, filterLayout: string): Tensor {
  return withTensors(op, [x, filter], (input, weights) => {
    const planned = plan(op, input, weights, groups, settings, filterLayout);
    const [batch, depth, height, width, channels] = input.shape as [number, number, number, number, number];
    const [filterDepth, ...tapShape] = weights.shape as [number, number, number, number, number];
    const { strides, dilation, padding } = planned.planes;
    return tidy(() => {
      // [batch, depth, plane] and [filterDepth, tap], as depth-taps.ts explains.
      const padded = padDepth(reshape(input, [batch, depth, height * width * channels]), planned, 0);
      const perTap = unstack(reshape(weights, [filterDepth, sizeOf(tapShape)])).map((tapFilter, tap) => {
        const planes = reshape(depthTap(padded, planned, tap), [batch * planned.depth.output, height, width, channels]);
        return groupedConv2d(planes, reshape(tapFilter, tapShape), groups, { strides, padding, dilations: dilation });
      });
      const total = perTap.reduce((sum, y) => add(sum, y));
      return reshape(total, [batch, ...planned.output, tapShape[3]]);
    });
  });
}

/**
 * The 3-D convolution of volumes `x` [batch, depth, height, width, inChannels] with `filter`
 * [filterDepth, filterHeight, filterWidth, inChannels, outChannels], as tf.conv3d and Keras's
 * Conv3D compute it (channels last, no flip of the filter): [batch, outDepth, outHeight,
 * outWidth, outChannels]. Made of conv2d over depth planes folded into the batch, one per depth
 * tap of the filter, added up.
 */
export function conv3d(x: TensorLike, filter: TensorLike, settings: Conv3DSettings = {}): Tensor {
  return convolveVolume('conv3d', x, filter, 1, settings, '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]');
}

/**
 * The 3-D convolution of x's channels in `groups` groups, each by its own share of the filter's
 * output channels (Keras's Conv3D `groups`): filter [filterDepth, filterHeight, filterWidth,
 * channels / groups, outChannels], group g reading channels [g·C/G, (g+1)·C/G) and giving outputs
 * [g·F/G, (g+1)·F/G). One group is conv3d. Made of groupedConv2d as conv3d is of conv2d.
 */
export function groupedConv3d(x: TensorLike, filter: TensorLike, groups: number, settings: Conv3DSettings = {}): Tensor {
  return convolveVolume('groupedConv3d', x, filter, groups, settings, '[filterDepth, filterHeight, filterWidth, inChannels / groups, outChannels]');
}
