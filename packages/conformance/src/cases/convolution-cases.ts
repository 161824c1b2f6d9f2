import { conv2dOutputShape, type Connection } from '../reference/index.js';
import { opCase } from './case.js';
import { uniform } from './inputs.js';
import { convolution } from './image-ops.js';
import type { Attrs, OpCase } from './types.js';

interface Convolution {
  readonly name: string;
  readonly input: number[];
  readonly filter: number[];
  readonly attrs: Attrs;
}

/** Each convolution is a row of conv2d and of its two backward convolutions. */
const FULL: Convolution[] = [
  { name: 'valid 3×3, one channel', input: [1, 5, 5, 1], filter: [3, 3, 1, 1], attrs: {} },
  { name: 'same 3×3, batch 2, 2 → 3 channels', input: [2, 5, 5, 2], filter: [3, 3, 2, 3], attrs: { padding: 'same' } },
  { name: 'same 3×2, strides 2, odd sizes (the odd padding after)', input: [2, 7, 6, 3], filter: [3, 2, 3, 2], attrs: { padding: 'same', strides: [2, 2] } },
  { name: 'valid, strides [2,3]: the last row and columns read by no window', input: [1, 8, 7, 2], filter: [3, 2, 2, 4], attrs: { strides: [2, 3] } },
  { name: 'same 4×4: one row before, two after', input: [2, 5, 6, 1], filter: [4, 4, 1, 2], attrs: { padding: 'same' } },
  { name: 'same 3×3, dilations 2', input: [1, 7, 6, 2], filter: [3, 3, 2, 2], attrs: { padding: 'same', dilations: [2, 2] } },
  { name: 'valid 2×3, dilations [2,1]', input: [2, 6, 5, 3], filter: [2, 3, 3, 2], attrs: { dilations: [2, 1] } },
  { name: '1×1, 4 → 3 channels', input: [2, 3, 3, 4], filter: [1, 1, 4, 3], attrs: {} },
  { name: 'the filter as large as the image', input: [1, 4, 4, 2], filter: [4, 4, 2, 3], attrs: {} },
  { name: 'same, strides 3 beyond the 2×2 filter', input: [1, 7, 7, 1], filter: [2, 2, 1, 2], attrs: { padding: 'same', strides: [3, 3] } },
  { name: 'same 3×3, batch 4 of 12×12, 3 → 5 channels', input: [4, 12, 12, 3], filter: [3, 3, 3, 5], attrs: { padding: 'same' } },
  { name: 'empty batch (the filter gradient is 0)', input: [0, 5, 5, 2], filter: [3, 3, 2, 3], attrs: {} },
];

/** The same for depthwiseConv2d: filters [fh, fw, channels, multiplier]. */
const DEPTHWISE: Convolution[] = [
  { name: 'valid 3×3, one channel', input: [1, 5, 5, 1], filter: [3, 3, 1, 1], attrs: {} },
  { name: 'same 3×3, batch 2, 3 channels', input: [2, 5, 5, 3], filter: [3, 3, 3, 1], attrs: { padding: 'same' } },
  { name: 'same 3×3, 2 channels, multiplier 3', input: [2, 6, 5, 2], filter: [3, 3, 2, 3], attrs: { padding: 'same' } },
  { name: 'same 3×2, strides 2, odd sizes, multiplier 2', input: [2, 7, 6, 3], filter: [3, 2, 3, 2], attrs: { padding: 'same', strides: [2, 2] } },
  { name: 'valid, strides [2,3]: the last row and columns read by no window', input: [1, 8, 7, 2], filter: [3, 2, 2, 2], attrs: { strides: [2, 3] } },
  { name: 'same 4×4: one row before, two after', input: [2, 5, 6, 2], filter: [4, 4, 2, 1], attrs: { padding: 'same' } },
  { name: 'same 3×3, dilations 2, multiplier 2', input: [1, 7, 6, 2], filter: [3, 3, 2, 2], attrs: { padding: 'same', dilations: [2, 2] } },
  { name: 'valid 2×3, dilations [2,1]', input: [2, 6, 5, 3], filter: [2, 3, 3, 1], attrs: { dilations: [2, 1] } },
  { name: 'the filter as large as the image', input: [1, 4, 4, 2], filter: [4, 4, 2, 2], attrs: {} },
  { name: 'same 3×3, batch 4 of 12×12, 8 channels', input: [4, 12, 12, 8], filter: [3, 3, 8, 1], attrs: { padding: 'same' } },
  { name: 'empty batch (the filter gradient is 0)', input: [0, 5, 5, 2], filter: [3, 3, 2, 2], attrs: {} },
];

/** Rows of the convolution op `forward` and of its two gradients for each of `convolutions`. */
function convolutionCases(forward: 'conv2d' | 'depthwiseConv2d', connection: Connection, convolutions: Convolution[]): OpCase[] {
  return convolutions.flatMap(({ name, input, filter, attrs }) => {
    const output = conv2dOutputShape(input, filter, convolution(attrs), connection);
    return [
      opCase(name, forward, [uniform(input), uniform(filter)], attrs),
      opCase(name, `${forward}BackpropInput`, [uniform(output), uniform(filter)], { ...attrs, inputShape: input }),
      opCase(name, `${forward}BackpropFilter`, [uniform(input), uniform(output)], { ...attrs, filterShape: filter }),
    ];
  });
}

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;

/**
 * Rows of the fused op (the convolution, its bias and activation) for every third of
 * `convolutions`: each activation with a bias, and relu without one.
 */
function fusedCases(fused: 'fusedConv2d' | 'fusedDepthwiseConv2d', connection: Connection, convolutions: Convolution[]): OpCase[] {
  return convolutions.filter((_, i) => i % 3 === 1).flatMap(({ name, input, filter, attrs }) => {
    const channels = conv2dOutputShape(input, filter, convolution(attrs), connection)[3]!;
    return [
      ...ACTIVATIONS.map((activation) => opCase(`${name}, ${activation} with bias`, fused, [uniform(input), uniform(filter), uniform([channels], -0.5, 0.5)], { ...attrs, activation })),
      opCase(`${name}, relu without bias`, fused, [uniform(input), uniform(filter)], { ...attrs, activation: 'relu' }),
    ];
  });
}

/** groupedConv2d: filters [fh, fw, channels / groups, outChannels]; one group is fusedConv2d. */
const GROUPED: (Convolution & { groups: number })[] = [
  { name: '2 groups, valid 3×3, 4 → 6 channels', input: [2, 5, 5, 4], filter: [3, 3, 2, 6], attrs: {}, groups: 2 },
  { name: '3 groups, same 3×2, strides 2, 6 → 3 channels', input: [2, 7, 6, 6], filter: [3, 2, 2, 3], attrs: { padding: 'same', strides: [2, 2] }, groups: 3 },
  { name: '2 groups, same 3×3, dilations 2, one input channel each', input: [1, 7, 6, 2], filter: [3, 3, 1, 4], attrs: { padding: 'same', dilations: [2, 2] }, groups: 2 },
  { name: 'one group', input: [2, 5, 5, 2], filter: [3, 3, 2, 3], attrs: { padding: 'same' }, groups: 1 },
];

function groupedCases(): OpCase[] {
  return GROUPED.flatMap(({ name, input, filter, attrs, groups }) => {
    const bias = uniform([filter[3]!], -0.5, 0.5);
    return [
      ...ACTIVATIONS.map((activation) => opCase(`${name}, ${activation} with bias`, 'groupedConv2d', [uniform(input), uniform(filter), bias], { ...attrs, groups, activation })),
      opCase(`${name}, without bias`, 'groupedConv2d', [uniform(input), uniform(filter)], { ...attrs, groups }),
    ];
  });
}

// The fused and grouped rows come last, so that the rows before them keep the inputs they had.
export const CONVOLUTION_CASES: OpCase[] = [
  ...convolutionCases('conv2d', 'full', FULL), ...convolutionCases('depthwiseConv2d', 'depthwise', DEPTHWISE),
  ...fusedCases('fusedConv2d', 'full', FULL), ...fusedCases('fusedDepthwiseConv2d', 'depthwise', DEPTHWISE), ...groupedCases(),
];
