import * as pc from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';

/**
 * The ONNX samplings core's resize ops compute, keyed `mode/coordinate_transformation_mode`
 * (nearest: `/nearest_mode`), with the resize op and its (alignCorners, halfPixelCenters):
 * - linear: half_pixel is TensorFlow 2's and Keras's; asymmetric TensorFlow 1's (tfjs's default).
 * - nearest: floor((o + 0.5)·scale) is both tf_half_pixel_for_nn with floor and half_pixel
 *   rounding halves up; asymmetric with floor is PyTorch's nearest upsampling.
 */
const SAMPLINGS: Readonly<Record<string, readonly [typeof pc.resizeBilinear, boolean, boolean]>> = {
  'linear/half_pixel': [pc.resizeBilinear, false, true],
  'linear/align_corners': [pc.resizeBilinear, true, false],
  'linear/asymmetric': [pc.resizeBilinear, false, false],
  'nearest/half_pixel/round_prefer_ceil': [pc.resizeNearestNeighbor, false, true],
  'nearest/tf_half_pixel_for_nn/floor': [pc.resizeNearestNeighbor, false, true],
  'nearest/align_corners/round_prefer_ceil': [pc.resizeNearestNeighbor, true, false],
  'nearest/asymmetric/floor': [pc.resizeNearestNeighbor, false, false],
};

/** Input i's values, read whether a constant or a tensor (float scales are initializers, so tensors); undefined when left out or empty. */
function valuesOf(c: NodeContext, i: number): number[] | undefined {
  const value = c.inputs[i];
  const values = value === undefined ? [] : value instanceof pc.Tensor ? Array.from(value.dataSync()) : [...value.values];
  return values.length === 0 ? undefined : values;
}

/**
 * Resize of channels-first [batch, channels, height, width] images, in the samplings core
 * computes; the output size from `sizes`, or from `scales` that give whole sizes (ONNX samples
 * with the given scale, which is then the sizes' ratio too).
 */
export const resize: Interpreter = (c) => {
  const x = c.tensor(0);
  if (x.rank !== 4) c.fail(`expected images of rank 4 [batch, channels, height, width], got shape ${pc.formatShape(x.shape)}`);
  const mode = c.string('mode', 'nearest');
  const transform = c.string('coordinate_transformation_mode', 'half_pixel');
  const key = mode === 'nearest' ? `${mode}/${transform}/${c.string('nearest_mode', 'round_prefer_floor')}` : `${mode}/${transform}`;
  const sampling = SAMPLINGS[key] ?? c.fail(`the sampling ${key} is not supported; supported are ${Object.keys(SAMPLINGS).join(', ')}`);
  if (c.int('antialias', 0) !== 0) c.fail('antialias 1 is not supported');
  if (c.has('axes') || c.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch') c.fail('axes and keep_aspect_ratio_policy are not supported');
  const sizes = valuesOf(c, 3);
  const scales = valuesOf(c, 2);
  const size = sizes ?? scales?.map((s, i) => x.shape[i]! * s) ?? c.fail('one of scales and sizes is required');
  if (size.length !== 4 || size[0] !== x.shape[0] || size[1] !== x.shape[1] || size.some((d) => !Number.isInteger(d))) {
    c.fail(`expected ${sizes ? 'sizes' : 'scales'} to keep the batch and channels and give whole sizes, got [${(sizes ?? scales)!.join(',')}] for shape ${pc.formatShape(x.shape)}`);
  }
  const [op, alignCorners, halfPixelCenters] = sampling;
  const resized = op(pc.transpose(x, [0, 2, 3, 1]), [size[2]!, size[3]!], alignCorners, halfPixelCenters);
  return pc.transpose(resized, [0, 3, 1, 2]);
};
