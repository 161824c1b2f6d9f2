import { ndarray, sizeOfShape, type NDArray } from './ndarray.js';

// The float64 oracle for keras.ops' fft, ifft, rfft, irfft, stft and istft and
// tf.signal.linear_to_mel_weight_matrix. Each is the direct sum of its definition, one output at a
// time in complex arithmetic (no matrices): Keras's NumPy backend (NumPy's FFTs and
// scipy.signal's stft and istft) is the behaviour followed.

type Complex = [number, number];

/** Σₜ z[t]·e^(sign·2πi·t·k/n) for one k. */
function term(z: readonly Complex[], k: number, sign: number): Complex {
  const n = z.length;
  let [re, im] = [0, 0];
  z.forEach(([a, b], t) => {
    const angle = (sign * 2 * Math.PI * t * k) / n;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    re += a * c - b * s;
    im += a * s + b * c;
  });
  return [re, im];
}

/** `f` applied to each row (last axis) of `x`, rows of the result `width` long. */
function byRows(x: NDArray, width: number, f: (row: Float64Array) => number[]): NDArray {
  const n = x.shape[x.shape.length - 1]!;
  const rows = n === 0 ? 0 : sizeOfShape(x.shape) / n;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...f(x.data.subarray(r * n, (r + 1) * n)));
  return ndarray([...x.shape.slice(0, -1), width], out);
}

/** Real and imaginary parts side by side on the last axis, [real | imag], and back. */
function joined(real: NDArray, imag: NDArray): NDArray {
  const n = real.shape[real.shape.length - 1]!;
  return byRows(ndarray([...real.shape.slice(0, -1), 2 * n], Array.from({ length: 2 * sizeOfShape(real.shape) }, (_, i) => {
    const [r, c] = [Math.floor(i / (2 * n)), i % (2 * n)];
    return c < n ? real.data[r * n + c]! : imag.data[r * n + c - n]!;
  })), 2 * n, (row) => Array.from(row));
}
function parts(x: NDArray): { real: NDArray; imag: NDArray } {
  const n = x.shape[x.shape.length - 1]! / 2;
  return { real: byRows(x, n, (row) => Array.from(row.subarray(0, n))), imag: byRows(x, n, (row) => Array.from(row.subarray(n))) };
}

const pairsOf = (row: Float64Array): Complex[] => Array.from({ length: row.length / 2 }, (_, t) => [row[t]!, row[row.length / 2 + t]!]);

/** fft (sign −1) or ifft (sign +1, divided by n) of the complex [real, imag] over the last axis. */
export function dft(real: NDArray, imag: NDArray, inverse: boolean): { real: NDArray; imag: NDArray } {
  const n = real.shape[real.shape.length - 1]!;
  const scale = inverse ? 1 / n : 1;
  return parts(byRows(joined(real, imag), 2 * n, (row) => {
    const z = pairsOf(row);
    const y = z.map((_, k) => term(z, k, inverse ? 1 : -1));
    return [...y.map(([a]) => a * scale), ...y.map(([, b]) => b * scale)];
  }));
}

/** The first `length` values of a row, zeros past its end. */
const fitted = (row: ArrayLike<number>, length: number): number[] => Array.from({ length }, (_, i) => (i < row.length ? row[i]! : 0));

/** NumPy's rfft with n = fftLength: bins 0 … ⌊n/2⌋ of the row cut or zero-padded to n. */
export function rfft(x: NDArray, fftLength?: number): { real: NDArray; imag: NDArray } {
  const n = fftLength ?? x.shape[x.shape.length - 1]!;
  const bins = Math.floor(n / 2) + 1;
  return parts(byRows(x, 2 * bins, (row) => {
    const z = fitted(row, n).map((v): Complex => [v, 0]);
    const y = Array.from({ length: bins }, (_, k) => term(z, k, -1));
    return [...y.map(([a]) => a), ...y.map(([, b]) => b)];
  }));
}

/**
 * NumPy's irfft: the real part of (1/n)·Σₖ Y[k]·e^(2πi·t·k/n) over the whole spectrum Y of n
 * bins, bins above n/2 the conjugates of their mirror images (which drops the imaginary parts
 * of bin 0 and of bin n/2 for even n).
 */
export function irfft(real: NDArray, imag: NDArray, fftLength?: number): NDArray {
  const n = fftLength ?? 2 * (real.shape[real.shape.length - 1]! - 1);
  return byRows(joined(real, imag), n, (row) => {
    const half = pairsOf(row);
    const lower = Array.from({ length: Math.floor(n / 2) + 1 }, (_, k): Complex => half[k] ?? [0, 0]);
    const full = Array.from({ length: n }, (_, k): Complex => (k < lower.length ? lower[k]! : [lower[n - k]![0], -lower[n - k]![1]]));
    return Array.from({ length: n }, (_, t) => term(full, t, 1)[0] / n);
  });
}

export interface StftSettings {
  sequenceLength: number;
  sequenceStride: number;
  fftLength: number;
  window: 'hann' | 'hamming' | null;
  center: boolean;
}

/** scipy.signal.get_window's periodic Hann (as sin²) or Hamming ([1] for one sample), centred in fftLength zeros; ones(fftLength) for none. */
function paddedWindow(s: StftSettings): number[] {
  if (s.window === null) return new Array<number>(s.fftLength).fill(1);
  const l = s.sequenceLength;
  const left = Math.floor((s.fftLength - l) / 2);
  return Array.from({ length: s.fftLength }, (_, t) => {
    const i = t - left;
    if (i < 0 || i >= l) return 0;
    if (l === 1) return 1;
    return s.window === 'hann' ? Math.sin((Math.PI * i) / l) ** 2 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / l);
  });
}

/** NumPy's pad mode 'reflect' by p on each side: index −j reads j, index L − 1 + j reads L − 1 − j. */
function reflected(row: Float64Array, p: number): number[] {
  const last = row.length - 1;
  return Array.from({ length: row.length + 2 * p }, (_, i) => {
    const j = i - p;
    return row[j < 0 ? -j : j > last ? 2 * last - j : j]!;
  });
}

/** Frames × bins of the windowed one-sided spectrum of each row, flattened as [real | imag]. */
export function stft(x: NDArray, s: StftSettings): { real: NDArray; imag: NDArray } {
  const w = paddedWindow(s);
  const bins = Math.floor(s.fftLength / 2) + 1;
  const samples = x.shape[x.shape.length - 1]! + (s.center ? 2 * Math.floor(s.fftLength / 2) : 0);
  const frames = 1 + Math.floor((samples - s.fftLength) / s.sequenceStride);
  const length = x.shape[x.shape.length - 1]!;
  const [re, im]: number[][] = [[], []];
  for (let r = 0; r < sizeOfShape(x.shape) / length; r++) {
    const row = x.data.subarray(r * length, (r + 1) * length);
    const signal = s.center ? reflected(row, Math.floor(s.fftLength / 2)) : Array.from(row);
    for (let f = 0; f < frames; f++) {
      const z = w.map((v, t): Complex => [v * signal[f * s.sequenceStride + t]!, 0]);
      for (let k = 0; k < bins; k++) {
        const [a, b] = term(z, k, -1);
        re.push(a);
        im.push(b);
      }
    }
  }
  const shape = [...x.shape.slice(0, -1), frames, bins];
  return { real: ndarray(shape, re), imag: ndarray(shape, im) };
}

/**
 * scipy.signal.istft as Keras's NumPy backend calls it: each frame's irfft times the window,
 * overlap-added, each sample divided by the squared windows summed over it (where that exceeds
 * 1e-10); with no window, the plain overlap-added sum. Then [start, end) as Keras slices it.
 */
export function istft(real: NDArray, imag: NDArray, s: StftSettings, length?: number): NDArray {
  const [frames, bins] = real.shape.slice(-2) as [number, number];
  const n = s.fftLength;
  const w = paddedWindow(s);
  const total = n + s.sequenceStride * (frames - 1);
  const start = s.center ? Math.floor(n / 2) : 0;
  const end = length !== undefined ? start + length : total - start;
  const lead = real.shape.slice(0, -2);
  const out: number[] = [];
  for (let b = 0; b < sizeOfShape(lead); b++) {
    const sum = new Array<number>(total).fill(0);
    const norm = new Array<number>(total).fill(0);
    for (let f = 0; f < frames; f++) {
      const at = (b * frames + f) * bins;
      const y = irfft(ndarray([bins], real.data.subarray(at, at + bins)), ndarray([bins], imag.data.subarray(at, at + bins)), n).data;
      for (let t = 0; t < n; t++) {
        sum[f * s.sequenceStride + t]! += y[t]! * w[t]!;
        norm[f * s.sequenceStride + t]! += w[t]! ** 2;
      }
    }
    const signal = s.window === null ? sum : sum.map((v, i) => (norm[i]! > 1e-10 ? v / norm[i]! : v));
    out.push(...signal.slice(start, end));
  }
  return ndarray([...lead, end - start], out);
}

/**
 * TensorFlow's mel filterbank from its description: bins spread evenly over [0, sampleRate/2],
 * bands evenly over the mel scale 2595·log₁₀(1 + f/700) (HTK's, the same as 1127·ln(1 + f/700)
 * up to a factor, which cancels in the slopes); band m's triangle rises from edge m to peak 1 at
 * edge m + 1 and falls to edge m + 2; the DC bin gets nothing. [bins, bands].
 */
export function linearToMelWeightMatrix(numMelBins: number, numSpectrogramBins: number, sampleRate: number, lowerEdgeHertz: number, upperEdgeHertz: number): NDArray {
  const mel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
  const edges = Array.from({ length: numMelBins + 2 }, (_, i) => mel(lowerEdgeHertz) + (i * (mel(upperEdgeHertz) - mel(lowerEdgeHertz))) / (numMelBins + 1));
  const out: number[] = [];
  for (let k = 0; k < numSpectrogramBins; k++) {
    const m = mel((k * sampleRate) / 2 / (numSpectrogramBins - 1));
    for (let band = 0; band < numMelBins; band++) {
      const [lo, peak, hi] = edges.slice(band, band + 3) as [number, number, number];
      const rising = (m - lo) / (peak - lo);
      const falling = (hi - m) / (hi - peak);
      out.push(k === 0 ? 0 : Math.max(0, Math.min(rising, falling)));
    }
  }
  return ndarray([numSpectrogramBins, numMelBins], out);
}
