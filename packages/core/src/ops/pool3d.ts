import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, maximum } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { depthCounts, depthTap, padDepth } from './depth-taps.js';
import { checkOperands, checkSettingNames } from './image-operands.js';
import { avgPool2d, maxPool2d } from './pool2d.js';
import type { Pool2DSettings } from './pool2d-geometry.js';
import { reshape } from './reshape.js';
import { planVolume, spatialTriple, VOLUME_LAYOUT, type VolumePlan } from './volume-geometry.js';
import { paddingMode, type Padding } from './window-geometry.js';

// 3-D max and average pooling as composites: each depth plane pooled over height and width by
// the 2-D op (depth folded into the batch), then each window's depth planes combined. The window
// is a box, so that is its max, and its mean: the 2-D average divides by the plane's taps inside
// the image, the depth step by the window's depth planes inside the volume, and their product is
// the box's taps inside the volume, the divisor of TensorFlow's 'same' average.

/** How a pooling window moves over the volume, as Keras's MaxPooling3D and AveragePooling3D take it. */
export interface Pool3DSettings {
  /** The window, [depth, height, width] or one number for all three. Default 2. */
  poolSize?: number | readonly [number, number, number];
  /** Steps between windows, [depth, height, width] or one number. Default: the pool size, so the windows tile the volume. */
  strides?: number | readonly [number, number, number];
  /** 'valid' uses whole windows only; 'same' pads so the output is ceil(input / stride), the odd one after. Default 'valid'. */
  padding?: Padding;
}

const SETTING_NAMES = ['poolSize', 'strides', 'padding'];

/** How each kind of pooling reduces a plane, pads the depth, and combines a window's depth planes. */
interface Reduction {
  planes(images: Tensor, settings: Pool2DSettings): Tensor;
  /** −∞ never wins a max; 0 adds nothing to a sum, and the count leaves it out. */
  padValue: number;
  combine(a: Tensor, b: Tensor): Tensor;
  finish(combined: Tensor, plan: VolumePlan): Tensor;
}

const REDUCTIONS: Readonly<Record<'max' | 'average', Reduction>> = {
  // maximum gives ties to its first operand, the earlier depth, and maxPool2d to the first tap
  // row-major: the gradient goes to the window's first maximum in (depth, row, column) order.
  max: { planes: maxPool2d, padValue: -Infinity, combine: maximum, finish: (combined) => combined },
  average: { planes: avgPool2d, padValue: 0, combine: add, finish: (combined, plan) => div(combined, depthCounts(plan)) },
};

function poolVolume(op: string, reduction: Reduction, x: TensorLike, settings: Pool3DSettings): Tensor {
  return withTensors(op, [x], (input) => {
    checkOperands(op, { x: [input, VOLUME_LAYOUT] }, 5);
    checkSettingNames(op, settings, SETTING_NAMES);
    const poolSize = spatialTriple(op, 'poolSize', settings.poolSize ?? 2);
    const strides = spatialTriple(op, 'strides', settings.strides ?? poolSize);
    const planned = planVolume(op, input.shape, { window: poolSize, strides, dilation: [1, 1, 1], padding: paddingMode(op, settings.padding ?? 'valid') });
    const [batch, depth, height, width, channels] = input.shape as [number, number, number, number, number];
    const { window, padding } = planned.planes;
    const [, outHeight, outWidth] = planned.output;
    return tidy(() => {
      const planes = reduction.planes(reshape(input, [batch * depth, height, width, channels]), { poolSize: window, strides: planned.planes.strides, padding });
      // [batch, depth, plane], as depth-taps.ts explains.
      const padded = padDepth(reshape(planes, [batch, depth, outHeight * outWidth * channels]), planned, reduction.padValue);
      const taps = Array.from({ length: poolSize[0] }, (_, tap) => depthTap(padded, planned, tap));
      return reshape(reduction.finish(taps.reduce(reduction.combine), planned), [batch, ...planned.output, channels]);
    });
  });
}

/**
 * Max pooling of volumes `x` [batch, depth, height, width, channels] as tf.nn.max_pool3d and
 * Keras's MaxPooling3D compute it: the largest value of each window (of its values inside the
 * volume, with 'same'), [batch, outDepth, outHeight, outWidth, channels]. The gradient goes to
 * the window's first maximum in (depth, row, column) order, as maxPool2d's to its first
 * (TensorFlow's CPU kernel shares it among values within 1e-5 of the maximum).
 */
export function maxPool3d(x: TensorLike, settings: Pool3DSettings = {}): Tensor {
  return poolVolume('maxPool3d', REDUCTIONS.max, x, settings);
}

/**
 * Average pooling of volumes `x` [batch, depth, height, width, channels] as tf.nn.avg_pool3d and
 * Keras's AveragePooling3D compute it: the mean of each window, [batch, outDepth, outHeight,
 * outWidth, channels]; with 'same' padding, the mean of the window's values inside the volume
 * (the padding is not counted).
 */
export function avgPool3d(x: TensorLike, settings: Pool3DSettings = {}): Tensor {
  return poolVolume('avgPool3d', REDUCTIONS.average, x, settings);
}
