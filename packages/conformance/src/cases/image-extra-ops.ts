import * as core from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { NDArray } from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

/**
 * A cropAndResize row's image, boxes and boxInd. Rows whose boxes are an attribute (the nearest
 * crops: TensorFlow gives their boxes the bilinear slope, which finite differences of a step
 * function cannot check) have inputs [image, boxInd]; the others [image, boxes, boxInd].
 */
function cropOperands<T>(xs: T[], a: Attrs, boxesOf: (rows: number[][]) => T): [T, T, T] {
  return a.boxes ? [xs[0]!, boxesOf(a.boxes), xs[1]!] : [xs[0]!, xs[1]!, xs[2]!];
}

const cropSettings = (a: Attrs): ref.CropSettings => ({
  cropSize: a.cropSize!, method: (a.method ?? 'bilinear') as ref.CropSettings['method'], extrapolationValue: a.extrapolationValue ?? 0,
});

/** The rest of tf.image: flips, colour conversions, threshold, rotateWithOffset, cropAndResize. */
export const IMAGE_EXTRA_OPS = {
  flipLeftRight: { run: ([x]) => core.flipLeftRight(x!), reference: ([x]) => ref.flipLeftRight(x!), differentiable: true },
  grayscaleToRGB: { run: ([x]) => core.grayscaleToRGB(x!), reference: ([x]) => ref.grayscaleToRGB(x!), differentiable: true },
  rgbToGrayscale: {
    run: ([x]) => core.rgbToGrayscale(x!), reference: ([x], _a, dtypes) => ref.rgbToGrayscale(x!, dtypes[0] === 'int32'),
    // Three weighted channels summed.
    reductionLength: () => 3, differentiable: true,
  },
  threshold: {
    run: ([x], a) => core.threshold(x!, a.method as core.ThresholdMethod | undefined, a.inverted, a.threshValue),
    reference: ([x], a) => ref.threshold(x!, (a.method ?? 'binary') as 'binary' | 'otsu', a.inverted ?? false, a.threshValue ?? 0.5),
    dtype: () => 'int32', differentiable: false,
  },
  rotateWithOffset: {
    run: ([x], a) => core.rotateWithOffset(x!, a.radians!, a.fillColor ?? a.fillValue, a.center),
    reference: ([x], a) => ref.rotateWithOffset(x!, { radians: a.radians!, fill: a.fillColor ?? a.fillValue ?? 0, center: a.center ?? 0.5 }),
    differentiable: true,
  },
  cropAndResize: {
    run: (xs, a) => {
      const [image, boxes, boxInd] = cropOperands<Tensor>(xs, a, (rows) => core.tensor(rows));
      return core.cropAndResize(image, boxes, boxInd, a.cropSize!, a.method as core.CropMethod | undefined, a.extrapolationValue);
    },
    reference: (xs, a) => {
      const [image, boxes, boxInd] = cropOperands<NDArray>(xs, a, (rows) => ref.ndarray([rows.length, 4], rows.flat().map(Math.fround)));
      return ref.cropAndResize(image, boxes, boxInd, cropSettings(a));
    },
    // Each crop pixel mixes four pixels, at points the op works out in float32 from the boxes: a
    // point off by a few float32 ulps of (size − 1) moves the value by that times the difference
    // of neighbouring pixels (at most 2 for inputs in [−1, 1]), counted as size − 1 terms per axis.
    dtype: () => 'float32', reductionLength: ([image]) => 4 + image![1]! - 1 + image![2]! - 1, differentiable: true,
  },
} satisfies Record<string, OpSpec>;
