import type { Tensor } from '../tensor/tensor.js';
import { tensor } from './convert.js';

/**
 * a − b·cos(2πi / d) for i < length, worked out in float64 and rounded once. As in TensorFlow,
 * a periodic window has d = length only when length is even; an odd length gets the symmetric
 * d = length − 1 either way (TensorFlow's `length + periodic·even − 1`), and length 1 is [1]
 * (tfjs's 0/0 gives NaN there).
 */
function raisedCosine(op: string, windowLength: number, periodic: boolean, a: number, b: number): Tensor {
  if (!Number.isInteger(windowLength) || windowLength < 0) throw new Error(`${op}: windowLength must be a non-negative integer, got ${windowLength}`);
  if (typeof periodic !== 'boolean') throw new Error(`${op}: periodic must be a boolean, got ${JSON.stringify(periodic)}`);
  const values = new Float32Array(windowLength);
  const period = windowLength + (periodic && windowLength % 2 === 0 ? 1 : 0) - 1;
  for (let i = 0; i < windowLength; i++) values[i] = windowLength === 1 ? 1 : a - b * Math.cos((2 * Math.PI * i) / period);
  return tensor(values, [windowLength], 'float32');
}

/** tf.signal.hannWindow: 0.5 − 0.5·cos(2πi / d), periodic by default (see raisedCosine for d). */
export function hannWindow(windowLength: number, periodic = true): Tensor {
  return raisedCosine('hannWindow', windowLength, periodic, 0.5, 0.5);
}

/** tf.signal.hammingWindow: 0.54 − 0.46·cos(2πi / d), periodic by default (see raisedCosine for d). */
export function hammingWindow(windowLength: number, periodic = true): Tensor {
  return raisedCosine('hammingWindow', windowLength, periodic, 0.54, 0.46);
}
