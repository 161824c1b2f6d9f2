import type { Tensor } from '../tensor/tensor.js';
import { tensor } from './convert.js';

// The discrete Fourier transform as matrices worked out on the host in float64 and rounded once,
// so the transforms are matMuls: their gradients are matMuls too, and ONNX export needs nothing new.

/** Bins of a one-sided spectrum of n samples: 0 … ⌊n/2⌋. */
export const spectrumBins = (n: number): number => Math.floor(n / 2) + 1;

/** cos and sin of 2π·t·k / n with t·k reduced mod n first, so large products keep full precision. */
function phase(t: number, k: number, n: number): [number, number] {
  const a = (2 * Math.PI * ((t * k) % n)) / n;
  return [Math.cos(a), Math.sin(a)];
}

/**
 * [2n, 2n]: a row [real | imag] times it gives the transform's [real | imag]. With C = cos and
 * S = sin of 2π·t·k / n, the forward transform (e^−iθ) is [[C, −S], [S, C]]; the inverse
 * conjugates (e^+iθ) and divides by n.
 */
export function complexDftMatrix(n: number, inverse: boolean): Tensor {
  const sign = inverse ? 1 : -1;
  const scale = inverse ? 1 / n : 1;
  const m = new Float32Array(4 * n * n);
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < n; k++) {
      const [c, s] = phase(t, k, n);
      m[t * 2 * n + k] = c * scale;
      m[t * 2 * n + n + k] = sign * s * scale;
      m[(n + t) * 2 * n + k] = -sign * s * scale;
      m[(n + t) * 2 * n + n + k] = c * scale;
    }
  }
  return tensor(m, [2 * n, 2 * n], 'float32');
}

/**
 * [n, 2·bins]: n real samples (each first multiplied by window[t]) times it give the one-sided
 * spectrum [real | imag]: real = Σ w·x·cos, imag = −Σ w·x·sin.
 */
export function realDftMatrix(n: number, window?: Float64Array): Tensor {
  const bins = spectrumBins(n);
  const m = new Float32Array(n * 2 * bins);
  for (let t = 0; t < n; t++) {
    const w = window ? window[t]! : 1;
    for (let k = 0; k < bins; k++) {
      const [c, s] = phase(t, k, n);
      m[t * 2 * bins + k] = w * c;
      m[t * 2 * bins + bins + k] = -w * s;
    }
  }
  return tensor(m, [n, 2 * bins], 'float32');
}

/**
 * [2·bins, n]: a one-sided spectrum [real | imag] times it gives the n real samples of its
 * Hermitian extension (each then multiplied by window[t]). Bins 1 … ⌈n/2⌉ − 1 stand for their
 * mirror images too, so count twice; the imaginary parts of bin 0 and, for even n, bin n/2 are
 * ignored, as NumPy's and TensorFlow's irfft do.
 */
export function inverseRealDftMatrix(n: number, window?: Float64Array): Tensor {
  const bins = spectrumBins(n);
  const m = new Float32Array(2 * bins * n);
  for (let k = 0; k < bins; k++) {
    const unpaired = k === 0 || 2 * k === n;
    const weight = (unpaired ? 1 : 2) / n;
    for (let t = 0; t < n; t++) {
      const w = window ? window[t]! : 1;
      const [c, s] = phase(t, k, n);
      m[k * n + t] = weight * w * c;
      m[(bins + k) * n + t] = unpaired ? 0 : -weight * w * s;
    }
  }
  return tensor(m, [2 * bins, n], 'float32');
}
