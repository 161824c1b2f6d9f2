/**
 * tfjs-wasm adds the values of a reduction (a sum, a matrix product's inner dimension) in one
 * float32 chain: the sum of 10 M values near 0.25 comes out 1.2 % low, as each addition to a
 * large running total rounds away more of the small term. Reductions longer than
 * REDUCTION_BLOCK go through in blocks instead: the blocks' sums, then the sum of those, so no
 * chain is longer than a block or the number of blocks. Called inside the adapter's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';

export const REDUCTION_BLOCK = 4096;

/** How many blocks a reduction of `length` values takes. */
const blocksOf = (length: number): number => Math.ceil(length / REDUCTION_BLOCK);

/**
 * `x` seen as [rows, length·unit] with zeros appended to each row up to a whole number of
 * blocks of `unit`-sized items. Padding only the last axis keeps tfjs on its fast pad: a
 * [1, 10 M, 1] tensor padded along its middle axis takes tfjs-wasm 7× longer.
 */
function padRowsToBlocks(x: tf.Tensor, length: number, unit = 1): tf.Tensor {
  const rows = x.size / (length * unit);
  return tf.pad(tf.reshape(x, [rows, length * unit]), [[0, 0], [0, (blocksOf(length) * REDUCTION_BLOCK - length) * unit]]);
}

/** The number of values each output of a reduction over `axes` adds. */
export function reducedLength(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((n, axis) => n * shape[axis]!, 1);
}

/** tf.sum over `axes` of a float32 tensor, block by block. */
export function blockedSum(x: tf.Tensor, axes: readonly number[]): tf.Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => x.shape[i]!);
  const length = reducedLength(x.shape, axes);
  // The summed axes last, so each output's values are one contiguous row.
  const perm = [...kept, ...axes];
  const ordered = perm.every((axis, i) => axis === i) ? x : tf.transpose(x, perm);
  const rows = padRowsToBlocks(ordered, length);
  const blockSums = tf.sum(tf.reshape(rows, [rows.shape[0]!, blocksOf(length), REDUCTION_BLOCK]), 2);
  return tf.reshape(tf.sum(blockSums, 1), keptShape);
}

/**
 * tf.matMul of plain (untransposed) operands a [batch, m, k] and b [batch, k, n], the inner
 * dimension in blocks: one batched product of the blocks, then their sum. Neither operand is
 * passed transposed, which keeps tfjs-wasm on its fast product.
 */
export function blockedMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const blocks = blocksOf(k);
  // a: [batch, m, blocks, B] → [batch·blocks, m, B] (a reshape when m = 1);
  // b: [batch, blocks·B, n] → [batch·blocks, B, n], zero rows appended to each batch entry.
  const aRows = tf.reshape(padRowsToBlocks(a, k), [batch, m, blocks, REDUCTION_BLOCK]);
  const aBlocks = m === 1 ? aRows : tf.transpose(aRows, [0, 2, 1, 3]);
  const bBlocks = tf.reshape(padRowsToBlocks(b, k, n), [batch * blocks, REDUCTION_BLOCK, n]);
  const products = tf.matMul(tf.reshape(aBlocks, [batch * blocks, m, REDUCTION_BLOCK]), bBlocks);
  return tf.sum(tf.reshape(products, [batch, blocks, m, n]), 1);
}
