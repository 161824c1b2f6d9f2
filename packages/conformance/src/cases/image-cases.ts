import { opCase } from './case.js';
import { ints, uniform } from './inputs.js';
import type { OpCase } from './types.js';

const SAMPLINGS = [
  { name: 'TensorFlow 1 sampling (tfjs default)', attrs: {} },
  { name: 'corners aligned', attrs: { alignCorners: true } },
  { name: 'half-pixel centres (Keras)', attrs: { halfPixelCenters: true } },
];

/** The resize ops, up and down, in each of tf.image's samplings. */
export const IMAGE_CASES: OpCase[] = [
  ...(['resizeBilinear', 'resizeNearestNeighbor'] as const).flatMap((op) => SAMPLINGS.flatMap(({ name, attrs }) => [
    opCase(`[2,3,4,2] up to 5×7, ${name}`, op, [uniform([2, 3, 4, 2])], { size: [5, 7], ...attrs }),
    opCase(`[1,6,5,1] down to 4×2, ${name}`, op, [uniform([1, 6, 5, 1])], { size: [4, 2], ...attrs }),
  ])),
  opCase('one image of rank 3, to 1×1', 'resizeBilinear', [uniform([3, 3, 2])], { size: [1, 1], halfPixelCenters: true }),
  opCase('int32 images give float32', 'resizeBilinear', [ints([1, 2, 3, 1], -50, 50)], { size: [3, 4] }),
  opCase('int32 images keep their dtype', 'resizeNearestNeighbor', [ints([1, 3, 2, 2], -50, 50)], { size: [2, 5], halfPixelCenters: true }),
  opCase('same size is a copy', 'resizeNearestNeighbor', [uniform([1, 3, 3, 1])], { size: [3, 3] }),
];
