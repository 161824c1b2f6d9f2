import { tidy } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { addN } from './add-n.js';
import { withComplexPair, type ComplexPair } from './complex-pair.js';
import { concat } from './concat.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { inverseRealDftMatrix, realDftMatrix, spectrumBins } from './dft-matrices.js';
import { checkLength, fitLastAxis, halves, lastAxisProduct } from './fourier.js';
import { mul } from './arithmetic.js';
import { mirrorPad } from './mirror-pad.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { frame } from './signal-frame.js';
import { slice } from './slice.js';

// Keras 3's keras.ops.stft and istft, with the semantics of its NumPy backend (scipy.signal):
// frames of fftLength samples every sequenceStride, the window of sequenceLength samples centred
// in each frame, one-sided spectra; istft overlap-adds the windowed inverse frames and divides by
// the summed squared window at each sample, so istft(stft(x)) = x wherever that sum is non-zero.

/** 'hann' or 'hamming' (periodic), a window of sequenceLength values, or null for none. */
export type StftWindow = 'hann' | 'hamming' | TensorLike | null;

/**
 * The window on the host in float64, zero-padded on both sides to fftLength (the extra zero on
 * the right), or null. Named windows are periodic for every length, as scipy.signal.get_window
 * makes them for Keras's NumPy and JAX backends: TensorFlow's hann_window would make an
 * odd length symmetric. A window of one sample is [1], as scipy's.
 */
function windowValues(op: string, window: StftWindow, sequenceLength: number, fftLength: number): Float64Array | null {
  if (window === null) return null;
  let values: ArrayLike<number>;
  if (window === 'hann' || window === 'hamming') {
    const a = window === 'hann' ? 0.5 : 0.54;
    values = Array.from({ length: sequenceLength }, (_, i) => (sequenceLength === 1 ? 1 : a - (1 - a) * Math.cos((2 * Math.PI * i) / sequenceLength)));
  } else if (typeof window === 'string') {
    throw new Error(`${op}: window must be 'hann', 'hamming', null or ${sequenceLength} values, got ${JSON.stringify(window)}`);
  } else {
    const t = window instanceof Tensor ? window : tensor(window, undefined, 'float32');
    const shape = t.shape;
    values = t.dataSync();
    if (!(window instanceof Tensor)) t.dispose();
    if (shape.length !== 1 || shape[0] !== sequenceLength) {
      throw new Error(`${op}: a window must be a vector of sequenceLength (${sequenceLength}) values, got shape ${formatShape(shape)}`);
    }
  }
  const padded = new Float64Array(fftLength);
  const left = Math.floor((fftLength - sequenceLength) / 2);
  for (let i = 0; i < sequenceLength; i++) padded[left + i] = values[i]!;
  return padded;
}

function checkSettings(op: string, sequenceLength: number, sequenceStride: number, fftLength: number, center: boolean): void {
  checkLength(op, 'sequenceLength', sequenceLength);
  checkLength(op, 'sequenceStride', sequenceStride);
  checkLength(op, 'fftLength', fftLength);
  if (fftLength < sequenceLength) throw new Error(`${op}: fftLength must be at least sequenceLength, got fftLength ${fftLength} and sequenceLength ${sequenceLength}`);
  if (typeof center !== 'boolean') throw new Error(`${op}: center must be a boolean, got ${JSON.stringify(center)}`);
}

/**
 * keras.ops.stft: the one-sided spectra [real, imag] of shape [..., frames, fftLength/2 + 1] of
 * windowed frames of the last axis. With center, the signal is first padded by fftLength/2 on
 * each side with its reflection (so it needs more than fftLength/2 samples); frames of fftLength
 * samples start every sequenceStride, only whole ones kept. The window is folded into the DFT
 * matrix, so each frame costs one matMul.
 */
export function stft(x: TensorLike, sequenceLength: number, sequenceStride: number, fftLength: number, window: StftWindow = 'hann', center = true): [Tensor, Tensor] {
  return withTensors('stft', [x], (t) => {
    if (t.dtype !== 'float32') throw new Error(`stft: expected a float32 signal, got ${t.dtype} of shape ${formatShape(t.shape)}`);
    if (t.rank < 1) throw new Error(`stft: expected a signal of rank >= 1 (samples on the last axis), got shape ${formatShape(t.shape)}`);
    checkSettings('stft', sequenceLength, sequenceStride, fftLength, center);
    const samples = t.shape[t.rank - 1]!;
    const half = Math.floor(fftLength / 2);
    if (center && samples <= half) {
      throw new Error(`stft: center pads the signal with its reflection by fftLength/2 = ${half} samples, which needs more than ${half} samples, got shape ${formatShape(t.shape)}`);
    }
    const padded = samples + (center ? 2 * half : 0);
    if (padded < fftLength) {
      throw new Error(`stft: a frame needs fftLength = ${fftLength} samples${center ? ` after padding by ${half} on each side` : ''}, got ${padded} (shape ${formatShape(t.shape)})`);
    }
    const w = windowValues('stft', window, sequenceLength, fftLength);
    return tidy(() => {
      const signal = center ? mirrorPad(t, t.shape.map((_, i) => (i === t.rank - 1 ? [half, half] as const : [0, 0] as const)), 'reflect') : t;
      return halves(lastAxisProduct(frame(signal, fftLength, sequenceStride), realDftMatrix(fftLength, w ?? undefined)));
    });
  });
}

/**
 * Frames [..., F, n] laid every `step` samples and summed where they overlap, [..., (F−1)·step + n]
 * (tf.signal.overlap_and_add): each frame is cut into r = ⌈n/step⌉ pieces of `step` samples, piece
 * j of frame f lands on block f + j, so piece j of every frame is one shift by j blocks.
 */
function overlapAdd(frames: Tensor, step: number): Tensor {
  const [count, n] = frames.shape.slice(-2) as [number, number];
  const lead = frames.shape.slice(0, -2);
  const r = Math.ceil(n / step);
  const pieces = reshape(fitLastAxis(frames, r * step), [...lead, count, r, step]);
  const shifted = Array.from({ length: r }, (_, j) => {
    const piece = reshape(slice(pieces, pieces.shape.map((_, i) => (i === lead.length + 1 ? j : 0)), pieces.shape.map((d, i) => (i === lead.length + 1 ? 1 : d))), [...lead, count, step]);
    return pad(piece, piece.shape.map((_, i) => (i === lead.length ? [j, r - 1 - j] as const : [0, 0] as const)));
  });
  const blocks = reshape(r === 1 ? shifted[0]! : addN(shifted), [...lead, (count + r - 1) * step]);
  return fitLastAxis(blocks, (count - 1) * step + n);
}

/**
 * keras.ops.istft: the signal whose stft is x = [real, imag] ([..., frames, fftLength/2 + 1]).
 * Each frame's irfft is multiplied by the window, the frames are overlap-added, and each sample
 * divided by the sum of the squared windows over it (left alone where that is below 1e-10), as
 * scipy.signal.istft does for Keras's NumPy backend, so edges come back exactly too. With no
 * window the frames are only overlap-added, as TensorFlow's inverse_stft does. With center,
 * fftLength/2 samples are dropped at the start; `length` samples are kept, by default all but
 * fftLength/2 at the end (with center) too.
 */
export function istft(x: ComplexPair, sequenceLength: number, sequenceStride: number, fftLength: number, length?: number, window: StftWindow = 'hann', center = true): Tensor {
  return withComplexPair('istft', x, (real, imag) => {
    checkSettings('istft', sequenceLength, sequenceStride, fftLength, center);
    if (length !== undefined && (!Number.isInteger(length) || length < 0)) throw new Error(`istft: length must be a non-negative integer, got ${JSON.stringify(length)}`);
    const bins = spectrumBins(fftLength);
    if (real.rank < 2 || real.shape[real.rank - 1] !== bins || real.shape[real.rank - 2] === 0) {
      throw new Error(`istft: expected spectra of shape [..., frames >= 1, fftLength/2 + 1 = ${bins}], got ${formatShape(real.shape)}`);
    }
    const count = real.shape[real.rank - 2]!;
    const total = fftLength + sequenceStride * (count - 1);
    const start = center ? Math.floor(fftLength / 2) : 0;
    const end = length !== undefined ? start + length : total - start;
    if (end > total) {
      throw new Error(`istft: ${count} frames of ${fftLength} every ${sequenceStride} give ${total} samples; length ${length}${center ? ` after dropping ${start}` : ''} needs ${end}`);
    }
    const w = windowValues('istft', window, sequenceLength, fftLength);
    return tidy(() => {
      const frames = lastAxisProduct(concat([real, imag], -1), inverseRealDftMatrix(fftLength, w ?? undefined));
      let signal = overlapAdd(frames, sequenceStride);
      if (w) {
        const scale = new Float32Array(total);
        const norm = new Float64Array(total);
        for (let f = 0; f < count; f++) for (let t = 0; t < fftLength; t++) norm[f * sequenceStride + t]! += w[t]! ** 2;
        norm.forEach((v, i) => { scale[i] = v > 1e-10 ? 1 / v : 1; });
        signal = mul(signal, tensor(scale, [total], 'float32'));
      }
      return slice(signal, signal.shape.map((_, i) => (i === signal.rank - 1 ? start : 0)), signal.shape.map((d, i) => (i === signal.rank - 1 ? end - start : d)));
    });
  });
}
