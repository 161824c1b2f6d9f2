import * as core from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

/** The part a row checks: piece 0 the real one, 1 the imaginary one; the other is freed. */
function pick([real, imag]: [Tensor, Tensor], a: Attrs): Tensor {
  const [checked, other] = a.piece === 1 ? [imag, real] : [real, imag];
  other.dispose();
  return checked;
}
const pickRef = (y: { real: ref.NDArray; imag: ref.NDArray }, a: Attrs): ref.NDArray => (a.piece === 1 ? y.imag : y.real);

/** stft's and istft's settings with Keras's defaults (hann, centred). */
function settings(a: Attrs): ref.StftSettings {
  const s = a.spectral!;
  return { sequenceLength: s.sequenceLength!, sequenceStride: s.sequenceStride!, fftLength: s.fftLength!, window: s.window === undefined ? 'hann' : s.window, center: s.center ?? true };
}
const stftOf = (x: Tensor, s: ref.StftSettings): [Tensor, Tensor] => core.stft(x, s.sequenceLength, s.sequenceStride, s.fftLength, s.window, s.center);
const istftOf = (pair: [Tensor, Tensor], s: ref.StftSettings, length?: number): Tensor => core.istft(pair, s.sequenceLength, s.sequenceStride, s.fftLength, length, s.window, s.center);
const last = (s: readonly number[]): number => s[s.length - 1]!;

/** keras.ops' fft, ifft, rfft, irfft, stft, istft, their round trips, and tf.signal's linearToMelWeightMatrix. */
export const SPECTRAL_OPS = {
  fft: {
    run: ([re, im], a) => pick(core.fft([re!, im!]), a), reference: ([re, im], a) => pickRef(ref.dft(re!, im!, false), a),
    // Each output sums n complex products, 2n float32 terms.
    reductionLength: ([s]) => 2 * last(s!), differentiable: true,
  },
  ifft: {
    run: ([re, im], a) => pick(core.ifft([re!, im!]), a), reference: ([re, im], a) => pickRef(ref.dft(re!, im!, true), a),
    reductionLength: ([s]) => 2 * last(s!), differentiable: true,
  },
  rfft: {
    run: ([x], a) => pick(core.rfft(x!, a.spectral?.fftLength), a), reference: ([x], a) => pickRef(ref.rfft(x!, a.spectral?.fftLength), a),
    reductionLength: ([s], a) => a.spectral?.fftLength ?? last(s!), differentiable: true,
  },
  irfft: {
    run: ([re, im], a) => core.irfft([re!, im!], a.spectral?.fftLength), reference: ([re, im], a) => ref.irfft(re!, im!, a.spectral?.fftLength),
    reductionLength: ([s], a) => 2 * (a.spectral?.fftLength ?? 2 * (last(s!) - 1)), differentiable: true,
  },
  stft: {
    run: ([x], a) => pick(stftOf(x!, settings(a)), a), reference: ([x], a) => pickRef(ref.stft(x!, settings(a)), a),
    reductionLength: (_s, a) => settings(a).fftLength, differentiable: true,
  },
  istft: {
    run: ([re, im], a) => istftOf([re!, im!], settings(a), a.spectral!.length), reference: ([re, im], a) => ref.istft(re!, im!, settings(a), a.spectral!.length),
    // Each sample sums ⌈fftLength / stride⌉ frames of 2·bins terms each.
    reductionLength: ([s], a) => 2 * last(s!) * Math.ceil(settings(a).fftLength / settings(a).sequenceStride), differentiable: true,
  },
  /** irfft(rfft(x)) = x for any real x when n is its length: the oracle is x itself. */
  irfftOfRfft: {
    run: ([x]) => core.tidy(() => core.irfft(core.rfft(x!), last(x!.shape))), reference: ([x]) => x!,
    reductionLength: ([s]) => 4 * last(s!), differentiable: true,
  },
  /** istft(stft(x)) = x for a window whose squares overlap to no zero: the oracle is x itself. */
  istftOfStft: {
    run: ([x], a) => core.tidy(() => istftOf(stftOf(x!, settings(a)), settings(a), last(x!.shape))), reference: ([x]) => x!,
    reductionLength: (_s, a) => 4 * settings(a).fftLength * Math.ceil(settings(a).fftLength / settings(a).sequenceStride), differentiable: true,
  },
  linearToMelWeightMatrix: {
    run: (_xs, a) => core.linearToMelWeightMatrix(...a.spectral!.mel!), reference: (_xs, a) => ref.linearToMelWeightMatrix(...a.spectral!.mel!),
    dtype: () => 'float32', differentiable: false,
  },
} satisfies Record<string, OpSpec>;
