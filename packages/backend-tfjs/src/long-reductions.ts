/**
 * tfjs-wasm adds the values of a reduction (a sum, a matrix product's inner dimension) in one
 * float32 chain: the sum of 10 M values near 0.25 comes out 1.2 % low, as each addition to a
 * large running total rounds away more of the small term. Reductions longer than
 * REDUCTION_BLOCK go through in blocks instead: the blocks' sums, then the sum of those, so no
 * chain is longer than a block or the number of blocks. Called inside the adapter's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';

export const REDUCTION_BLOCK = 4096;

/**
 * The block size for reductions of `length` values: the largest divisor of `length` from
 * REDUCTION_BLOCK / 2 to REDUCTION_BLOCK if there is one, so that the values split into
 * blocks by a reshape alone (10 M values: blocks of 4,000), else REDUCTION_BLOCK, and the
 * last block is filled up with zeros (padding 10 M values took tfjs-wasm longer than the sum).
 */
export function blockSizeFor(length: number): number {
  for (let size = REDUCTION_BLOCK; size >= REDUCTION_BLOCK / 2; size--) if (length % size === 0) return size;
  return REDUCTION_BLOCK;
}

/**
 * `x` seen as [rows, blocks, size·unit]: each row's `length` items of `unit` values, in
 * blocks of `size` items, with zeros appended to the last block when `size` does not divide
 * `length`. Padding only the last axis keeps tfjs on its fast pad: a [1, 10 M, 1] tensor
 * padded along its middle axis takes tfjs-wasm 7× longer.
 */
function rowsInBlocks(x: tf.Tensor, length: number, size: number, unit = 1): tf.Tensor {
  const rows = x.size / (length * unit);
  const blocks = Math.ceil(length / size);
  const flat = tf.reshape(x, [rows, length * unit]);
  const padded = blocks * size === length ? flat : tf.pad(flat, [[0, 0], [0, (blocks * size - length) * unit]]);
  return tf.reshape(padded, [rows, blocks, size * unit]);
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
  const blockSums = tf.sum(rowsInBlocks(ordered, length, blockSizeFor(length)), 2);
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
  const size = blockSizeFor(k);
  const blocks = Math.ceil(k / size);
  // a: [batch, m, blocks, size] → [batch·blocks, m, size] (a reshape when m = 1);
  // b: [batch, blocks·size, n] → [batch·blocks, size, n].
  const aRows = tf.reshape(rowsInBlocks(a, k, size), [batch, m, blocks, size]);
  const aBlocks = m === 1 ? aRows : tf.transpose(aRows, [0, 2, 1, 3]);
  const bBlocks = tf.reshape(rowsInBlocks(b, k, size, n), [batch * blocks, size, n]);
  const products = tf.matMul(tf.reshape(aBlocks, [batch * blocks, m, size]), bBlocks);
  return tf.sum(tf.reshape(products, [batch, blocks, m, n]), 1);
}
