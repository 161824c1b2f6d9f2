import { opCase } from './case.js';
import { uniform } from './inputs.js';
import type { Attrs, OpCase } from './types.js';

/** Rows for both parts of a transform of two outputs: piece 0 the real part, 1 the imaginary one. */
const bothParts = (id: string, op: 'fft' | 'ifft' | 'rfft' | 'stft', inputs: Parameters<typeof opCase>[2], attrs: Attrs = {}): OpCase[] =>
  [0, 1].map((piece) => opCase(`${piece ? 'imag' : 'real'} of ${id}`, op, inputs, { ...attrs, piece }));

/** keras.ops' fft, ifft, rfft, irfft, stft and istft, their round trips, and linearToMelWeightMatrix. */
export const SPECTRAL_CASES: OpCase[] = [
  ...bothParts('an even [8]', 'fft', [uniform([8]), uniform([8])]),
  ...bothParts('an odd [7]', 'fft', [uniform([7]), uniform([7])]),
  ...bothParts('a batch [2,3,5]', 'fft', [uniform([2, 3, 5]), uniform([2, 3, 5])]),
  ...bothParts('a single value [3,1] is itself', 'fft', [uniform([3, 1]), uniform([3, 1])]),
  ...bothParts('an even [6]', 'ifft', [uniform([6]), uniform([6])]),
  ...bothParts('a batch of odd [2,9]', 'ifft', [uniform([2, 9]), uniform([2, 9])]),

  ...bothParts('an even [8]', 'rfft', [uniform([8])]),
  ...bothParts('an odd [7]', 'rfft', [uniform([7])]),
  ...bothParts('a batch [2,3,9]', 'rfft', [uniform([2, 3, 9])]),
  ...bothParts('[9] cut to fftLength 6', 'rfft', [uniform([9])], { spectral: { fftLength: 6 } }),
  ...bothParts('[2,5] padded to an odd fftLength 11', 'rfft', [uniform([2, 5])], { spectral: { fftLength: 11 } }),

  // The imaginary parts of bin 0 (and n/2 for even n) are ignored: their gradient is 0.
  opCase('5 bins, the default fftLength 8', 'irfft', [uniform([5]), uniform([5])]),
  opCase('a batch [2,4] of 4 bins to an odd fftLength 7', 'irfft', [uniform([2, 4]), uniform([2, 4])], { spectral: { fftLength: 7 } }),
  opCase('6 bins cut to the 3 of fftLength 5', 'irfft', [uniform([6]), uniform([6])], { spectral: { fftLength: 5 } }),
  opCase('4 bins padded to the 7 of fftLength 12', 'irfft', [uniform([3, 4]), uniform([3, 4])], { spectral: { fftLength: 12 } }),
  opCase('2 bins, the default fftLength 2', 'irfft', [uniform([2]), uniform([2])]),

  ...bothParts('[20], hann 8 every 4, centred', 'stft', [uniform([20])], { spectral: { sequenceLength: 8, sequenceStride: 4, fftLength: 8 } }),
  // The odd window (periodic: period 5) sits in the middle of the 8, one zero before, two after.
  ...bothParts('[2,19], an odd hann 5 in fftLength 8 every 3, centred', 'stft', [uniform([2, 19])], { spectral: { sequenceLength: 5, sequenceStride: 3, fftLength: 8 } }),
  ...bothParts('[2,17], hamming 6 every 2, not centred', 'stft', [uniform([2, 17])], { spectral: { sequenceLength: 6, sequenceStride: 2, fftLength: 6, window: 'hamming', center: false } }),
  ...bothParts('[12], no window, odd fftLength 7 every 5, centred', 'stft', [uniform([12])], { spectral: { sequenceLength: 7, sequenceStride: 5, fftLength: 7, window: null } }),
  ...bothParts('[2,1,10], an odd hamming 7 in an odd fftLength 9 every 4, not centred', 'stft', [uniform([2, 1, 10])], { spectral: { sequenceLength: 7, sequenceStride: 4, fftLength: 9, window: 'hamming', center: false } }),
  // scipy's window of one sample is [1] (a raised cosine would give 0): sample 1 of each frame of 4.
  ...bothParts('[12], a one-sample hann in fftLength 4 every 2, not centred', 'stft', [uniform([12])], { spectral: { sequenceLength: 1, sequenceStride: 2, fftLength: 4, center: false } }),
  ...bothParts('[9]: a stride longer than the frame skips samples', 'stft', [uniform([9])], { spectral: { sequenceLength: 2, sequenceStride: 3, fftLength: 2, center: false } }),

  opCase('[5,5] of hann 8 every 4, centred', 'istft', [uniform([5, 5]), uniform([5, 5])], { spectral: { sequenceLength: 8, sequenceStride: 4, fftLength: 8 } }),
  opCase('[2,6,5] of an odd hamming 5 in fftLength 8 every 3, not centred', 'istft', [uniform([2, 6, 5]), uniform([2, 6, 5])], { spectral: { sequenceLength: 5, sequenceStride: 3, fftLength: 8, window: 'hamming', center: false } }),
  opCase('[4,4] of hann 7 every 2, centred, length 9', 'istft', [uniform([4, 4]), uniform([4, 4])], { spectral: { sequenceLength: 7, sequenceStride: 2, fftLength: 7, length: 9 } }),
  opCase('[3,5] with no window: the frames overlap-added', 'istft', [uniform([3, 5]), uniform([3, 5])], { spectral: { sequenceLength: 8, sequenceStride: 3, fftLength: 8, window: null, center: false } }),

  opCase('[8]', 'irfftOfRfft', [uniform([8])]),
  opCase('a batch of odd [2,7]', 'irfftOfRfft', [uniform([2, 7])]),
  opCase('[16], hann 8 every 2, centred', 'istftOfStft', [uniform([16])], { spectral: { sequenceLength: 8, sequenceStride: 2, fftLength: 8 } }),
  opCase('[2,14], an odd hann 5 in fftLength 8 every 2, centred', 'istftOfStft', [uniform([2, 14])], { spectral: { sequenceLength: 5, sequenceStride: 2, fftLength: 8 } }),
  opCase('[2,16], hamming 6 every 2, not centred', 'istftOfStft', [uniform([2, 16])], { spectral: { sequenceLength: 6, sequenceStride: 2, fftLength: 6, window: 'hamming', center: false } }),

  opCase('5 bands over 9 bins, 100–3900 Hz at 8 kHz', 'linearToMelWeightMatrix', [], { spectral: { mel: [5, 9, 8000, 100, 3900] } }),
  opCase('TensorFlow\'s defaults: 20 bands, 129 bins, 125–3800 Hz at 8 kHz', 'linearToMelWeightMatrix', [], { spectral: { mel: [20, 129, 8000, 125, 3800] } }),
  opCase('Keras MelSpectrogram\'s defaults: 128 bands, 1025 bins, 20–8000 Hz at 16 kHz', 'linearToMelWeightMatrix', [], { spectral: { mel: [128, 1025, 16000, 20, 8000] } }),
  opCase('more bands than bins: 40 over 17', 'linearToMelWeightMatrix', [], { spectral: { mel: [40, 17, 16000, 0, 8000] } }),
];
