import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { transpose } from './transpose.js';

/** Checks the block shape and its [before, after] pairs (paddings or crops) against x's spatial axes 1..M. */
function checkBlocks(op: string, t: Tensor, blockShape: readonly number[], pairs: readonly (readonly number[])[], pairName: string): void {
  const m = Array.isArray(blockShape) ? blockShape.length : 0;
  if (m < 1 || blockShape.some((b) => !Number.isInteger(b) || b < 1)) throw new Error(`${op}: blockShape must be a non-empty list of positive integers, got ${JSON.stringify(blockShape)}`);
  if (t.rank < m + 1) throw new Error(`${op}: blockShape ${JSON.stringify(blockShape)} needs x of rank >= ${m + 1}, got shape ${formatShape(t.shape)}`);
  if (!Array.isArray(pairs) || pairs.length !== m || pairs.some((p) => p.length !== 2 || p.some((v: number) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`${op}: ${pairName} must be ${m} pairs [before, after] of non-negative integers, got ${JSON.stringify(pairs)}`);
  }
}

/**
 * tf.spaceToBatchND: pads spatial axes 1..M of x, cuts them into blocks of `blockShape` and
 * moves each offset within a block into the batch (offsets outermost, as in TensorFlow).
 */
export function spaceToBatchND(x: TensorLike, blockShape: readonly number[], paddings: readonly (readonly [number, number])[]): Tensor {
  return withTensors('spaceToBatchND', [x], (t) => {
    checkBlocks('spaceToBatchND', t, blockShape, paddings, 'paddings');
    const m = blockShape.length;
    const padded = t.shape.slice(1, m + 1).map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    padded.forEach((d, i) => {
      if (d % blockShape[i]! !== 0) throw new Error(`spaceToBatchND: padded axis ${i + 1} of size ${d} (shape ${formatShape(t.shape)}, paddings ${JSON.stringify(paddings)}) is not a multiple of block ${blockShape[i]}`);
    });
    const [batch, rest] = [t.shape[0]!, t.shape.slice(m + 1)];
    const blocks = padded.map((d, i) => d / blockShape[i]!);
    const restAxes = rest.map((_, i) => 2 * m + 1 + i);
    return tidy(() => {
      const y = pad(t, [[0, 0], ...paddings, ...rest.map(() => [0, 0] as const)]);
      const split = reshape(y, [batch, ...blocks.flatMap((n, i) => [n, blockShape[i]!]), ...rest]);
      const moved = transpose(split, [...blockShape.map((_, i) => 2 + 2 * i), 0, ...blocks.map((_, i) => 1 + 2 * i), ...restAxes]);
      return reshape(moved, [batch * blockShape.reduce((a, b) => a * b, 1), ...blocks, ...rest]);
    });
  });
}

/** tf.batchToSpaceND: spaceToBatchND undone: the batch's block offsets moved back into space, then `crops` cut away. */
export function batchToSpaceND(x: TensorLike, blockShape: readonly number[], crops: readonly (readonly [number, number])[]): Tensor {
  return withTensors('batchToSpaceND', [x], (t) => {
    checkBlocks('batchToSpaceND', t, blockShape, crops, 'crops');
    const m = blockShape.length;
    const count = blockShape.reduce((a, b) => a * b, 1);
    if (t.shape[0]! % count !== 0) throw new Error(`batchToSpaceND: the batch of shape ${formatShape(t.shape)} must be a multiple of the block size ${count} (blockShape ${JSON.stringify(blockShape)})`);
    const [batch, spatial, rest] = [t.shape[0]! / count, t.shape.slice(1, m + 1), t.shape.slice(m + 1)];
    const full = spatial.map((d, i) => d * blockShape[i]!);
    full.forEach((d, i) => {
      if (crops[i]![0] + crops[i]![1] > d) throw new Error(`batchToSpaceND: crops ${JSON.stringify(crops[i])} of axis ${i + 1} exceed its size ${d} (shape ${formatShape(t.shape)})`);
    });
    return tidy(() => {
      const split = reshape(t, [...blockShape, batch, ...spatial, ...rest]);
      const moved = transpose(split, [m, ...spatial.flatMap((_, i) => [m + 1 + i, i]), ...rest.map((_, i) => 2 * m + 1 + i)]);
      const y = reshape(moved, [batch, ...full, ...rest]);
      return slice(y, [0, ...crops.map(([before]) => before), ...rest.map(() => 0)], [batch, ...full.map((d, i) => d - crops[i]![0] - crops[i]![1]), ...rest]);
    });
  });
}
