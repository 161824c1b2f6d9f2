import { sizeOf, type KernelTensor } from '@perceptron/core';
import type { Float32Source } from './array-pool.js';

/**
 * softmax or log-softmax over the last axis, one row at a time: the row's max, then
 * Σ exp(x − max) in float64, then each output. Core's composite path needs five ops (max,
 * sub, exp, sum, div) and as many temporary arrays; this is one loop and one output array.
 */
/** The largest of x[start..end); Math.max, as core's max does, so a NaN in the row gives NaN. */
function rowMax(x: Float32Array, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) max = Math.max(max, x[i]!);
  return max;
}

/** Σ exp(x − max) over x[start..end), in float64. */
function sumOfShiftedExp(x: Float32Array, start: number, end: number, max: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += Math.exp(x[i]! - max);
  return sum;
}

function rowwise(logits: KernelTensor, log: boolean, float32: Float32Source): Float32Array {
  const x = logits.handle as Float32Array;
  const width = logits.shape.length === 0 ? 1 : logits.shape[logits.shape.length - 1]!;
  const out = float32(x.length);
  for (let start = 0; start < x.length; start += width) {
    const end = start + width;
    const max = rowMax(x, start, end);
    const sum = sumOfShiftedExp(x, start, end, max);
    if (log) {
      const logSum = Math.log(sum);
      for (let i = start; i < end; i++) out[i] = x[i]! - max - logSum;
    } else {
      for (let i = start; i < end; i++) out[i] = Math.exp(x[i]! - max) / sum;
    }
  }
  return out;
}

/**
 * −Σ labels·(x − max − log Σ exp(x − max)) per row of the last axis, summed in float64: one
 * loop and one output value per row, where core's composite path takes four ops over the
 * whole [rows, classes] array.
 */
export function softmaxCrossEntropy(labels: KernelTensor, logits: KernelTensor, float32: Float32Source): Float32Array {
  const x = logits.handle as Float32Array;
  const y = labels.handle as Float32Array;
  const width = logits.shape[logits.shape.length - 1]!;
  const out = float32(sizeOf(logits.shape.slice(0, -1)));
  for (let row = 0, start = 0; row < out.length; row++, start += width) {
    const end = start + width;
    const max = rowMax(x, start, end);
    const logSum = Math.log(sumOfShiftedExp(x, start, end, max));
    let loss = 0;
    for (let i = start; i < end; i++) loss -= y[i]! * (x[i]! - max - logSum);
    out[row] = loss;
  }
  return out;
}

export const softmax = (logits: KernelTensor, float32: Float32Source): Float32Array => rowwise(logits, false, float32);
export const logSoftmax = (logits: KernelTensor, float32: Float32Source): Float32Array => rowwise(logits, true, float32);
