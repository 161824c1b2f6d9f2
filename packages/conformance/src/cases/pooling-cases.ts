import { pool2dOutputShape } from '../reference/index.js';
import { opCase } from './case.js';
import { distinct, uniform, values } from './inputs.js';
import { pooling } from './image-ops.js';
import type { Attrs, InputData, OpCase } from './types.js';

interface Pooling {
  readonly name: string;
  readonly input: number[];
  readonly attrs: Attrs;
}

/** Each pooling is a row of both poolings and of their input gradients. */
const POOLINGS: Pooling[] = [
  { name: '2×2 valid (the windows tile the image), one channel', input: [1, 4, 4, 1], attrs: {} },
  { name: '2×2 valid, odd sizes: the last row and column left out; batch 2, 3 channels', input: [2, 5, 7, 3], attrs: {} },
  { name: '2×2 same, odd sizes (padded after)', input: [2, 5, 7, 2], attrs: { padding: 'same' } },
  { name: '3×3 strides 2 valid: overlapping windows', input: [1, 7, 6, 3], attrs: { poolSize: [3, 3], strides: [2, 2] } },
  { name: '3×3 strides 1 same: overlapping, padded on every side', input: [2, 4, 5, 2], attrs: { poolSize: [3, 3], strides: [1, 1], padding: 'same' } },
  { name: '2×3 strides [2,1] same', input: [1, 5, 5, 2], attrs: { poolSize: [2, 3], strides: [2, 1], padding: 'same' } },
  { name: '2×2 strides 3: rows and columns no window reads', input: [2, 8, 7, 2], attrs: { strides: [3, 3] } },
  { name: '4×4 strides 1 same: one row before, two after', input: [1, 5, 6, 2], attrs: { poolSize: [4, 4], strides: [1, 1], padding: 'same' } },
  { name: 'the window as large as the image', input: [2, 3, 4, 3], attrs: { poolSize: [3, 4] } },
  { name: '3×2 same, batch 4 of 13×11, 5 channels', input: [4, 13, 11, 5], attrs: { poolSize: [3, 2], padding: 'same' } },
  { name: 'empty batch', input: [0, 4, 4, 2], attrs: {} },
];

/** Images whose windows hold equal values: values in {−1, 0, 1}, or one value everywhere. */
interface Ties {
  readonly name: string;
  readonly input: InputData;
  readonly attrs: Attrs;
}

const levels = (shape: number[]): InputData => values(shape, uniform(shape).values.map((v) => Math.round(1.4 * v)));
const constant = (shape: number[]): InputData => values(shape, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0.25));

const TIES: Ties[] = [
  { name: 'ties: 2×2 valid, values in {-1, 0, 1}', input: levels([2, 6, 6, 2]), attrs: {} },
  { name: 'ties: 3×3 strides 2 same (overlapping), values in {-1, 0, 1}', input: levels([1, 7, 7, 2]), attrs: { poolSize: [3, 3], strides: [2, 2], padding: 'same' } },
  { name: 'ties: one value everywhere, 2×2 same over 5×5', input: constant([1, 5, 5, 1]), attrs: { padding: 'same' } },
];

const outputOf = (input: readonly number[], attrs: Attrs): number[] => pool2dOutputShape(input, pooling(attrs));

export const POOLING_CASES: OpCase[] = [
  // The max pooling rows take distinct values, so that no window ties and finite differences see
  // one maximum per window; ties are the TIES rows' concern.
  ...POOLINGS.flatMap(({ name, input, attrs }) => [
    opCase(name, 'maxPool2d', [distinct(input)], attrs),
    opCase(name, 'maxPool2dBackprop', [uniform(outputOf(input, attrs)), distinct(input)], attrs),
    opCase(name, 'avgPool2d', [uniform(input)], attrs),
    opCase(name, 'avgPool2dBackprop', [uniform(outputOf(input, attrs))], { ...attrs, inputShape: input }),
  ]),
  // Each tied window's gradient goes to the first of its maxima, row-major; the value is the
  // same whichever wins. A tie is a kink, where finite differences mean nothing.
  ...TIES.flatMap(({ name, input, attrs }) => [
    opCase(name, 'maxPool2d', [input], attrs, { checkGradient: false }),
    opCase(name, 'maxPool2dBackprop', [uniform(outputOf(input.shape, attrs)), input], attrs, { checkGradient: false }),
  ]),
];
