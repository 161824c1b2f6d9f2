import { opCase } from './case.js';
import { ints, uniform } from './inputs.js';
import type { OpCase } from './types.js';

// tf.image.transform's rows map output pixel (x, y) to the input point
// ((a0·x + a1·y + a2)/k, (a3·x + a4·y + a5)/k), k = a6·x + a7·y + 1.

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0];

/** Rotation by `degrees` about the centre of a height × width image (output → input, so the inverse rotation). */
function rotation(degrees: number, height: number, width: number): number[] {
  const [c, s] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0];
}

/**
 * An affine map that reaches well outside a 5 × 6 image on every side (x from −8.4 to 9.0, y
 * from −12.3 to 7.1), so the fill modes map points from beyond a whole period.
 */
const FAR = [2.57, 1.13, -8.37, -1.41, 3.09, -5.27, 0, 0];
/** A projective map (a6, a7 ≠ 0). */
const PROJECTIVE = [1.1, 0.2, -0.45, -0.15, 0.9, 0.35, 0.06, -0.045];

/**
 * The image ops' affine and projective resampling, in each interpolation and fill mode. The
 * images' gradient is checked on every float row: the output is linear in the images for fixed
 * transforms, so sample points on pixel boundaries put no kink in the finite differences.
 */
export const TRANSFORM_CASES: OpCase[] = [
  opCase('identity, nearest', 'transform', [uniform([2, 4, 5, 3])], { transforms: [IDENTITY] }),
  opCase('identity, bilinear', 'transform', [uniform([1, 4, 5, 2])], { transforms: [IDENTITY], interpolation: 'bilinear' }),
  opCase('whole-pixel translation, constant fill', 'transform', [uniform([1, 5, 6, 2])], { transforms: [[1, 0, 2, 0, 1, -1, 0, 0]], fillValue: -2 }),
  opCase('rotation by 30° about the centre, bilinear', 'transform', [uniform([1, 5, 6, 2])], { transforms: [rotation(30, 5, 6)], interpolation: 'bilinear' }),
  opCase('rotation by 30° about the centre, nearest, fill 0.5', 'transform', [uniform([1, 5, 6, 1])], { transforms: [rotation(30, 5, 6)], fillValue: 0.5 }),
  // Scale 0.5 samples half-pixels, where nearest rounds halves away from zero (as std::round).
  opCase('zoom in ×2 (scale 0.5), nearest, halves round up', 'transform', [uniform([1, 5, 6, 1])], { transforms: [[0.5, 0, 1, 0, 0.5, 1, 0, 0]] }),
  opCase('zoom in ×2 (scale 0.5), bilinear', 'transform', [uniform([1, 5, 6, 2])], { transforms: [[0.5, 0, 1.2, 0, 0.5, 0.9, 0, 0]], interpolation: 'bilinear' }),
  opCase('zoom out ×2 (scale 2), bilinear, fill 0.25', 'transform', [uniform([1, 5, 6, 1])], { transforms: [[2, 0, -2.3, 0, 2, -1.7, 0, 0]], interpolation: 'bilinear', fillValue: 0.25 }),
  ...(['reflect', 'wrap', 'nearest'] as const).flatMap((fillMode) => [
    opCase(`points outside, ${fillMode} fill, bilinear`, 'transform', [uniform([1, 5, 6, 2])], { transforms: [FAR], interpolation: 'bilinear', fillMode }),
    opCase(`points outside, ${fillMode} fill, nearest`, 'transform', [uniform([1, 5, 6, 1])], { transforms: [FAR], fillMode }),
  ]),
  opCase('points outside, constant fill, bilinear', 'transform', [uniform([1, 5, 6, 2])], { transforms: [FAR], interpolation: 'bilinear', fillValue: -0.75 }),
  opCase('projective, bilinear', 'transform', [uniform([1, 5, 6, 2])], { transforms: [PROJECTIVE], interpolation: 'bilinear' }),
  opCase('projective, reflect fill, nearest', 'transform', [uniform([1, 5, 6, 1])], { transforms: [PROJECTIVE], fillMode: 'reflect' }),
  // k = 1 − x/4 is 0 in column 4, which reads the fill value even though the fill mode is not 'constant'.
  opCase('k = 0 in one column reads fillValue in any mode', 'transform', [uniform([1, 4, 6, 1])], { transforms: [[1, 0, 0.3, 0, 1, 0.2, -0.25, 0]], interpolation: 'bilinear', fillMode: 'nearest', fillValue: 3 }),
  opCase('one [1,8] row for a batch of 2', 'transform', [uniform([2, 4, 5, 2])], { transforms: [rotation(-50, 4, 5)], interpolation: 'bilinear', fillMode: 'reflect' }),
  opCase('a row per image', 'transform', [uniform([2, 4, 5, 1])], { transforms: [rotation(15, 4, 5), [0.8, 0.1, 0.4, -0.2, 1.2, -0.3, 0, 0]], interpolation: 'bilinear' }),
  opCase('outputShape [3, 8] from 5 × 6, bilinear', 'transform', [uniform([1, 5, 6, 2])], { transforms: [[0.7, 0.1, 0.2, 0.05, 1.3, 0.4, 0, 0]], interpolation: 'bilinear', outputShape: [3, 8] }),
  opCase('outputShape [7, 2] from 4 × 5, wrap fill, nearest', 'transform', [uniform([1, 4, 5, 1])], { transforms: [rotation(40, 4, 5)], fillMode: 'wrap', outputShape: [7, 2] }),
  // An axis of one pixel: reflect and wrap read it wherever the point falls; constant only at exactly 0.
  opCase('one-pixel-high images, reflect fill, bilinear', 'transform', [uniform([1, 1, 5, 1])], { transforms: [[1.3, 0, -1.1, 0, 1, 0.7, 0, 0]], interpolation: 'bilinear', fillMode: 'reflect' }),
  opCase('one-pixel-high images, constant fill', 'transform', [uniform([1, 1, 5, 2])], { transforms: [[1, 0, 0.6, 0, 0, 0, 0, 0]], interpolation: 'bilinear', fillValue: 1 }),
  opCase('int32 images give float32', 'transform', [ints([1, 4, 5, 1], -50, 50)], { transforms: [rotation(30, 4, 5)], interpolation: 'bilinear' }),
];
