import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { add, mul, sub } from './arithmetic.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { floorDiv } from './floor-div.js';
import { imagePatches } from './image-patches.js';
import { maxPool2d } from './pool2d.js';
import { argMax } from './reduce.js';
import { tidy } from '../engine/memory.js';
import { planWindow, spatialPair, paddingMode, type Padding, type WindowPlan } from './window-geometry.js';

type Pair = number | readonly [number, number];

/** int32 [length] laid along `axis` of a rank-4 tensor: first + k·step at k. */
function grid(length: number, first: number, step: number, axis: number): Tensor {
  const shape = [1, 1, 1, 1];
  shape[axis] = length;
  return tensor(Int32Array.from({ length }, (_, k) => first + k * step), shape, 'int32');
}

/**
 * Where each window's maximum is in x [batch, height, width, channels], TensorFlow's flat index
 * ((b · height + row) · width + column) · channels + c, the batch term only with
 * `includeBatchInIndex`: the window's first tap (row-major) holding its largest value (argMax
 * over the windows, −∞ in the padding so it never wins), its row and column worked out from
 * the window's origin and the tap's place in the window.
 */
function argmaxIndexes(x: Tensor, plan: WindowPlan, includeBatchInIndex: boolean): Tensor {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const { rows, cols, settings } = plan;
  const windowWidth = settings.window[1];
  const tap = argMax(imagePatches(x, plan, -Infinity), 3);
  const tapRow = floorDiv(tap, windowWidth);
  const row = add(grid(rows.output, -rows.before, settings.strides[0], 1), tapRow);
  const col = add(grid(cols.output, -cols.before, settings.strides[1], 2), sub(tap, mul(tapRow, windowWidth)));
  const within = add(mul(add(mul(row, width), col), channels), grid(channels, 0, 1, 3));
  return includeBatchInIndex ? add(within, grid(batch, 0, height * width * channels, 0)) : within;
}

/**
 * tf.maxPoolWithArgmax: max pooling of `x` [batch, height, width, channels] (maxPool2d, which
 * carries the gradient) and, as int32 `indexes` (no gradient), where each maximum is in x.
 */
export function maxPoolWithArgmax(x: TensorLike, filterSize: Pair, strides: Pair, pad: Padding, includeBatchInIndex = false): { result: Tensor; indexes: Tensor } {
  const op = 'maxPoolWithArgmax';
  return withTensors(op, [x], (input) => {
    if (input.rank !== 4) throw new Error(`${op}: x must be of rank 4 ([batch, height, width, channels]), got shape ${formatShape(input.shape)}`);
    if (typeof includeBatchInIndex !== 'boolean') throw new Error(`${op}: includeBatchInIndex must be true or false, got ${JSON.stringify(includeBatchInIndex)}`);
    const size = spatialPair(op, 'filterSize', filterSize);
    const step = spatialPair(op, 'strides', strides);
    const plan = planWindow(op, input.shape, { window: size, strides: step, dilation: [1, 1], padding: paddingMode(op, pad) });
    const result = maxPool2d(input, { poolSize: size, strides: step, padding: pad });
    return { result, indexes: tidy(() => argmaxIndexes(input, plan, includeBatchInIndex)) };
  });
}
