import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withComplexPair, type ComplexPair } from './complex-pair.js';
import { concat } from './concat.js';
import { withTensors, type TensorLike } from './convert.js';
import { complexDftMatrix, inverseRealDftMatrix, realDftMatrix, spectrumBins } from './dft-matrices.js';
import { matMul } from './matmul.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';

// Keras 3's keras.ops.fft, ifft, rfft and irfft: complex values are pairs [real, imag] of float32
// tensors, and each transform runs over the last axis, leading axes being a batch.

/** x [..., n] times a host matrix [n, k], as one 2-D matMul: the matrix is not copied per batch entry. */
export function lastAxisProduct(x: Tensor, m: Tensor): Tensor {
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((p, d) => p * d, 1);
  return reshape(matMul(reshape(x, [rows, x.shape[x.rank - 1]!]), m), [...lead, m.shape[1]!]);
}

/** The last axis cut to `length` or padded with zeros after the end up to it. */
export function fitLastAxis(x: Tensor, length: number): Tensor {
  const last = x.shape[x.rank - 1]!;
  if (last === length) return x;
  if (last > length) return slice(x, x.shape.map(() => 0), x.shape.map((d, i) => (i === x.rank - 1 ? length : d)));
  return pad(x, x.shape.map((_, i) => (i === x.rank - 1 ? [0, length - last] as const : [0, 0] as const)));
}

/** The two halves of the last axis, [first | second], as a pair. */
export function halves(x: Tensor): [Tensor, Tensor] {
  const half = x.shape[x.rank - 1]! / 2;
  const size = x.shape.map((d, i) => (i === x.rank - 1 ? half : d));
  return [slice(x, x.shape.map(() => 0), size), slice(x, x.shape.map((_, i) => (i === x.rank - 1 ? half : 0)), size)];
}

/** Throws unless `value` is a positive integer (or undefined when `optional`). */
export function checkLength(op: string, name: string, value: number | undefined, optional = false): void {
  if (optional && value === undefined) return;
  if (!Number.isInteger(value) || value! <= 0) throw new Error(`${op}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
}

function complexTransform(op: string, x: ComplexPair, inverse: boolean): [Tensor, Tensor] {
  return withComplexPair(op, x, (real, imag) => {
    const n = real.shape[real.rank - 1]!;
    if (n === 0) throw new Error(`${op}: the last axis must hold at least one value, got shape ${formatShape(real.shape)}`);
    return tidy(() => halves(lastAxisProduct(concat([real, imag], -1), complexDftMatrix(n, inverse))));
  });
}

/** keras.ops.fft: Σₜ x[t]·e^(−2πi·t·k/n) over the last axis of the complex x = [real, imag]. */
export function fft(x: ComplexPair): [Tensor, Tensor] {
  return complexTransform('fft', x, false);
}

/** keras.ops.ifft: (1/n)·Σₖ x[k]·e^(+2πi·t·k/n) over the last axis, the inverse of fft. */
export function ifft(x: ComplexPair): [Tensor, Tensor] {
  return complexTransform('ifft', x, true);
}

/**
 * keras.ops.rfft: the fft of a real signal, its ⌊n/2⌋ + 1 non-negative frequencies, with
 * n = fftLength: the last axis is cut to fftLength or padded with zeros, as NumPy and TensorFlow do.
 */
export function rfft(x: TensorLike, fftLength?: number): [Tensor, Tensor] {
  return withTensors('rfft', [x], (t) => {
    if (t.dtype !== 'float32') throw new Error(`rfft: expected a float32 signal, got ${t.dtype} of shape ${formatShape(t.shape)}`);
    if (t.rank < 1) throw new Error(`rfft: expected a signal of rank >= 1 (samples on the last axis), got shape ${formatShape(t.shape)}`);
    checkLength('rfft', 'fftLength', fftLength, true);
    const n = fftLength ?? t.shape[t.rank - 1]!;
    if (n === 0) throw new Error(`rfft: the last axis must hold at least one sample, got shape ${formatShape(t.shape)}`);
    return tidy(() => halves(lastAxisProduct(fitLastAxis(t, n), realDftMatrix(n))));
  });
}

/**
 * keras.ops.irfft: the n = fftLength real samples whose rfft is x = [real, imag], by default
 * n = 2·(bins − 1). The bins are cut to ⌊n/2⌋ + 1 or padded with zeros; the imaginary parts of
 * bin 0 and (even n) bin n/2 are ignored, as NumPy and TensorFlow do.
 */
export function irfft(x: ComplexPair, fftLength?: number): Tensor {
  return withComplexPair('irfft', x, (real, imag) => {
    checkLength('irfft', 'fftLength', fftLength, true);
    const bins = real.shape[real.rank - 1]!;
    const n = fftLength ?? 2 * (bins - 1);
    if (n <= 0) throw new Error(`irfft: the default fftLength 2·(bins − 1) needs at least 2 bins on the last axis, got shape ${formatShape(real.shape)}; pass fftLength`);
    const used = spectrumBins(n);
    return tidy(() => lastAxisProduct(concat([fitLastAxis(real, used), fitLastAxis(imag, used)], -1), inverseRealDftMatrix(n)));
  });
}
