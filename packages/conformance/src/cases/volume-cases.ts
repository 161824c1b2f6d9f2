import { opCase } from './case.js';
import { distinct, uniform, values } from './inputs.js';
import type { Attrs, InputData, OpCase } from './types.js';

// The volumetric ops, composites of the 2-D ones, against loops over whole 3-D windows. Each
// 'same' row with an even window or a stride checks that the odd padding goes after, along depth
// as along height and width; the average rows with padding, that the count leaves it out.

interface Convolution {
  readonly name: string;
  readonly input: number[];
  readonly filter: number[];
  readonly attrs: Attrs;
}

const CONVOLUTIONS: Convolution[] = [
  { name: 'valid 2×2×2, one channel', input: [1, 3, 4, 4, 1], filter: [2, 2, 2, 1, 1], attrs: {} },
  { name: 'same 3×3×3, batch 2, 2 → 3 channels', input: [2, 4, 4, 4, 2], filter: [3, 3, 3, 2, 3], attrs: { padding: 'same' } },
  { name: 'same 3×2×3, strides 2, odd sizes (the odd padding after)', input: [2, 5, 5, 6, 2], filter: [3, 2, 3, 2, 2], attrs: { padding: 'same', volume: { strides: [2, 2, 2] } } },
  { name: 'valid, strides [2,1,3]: depths and columns read by no window', input: [1, 6, 4, 7, 2], filter: [2, 2, 2, 2, 3], attrs: { volume: { strides: [2, 1, 3] } } },
  { name: 'same 4×1×1: one depth before, two after', input: [1, 5, 3, 3, 2], filter: [4, 1, 1, 2, 2], attrs: { padding: 'same' } },
  { name: 'same 2×2×2, strides [3,1,1] beyond the filter along depth', input: [1, 7, 3, 3, 1], filter: [2, 2, 2, 1, 2], attrs: { padding: 'same', volume: { strides: [3, 1, 1] } } },
  { name: 'same 3×3×3, dilations [2,1,2]', input: [1, 6, 4, 6, 2], filter: [3, 3, 3, 2, 2], attrs: { padding: 'same', volume: { dilations: [2, 1, 2] } } },
  { name: 'valid 2×2×2, dilations [2,2,1]', input: [2, 5, 5, 3, 1], filter: [2, 2, 2, 1, 2], attrs: { volume: { dilations: [2, 2, 1] } } },
  { name: 'the filter as large as the volume', input: [1, 3, 3, 3, 2], filter: [3, 3, 3, 2, 2], attrs: {} },
  { name: 'empty batch (the filter gradient is 0)', input: [0, 3, 3, 3, 2], filter: [2, 2, 2, 2, 2], attrs: {} },
];

/** groupedConv3d: filters [fd, fh, fw, channels / groups, outChannels]. */
const GROUPED: (Convolution & { groups: number })[] = [
  { name: '2 groups, same 3×3×3, 4 → 6 channels', input: [1, 4, 4, 4, 4], filter: [3, 3, 3, 2, 6], attrs: { padding: 'same' }, groups: 2 },
  { name: '3 groups, valid 2×2×2, strides 2, one channel each', input: [2, 5, 4, 4, 3], filter: [2, 2, 2, 1, 3], attrs: { volume: { strides: [2, 2, 2] } }, groups: 3 },
  { name: 'one group', input: [1, 3, 4, 3, 2], filter: [2, 2, 2, 2, 3], attrs: { padding: 'same' }, groups: 1 },
];

interface Pooling {
  readonly name: string;
  readonly input: number[];
  readonly attrs: Attrs;
}

const POOLINGS: Pooling[] = [
  { name: '2×2×2 valid (the windows tile the volume), one channel', input: [1, 4, 4, 4, 1], attrs: {} },
  { name: '2×2×2 valid, odd sizes: the last depth, row and column left out; batch 2, 3 channels', input: [2, 5, 5, 3, 3], attrs: {} },
  { name: '2×2×2 same, odd sizes (padded after)', input: [2, 5, 3, 5, 2], attrs: { padding: 'same' } },
  { name: '3×3×3 strides 2 valid: overlapping windows', input: [1, 7, 5, 5, 2], attrs: { volume: { poolSize: [3, 3, 3], strides: [2, 2, 2] } } },
  { name: '3×3×3 strides 1 same: overlapping, padded on every side', input: [1, 4, 4, 5, 2], attrs: { padding: 'same', volume: { poolSize: [3, 3, 3], strides: [1, 1, 1] } } },
  { name: '3×2×2 strides [2,1,2] same', input: [2, 5, 4, 5, 1], attrs: { padding: 'same', volume: { poolSize: [3, 2, 2], strides: [2, 1, 2] } } },
  { name: '4×1×1 strides 1 same: one depth before, two after', input: [1, 5, 2, 2, 2], attrs: { padding: 'same', volume: { poolSize: [4, 1, 1], strides: [1, 1, 1] } } },
  { name: '2×3×2 strides [3,2,2]: depths no window reads', input: [1, 8, 5, 5, 1], attrs: { volume: { poolSize: [2, 3, 2], strides: [3, 2, 2] } } },
  { name: 'the window as large as the volume', input: [2, 3, 2, 4, 2], attrs: { volume: { poolSize: [3, 2, 4] } } },
  { name: 'empty batch', input: [0, 4, 4, 4, 2], attrs: {} },
];

/** Values in {−1, 0, 1}: windows with tied maxima, whose value is the same whichever wins. */
const levels = (shape: number[]): InputData => values(shape, uniform(shape).values.map((v) => Math.round(1.4 * v)));

export const VOLUME_CASES: OpCase[] = [
  ...CONVOLUTIONS.map(({ name, input, filter, attrs }) => opCase(name, 'conv3d', [uniform(input), uniform(filter)], attrs)),
  ...GROUPED.map(({ name, input, filter, attrs, groups }) => opCase(name, 'groupedConv3d', [uniform(input), uniform(filter)], { ...attrs, groups })),
  // The max pooling rows take distinct values, so that finite differences see one maximum per window.
  ...POOLINGS.flatMap(({ name, input, attrs }) => [
    opCase(name, 'maxPool3d', [distinct(input)], attrs),
    opCase(name, 'avgPool3d', [uniform(input)], attrs),
  ]),
  opCase('ties: 2×2×2 same, values in {-1, 0, 1}', 'maxPool3d', [levels([2, 5, 4, 4, 2])], { padding: 'same' }, { checkGradient: false }),
];

