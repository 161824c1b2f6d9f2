import { opCase } from './case.js';
import { ints, uniform, values } from './inputs.js';
import type { OpCase } from './types.js';

// The sample points of these crops and rotations stay off pixel boundaries and off halves
// between pixels (the random boxes and angles put them there only by a coincidence well below
// float32's rounding), so the float64 oracle and the float32 ops pick the same pixels, and the
// finite differences of the boxes see no kink.

const boxIndices = (indices: number[]): ReturnType<typeof values> => values([indices.length], indices, 'int32');

/** tf.image's flips, colour conversions and threshold, then rotateWithOffset and cropAndResize. */
export const IMAGE_EXTRA_CASES: OpCase[] = [
  opCase('[2,3,4,2]', 'flipLeftRight', [uniform([2, 3, 4, 2])]),
  opCase('one image of rank 3', 'flipLeftRight', [uniform([3, 5, 2])]),
  opCase('int32 images keep their dtype', 'flipLeftRight', [ints([1, 2, 3, 1], -50, 50)]),
  opCase('[2,3,1] to three channels', 'grayscaleToRGB', [uniform([2, 3, 1])]),
  opCase('rank 2 [4,1]', 'grayscaleToRGB', [uniform([4, 1])]),
  opCase('int32 images keep their dtype', 'grayscaleToRGB', [ints([2, 2, 2, 1], 0, 256)]),
  opCase('[2,3,3]', 'rgbToGrayscale', [uniform([2, 3, 3], 0, 1)]),
  opCase('a batch [2,2,2,3]', 'rgbToGrayscale', [uniform([2, 2, 2, 3], -1, 1)]),
  opCase('rank 2 [5,3]', 'rgbToGrayscale', [uniform([5, 3], 0, 255)]),
  opCase('int32 images are truncated back to int32', 'rgbToGrayscale', [ints([3, 4, 3], 0, 256)]),

  opCase('binary at 0.5 (127.5), RGB float', 'threshold', [uniform([4, 5, 3], 0, 255)]),
  opCase('binary at 0.3, inverted, RGB int32', 'threshold', [ints([4, 5, 3], 0, 256)], { inverted: true, threshValue: 0.3 }),
  opCase('binary at 0.61, one channel', 'threshold', [uniform([3, 4, 1], 0, 255)], { threshValue: 0.61 }),
  // 0.4·255 = 102 exactly: a gray value of 102 is not above it, and is at or below it inverted.
  opCase('binary: a gray value equal to the level', 'threshold', [values([1, 3, 1], [101, 102, 103], 'int32')], { threshValue: 0.4 }),
  opCase('binary: equal to the level, inverted', 'threshold', [values([1, 3, 1], [101, 102, 103], 'int32')], { threshValue: 0.4, inverted: true }),
  opCase('otsu, RGB int32', 'threshold', [ints([6, 7, 3], 0, 256)], { method: 'otsu' }),
  opCase('otsu, gray float32, inverted', 'threshold', [uniform([5, 6, 1], 0, 255)], { method: 'otsu', inverted: true }),
  // Two levels, 40 and 200: the splits between them tie, and each puts the 200s above the level.
  opCase('otsu, two levels: the lowest split', 'threshold', [values([2, 3, 1], [40, 200, 40, 200, 200, 40], 'int32')], { method: 'otsu' }),
  // One level: no split separates anything, the level is −1 and every pixel is above it.
  opCase('otsu, a constant image', 'threshold', [values([2, 2, 1], [7, 7, 7, 7], 'int32')], { method: 'otsu' }),

  opCase('0.5 rad about the middle', 'rotateWithOffset', [uniform([1, 5, 6, 2])], { radians: 0.5 }),
  opCase('1.3 rad about (0.3, 0.6), a fill colour', 'rotateWithOffset', [uniform([2, 4, 5, 3])], { radians: 1.3, fillColor: [0.1, -0.2, 0.3], center: [0.3, 0.6] }),
  opCase('−2 rad, RGBA: the fill is opaque', 'rotateWithOffset', [uniform([1, 4, 4, 4])], { radians: -2, fillColor: [0.5, 0.25, 0.75], center: 0.2 }),
  opCase('a quarter turn about a pixel centre, fill 0.25', 'rotateWithOffset', [uniform([1, 6, 4, 1])], { radians: Math.PI / 2, fillValue: 0.25 }),
  opCase('int32 images keep their dtype', 'rotateWithOffset', [ints([1, 5, 5, 1], -50, 50)], { radians: 0.7, fillValue: 9 }),

  opCase('three boxes in two images, 3×4', 'cropAndResize', [uniform([2, 5, 6, 2]), uniform([3, 4], 0.05, 0.95), boxIndices([0, 1, 1])], { cropSize: [3, 4] }),
  opCase('boxes reaching off the image, extrapolation 0.5', 'cropAndResize', [uniform([1, 4, 5, 1]), uniform([4, 4], -0.5, 1.5), boxIndices([0, 0, 0, 0])], { cropSize: [4, 5], extrapolationValue: 0.5 }),
  opCase('flipped boxes (y1 > y2, x1 > x2)', 'cropAndResize', [uniform([2, 4, 4, 1]), values([2, 4], [0.83, 0.77, 0.12, 0.21, 0.64, 0.12, 0.33, 0.58]), boxIndices([1, 0])], { cropSize: [3, 3] }),
  opCase('crops of one pixel sample the box centre', 'cropAndResize', [uniform([1, 5, 5, 2]), uniform([3, 4], 0.05, 0.95), boxIndices([0, 0, 0])], { cropSize: [1, 1] }),
  opCase('one row high, three wide', 'cropAndResize', [uniform([2, 4, 6, 1]), uniform([2, 4], 0.05, 0.95), boxIndices([1, 0])], { cropSize: [1, 3] }),
  opCase('upsampled: 7×9 from a 4×5 image', 'cropAndResize', [uniform([1, 4, 5, 1]), uniform([1, 4], 0.05, 0.95), boxIndices([0])], { cropSize: [7, 9] }),
  opCase('int32 image: the boxes\' gradient', 'cropAndResize', [ints([2, 4, 5, 1], -50, 50), uniform([2, 4], 0.05, 0.95), boxIndices([1, 0])], { cropSize: [3, 2] }),
  // [0, 0, 1, 1] over 56 rows in 28: the last row lands on the last pixel (TensorFlow's float32
  // order overshoots it and reads the extrapolation value).
  opCase('a whole 56-row image in 28 rows reaches the last row', 'cropAndResize', [uniform([1, 56, 3, 1]), values([1, 4], [0, 0, 1, 1]), boxIndices([0])], { cropSize: [28, 2], extrapolationValue: -5 }, { checkGradient: false }),
  opCase('nearest, three boxes in two images', 'cropAndResize', [uniform([2, 5, 6, 2]), boxIndices([0, 1, 1])], {
    cropSize: [4, 3], method: 'nearest', boxes: [[0.11, 0.23, 0.87, 0.71], [0.93, 0.84, 0.07, 0.19], [0.36, 0.08, 0.58, 0.94]],
  }),
  opCase('nearest, boxes reaching off the image', 'cropAndResize', [uniform([1, 4, 5, 1]), boxIndices([0, 0])], {
    cropSize: [3, 4], method: 'nearest', extrapolationValue: -1, boxes: [[-0.43, 0.27, 0.61, 1.38], [1.31, -0.22, 0.24, 0.66]],
  }),
  opCase('nearest, one pixel: the box centre', 'cropAndResize', [uniform([1, 5, 6, 1]), boxIndices([0, 0])], {
    cropSize: [1, 1], method: 'nearest', boxes: [[0.13, 0.31, 0.74, 0.52], [0.62, 0.91, 0.2, 0.05]],
  }),
  opCase('nearest, int32 image', 'cropAndResize', [ints([1, 4, 4, 2], -50, 50), boxIndices([0])], { cropSize: [3, 3], method: 'nearest', boxes: [[0.07, 0.12, 0.94, 0.81]] }),
];
