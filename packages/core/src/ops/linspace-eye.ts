import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../types.js';
import { allocate, checkDType } from '../util/dtype.js';
import { tensor } from './convert.js';

/**
 * tf.linspace: `num` evenly spaced float32 values from `start` to `stop`, both included. Each is
 * start + (stop − start)·i/(num − 1) worked out in float64 and rounded once (TensorFlow's kernel does it in the
 * output type; tfjs's running sum drifts), and the last is `stop` exactly, as in TensorFlow.
 */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num <= 0) throw new Error(`linspace: num must be a positive integer, got ${num}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new Error(`linspace: start and stop must be finite, got ${start} and ${stop}`);
  const values = allocate('float32', num);
  for (let i = 0; i < num; i++) values[i] = i === 0 ? start : i === num - 1 ? stop : start + ((stop - start) * i) / (num - 1);
  return tensor(values, [num], 'float32');
}

/**
 * tf.eye: a [numRows, numColumns] identity (ones on the main diagonal), repeated over
 * `batchShape` (leading dimensions) when given.
 */
export function eye(numRows: number, numColumns = numRows, batchShape?: readonly number[], dtype: DType = 'float32'): Tensor {
  for (const [name, n] of [['numRows', numRows], ['numColumns', numColumns]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`eye: ${name} must be a non-negative integer, got ${n}`);
  }
  if (batchShape !== undefined && (!Array.isArray(batchShape) || batchShape.some((d) => !Number.isInteger(d) || d < 0))) {
    throw new Error(`eye: batchShape must be a list of non-negative integers, got ${JSON.stringify(batchShape)}`);
  }
  checkDType('eye', dtype);
  const batch = (batchShape ?? []).reduce((n, d) => n * d, 1);
  const values = allocate(dtype, batch * numRows * numColumns);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < Math.min(numRows, numColumns); i++) values[(b * numRows + i) * numColumns + i] = 1;
  }
  return tensor(values, [...(batchShape ?? []), numRows, numColumns], dtype);
}
