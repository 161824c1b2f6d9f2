import * as ref from '../reference/index.js';
import { opCase } from './case.js';
import { distinct, uniform } from './inputs.js';
import type { OpCase } from './types.js';

// tfjs's positional nn ops. The transposed convolutions' x is shaped as the output of the
// convolution of outputShape they transpose; the 'same' rows with even windows or strides check
// that the odd padding goes after. Max pooling reads distinct values, so no window ties.

const conv2dTransposeCase = (name: string, outputShape: number[], filter: number[], strides: [number, number], padding: 'valid' | 'same'): OpCase => {
  const batched = outputShape.length === 4 ? outputShape : [1, ...outputShape];
  const x = ref.conv2dOutputShape(batched, filter, { strides, padding, dilations: [1, 1] }, 'full');
  return opCase(name, 'conv2dTranspose', [uniform(outputShape.length === 4 ? x : x.slice(1)), uniform(filter)], { inputShape: outputShape, strides, padding });
};

const conv3dTransposeCase = (name: string, outputShape: number[], filter: number[], strides: [number, number, number], padding: 'valid' | 'same'): OpCase => {
  const batched = outputShape.length === 5 ? outputShape : [1, ...outputShape];
  const x = ref.conv3dOutputShape(batched, filter, { strides, padding, dilations: [1, 1, 1] });
  return opCase(name, 'conv3dTranspose', [uniform(outputShape.length === 5 ? x : x.slice(1)), uniform(filter)], { inputShape: outputShape, volume: { strides }, padding });
};

export const NN_EXTRA_CASES: OpCase[] = [
  opCase('2×2 valid, strides 2', 'maxPool', [distinct([2, 4, 4, 2])], { poolSize: [2, 2], strides: [2, 2] }),
  opCase('3×3 same, strides 2, one image of rank 3', 'maxPool', [distinct([5, 5, 3])], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }),
  opCase('2×3 valid, strides 1 (overlapping)', 'maxPool', [distinct([1, 4, 5, 2])], { poolSize: [2, 3], strides: [1, 1] }),
  opCase('2×2 valid, strides 2', 'avgPool', [uniform([2, 4, 4, 2])], { poolSize: [2, 2], strides: [2, 2] }),
  opCase('3×3 same, strides 2, one image (padding not counted)', 'avgPool', [uniform([5, 4, 3])], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }),

  opCase('width 3, valid, stride 1', 'conv1d', [uniform([2, 7, 3]), uniform([3, 3, 4])]),
  opCase('width 4, same, stride 2 (the odd padding after)', 'conv1d', [uniform([2, 9, 2]), uniform([4, 2, 3])], { stride: 2, padding: 'same' }),
  opCase('width 3, same, dilation 2, one sequence of rank 2', 'conv1d', [uniform([8, 2]), uniform([3, 2, 2])], { dilation: 2, padding: 'same' }),

  conv2dTransposeCase('3×3 same, strides 2', [2, 6, 5, 2], [3, 3, 2, 3], [2, 2], 'same'),
  conv2dTransposeCase('2×2 valid, strides 1', [1, 4, 4, 3], [2, 2, 3, 2], [1, 1], 'valid'),
  conv2dTransposeCase('3×2 valid, strides [2,3], one image of rank 3 (rows the convolution never read)', [7, 8, 2], [3, 2, 2, 2], [2, 3], 'valid'),

  opCase('3×3 same, multiplier 2, 4 outputs', 'separableConv2d', [uniform([2, 5, 5, 2]), uniform([3, 3, 2, 2]), uniform([1, 1, 4, 4])], { padding: 'same' }),
  opCase('2×2 valid, strides 2, one image of rank 3', 'separableConv2d', [uniform([6, 6, 3]), uniform([2, 2, 3, 1]), uniform([1, 1, 3, 2])], { strides: [2, 2] }),
  opCase('3×3 same, dilations 2', 'separableConv2d', [uniform([1, 7, 7, 2]), uniform([3, 3, 2, 1]), uniform([1, 1, 2, 3])], { padding: 'same', dilations: [2, 2] }),

  conv3dTransposeCase('2×2×2 valid, strides 1', [1, 3, 4, 4, 2], [2, 2, 2, 2, 3], [1, 1, 1], 'valid'),
  conv3dTransposeCase('3×3×3 same, strides 2 (the odd padding after)', [2, 5, 4, 5, 2], [3, 3, 3, 2, 2], [2, 2, 2], 'same'),
  conv3dTransposeCase('4×2×2 same, strides [3,1,2]: one depth before, two after', [1, 7, 3, 4, 1], [4, 2, 2, 1, 2], [3, 1, 2], 'same'),
  conv3dTransposeCase('2×2×2 valid, strides [3,2,2], one volume of rank 4 (depths no window read)', [6, 5, 5, 2], [2, 2, 2, 2, 2], [3, 2, 2], 'valid'),

  opCase('rank-1 statistics, offset and scale', 'batchNorm', [uniform([2, 3, 4]), uniform([4]), uniform([4], 0.5, 1.5), uniform([4]), uniform([4], 0.5, 2)]),
  opCase('statistics of x\'s rank, epsilon 0.1', 'batchNorm', [uniform([3, 2, 2]), uniform([1, 1, 2]), uniform([1, 2, 2], 0.2, 1), uniform([2]), uniform([1, 1, 2])], { varianceEpsilon: 0.1 }),

  opCase('TensorFlow\'s defaults: radius 5 over 7 channels', 'localResponseNormalization', [uniform([2, 3, 3, 7])]),
  opCase('radius 2, bias 2, alpha 0.3, beta 0.75, one image of rank 3', 'localResponseNormalization', [uniform([3, 4, 6])], { depthRadius: 2, bias: 2, alpha: 0.3, beta: 0.75 }),
  opCase('radius 0: each channel alone', 'localResponseNormalization', [uniform([1, 2, 2, 3])], { depthRadius: 0, bias: 0.5, alpha: 2, beta: 1 }),

  opCase('3×3 same, strides 1', 'dilation2d', [distinct([2, 4, 5, 2]), uniform([3, 3, 2], -0.01, 0.01)], { padding: 'same' }),
  opCase('2×2 valid, strides 2', 'dilation2d', [distinct([1, 5, 6, 3]), uniform([2, 2, 3], -0.01, 0.01)], { strides: [2, 2] }),
  opCase('2×3 same, dilations [2,1], one image of rank 3', 'dilation2d', [distinct([6, 5, 2]), uniform([2, 3, 2], -0.01, 0.01)], { padding: 'same', dilations: [2, 1] }),

  opCase('values, 3×3 same, strides 2', 'maxPoolWithArgmax', [distinct([2, 5, 5, 2])], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }),
  opCase('indexes, 3×3 same, strides 2 (no batch term)', 'maxPoolWithArgmax', [distinct([2, 5, 5, 2])], { poolSize: [3, 3], strides: [2, 2], padding: 'same', piece: 1 }),
  opCase('indexes with the batch term, 2×2 valid, strides [1,2]', 'maxPoolWithArgmax', [distinct([3, 4, 5, 2])], { poolSize: [2, 2], strides: [1, 2], includeBatchInIndex: true, piece: 1 }),

  opCase('c\', batch 2, 3 inputs, 4 units', 'basicLSTMCell', [uniform([]), uniform([7, 16]), uniform([16]), uniform([2, 3]), uniform([2, 4]), uniform([2, 4])]),
  opCase('h\', batch 2, 3 inputs, 4 units', 'basicLSTMCell', [uniform([]), uniform([7, 16]), uniform([16]), uniform([2, 3]), uniform([2, 4]), uniform([2, 4])], { piece: 1 }),
];
