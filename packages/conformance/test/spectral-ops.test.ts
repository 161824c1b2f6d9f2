// What the op table cannot say about keras.ops' fft, ifft, rfft, irfft, stft, istft and
// tf.signal's linearToMelWeightMatrix, on every backend: transforms worked by hand (the sign of
// the imaginary part, the 1/n of the inverses), agreement with real tfjs where tfjs has the op,
// their errors, and a gradient step that leaks nothing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as pc from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';

/** Seeded uniform floats in [-1, 1). */
function seeded(count: number, seed: number): number[] {
  const g = new pc.RandomGenerator(seed);
  return Array.from({ length: count }, () => 2 * g.nextFloat() - 1);
}

const parts = ([real, imag]: [pc.Tensor, pc.Tensor]): [number[], number[]] => [valuesOf(real), valuesOf(imag)];

/** tfjs's answers, worked out once on its CPU backend (Perceptron's tfjs-wasm backend moves tfjs to wasm, which has no complex kernels). */
const TFJS: Record<string, number[]> = {};
const N_VALUES = [5, 8];
const stftSignal = seeded(40, 40);
const irfftInput = [seeded(10, 30), seeded(10, 31)] as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
  for (const n of N_VALUES) {
    const z = tf.complex(tf.tensor2d(seeded(3 * n, 10 + n), [3, n]), tf.tensor2d(seeded(3 * n, 20 + n), [3, n]));
    for (const [name, y] of [['fft', tf.spectral.fft(z)], ['ifft', tf.spectral.ifft(z)], ['rfft', tf.spectral.rfft(tf.real(z))]] as const) {
      TFJS[`${name} ${n} real`] = read(tf.real(y));
      TFJS[`${name} ${n} imag`] = read(tf.imag(y));
    }
  }
  TFJS.irfft = read(tf.spectral.irfft(tf.complex(tf.tensor2d(irfftInput[0], [2, 5]), tf.tensor2d(irfftInput[1], [2, 5]))));
  const spectrogram = tf.signal.stft(tf.tensor1d(stftSignal), 8, 3, 8);
  TFJS['stft shape'] = spectrogram.shape;
  TFJS['stft real'] = read(tf.real(spectrogram));
  TFJS['stft imag'] = read(tf.imag(spectrogram));
});

forEachBackend('spectral ops', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('fft and ifft by hand: an impulse at 1 turns at e^(−2πik/4) forward and e^(+2πik/4) back, ifft divides by n', () => pc.tidy(() => {
    const [re, im] = parts(pc.fft([[0, 1, 0, 0], [0, 0, 0, 0]]));
    expectClose(re, [1, 0, -1, 0], 0, 1e-7);
    expectClose(im, [0, -1, 0, 1], 0, 1e-7);
    const [ire, iim] = parts(pc.ifft([[0, 1, 0, 0], [0, 0, 0, 0]]));
    expectClose(ire, [0.25, 0, -0.25, 0], 0, 1e-7);
    expectClose(iim, [0, 0.25, 0, -0.25], 0, 1e-7);
    // An imaginary impulse: i·e^(−iθ) = sin θ + i cos θ.
    const [jre, jim] = parts(pc.fft([[0, 0, 0], [0, 1, 0]]));
    expectClose(jre, [0, Math.sin((2 * Math.PI) / 3), -Math.sin((2 * Math.PI) / 3)], 0, 1e-7);
    expectClose(jim, [1, -0.5, -0.5], 0, 1e-7);
  }));

  test('rfft and irfft by hand: [1, 2, 3, 4] ↔ [10, −2 + 2i, −2]; irfft ignores the imaginary parts of bins 0 and n/2', () => pc.tidy(() => {
    const [re, im] = parts(pc.rfft([1, 2, 3, 4]));
    expectClose(re, [10, -2, -2], 0, 1e-6);
    expectClose(im, [0, 2, 0], 0, 1e-6);
    expectClose(valuesOf(pc.irfft([[10, -2, -2], [0, 2, 0]])), [1, 2, 3, 4], 0, 1e-6);
    expectClose(valuesOf(pc.irfft([[10, -2, -2], [5, 2, -7]])), [1, 2, 3, 4], 0, 1e-6);
    // fftLength 6 pads with zeros: bin 3 of [1, 2, 3, 4, 0, 0] is 1 − 2 + 3 − 4.
    expectClose(parts(pc.rfft([1, 2, 3, 4], 6))[0].slice(3), [-2], 0, 1e-6);
    // fftLength 2 crops: [1, 2] → [3, −1].
    expectClose(parts(pc.rfft([1, 2, 3, 4], 2))[0], [3, -1], 0, 1e-6);
  }));

  test('fft, ifft, rfft and irfft agree with tfjs\'s, batched, odd and even', () => pc.tidy(() => {
    for (const n of N_VALUES) {
      const [re, im] = [pc.tensor(seeded(3 * n, 10 + n), [3, n]), pc.tensor(seeded(3 * n, 20 + n), [3, n])];
      for (const [name, ours] of [['fft', pc.fft([re, im])], ['ifft', pc.ifft([re, im])], ['rfft', pc.rfft(re)]] as const) {
        expectClose(valuesOf(ours[0]), TFJS[`${name} ${n} real`]!, 1e-5, 1e-5);
        expectClose(valuesOf(ours[1]), TFJS[`${name} ${n} imag`]!, 1e-5, 1e-5);
      }
    }
    // tfjs's irfft gives 2·(bins − 1) samples, as the default here.
    expectClose(valuesOf(pc.irfft([pc.tensor(irfftInput[0], [2, 5]), pc.tensor(irfftInput[1], [2, 5])])), TFJS.irfft!, 1e-5, 1e-5);
  }));

  test('stft, not centred with an even hann of fftLength, agrees with tf.signal.stft; centred, the first frame is the reflection', () => pc.tidy(() => {
    const [real, imag] = pc.stft(stftSignal, 8, 3, 8, 'hann', false);
    expect(real.shape).toEqual(TFJS['stft shape']);
    expectClose(valuesOf(real), TFJS['stft real']!, 1e-5, 1e-5);
    expectClose(valuesOf(imag), TFJS['stft imag']!, 1e-5, 1e-5);
    // Centred: frame 0 covers samples −4 … 3, i.e. x4 x3 x2 x1 x0 x1 x2 x3 (the edge is not repeated).
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const [c0] = parts(pc.stft(x, 8, 4, 8, null, true));
    expect(c0.length).toBe(3 * 5);
    expectClose(c0.slice(0, 1), [5 + 4 + 3 + 2 + 1 + 2 + 3 + 4], 0, 1e-5);
  }));

  test('istft(stft(x)) gives x back to the last sample, centred or not, for a hann or hamming window', () => pc.tidy(() => {
    const signal = seeded(2 * 33, 50);
    for (const [length, stride, fft, window, center] of [[8, 2, 8, 'hann', true], [5, 2, 8, 'hann', true], [6, 2, 6, 'hamming', false], [16, 4, 16, 'hann', true]] as const) {
      const x = pc.tensor(center ? signal : signal.slice(0, 2 * 32), [2, center ? 33 : 32]);
      const back = pc.istft(pc.stft(x, length, stride, fft, window, center), length, stride, fft, x.shape[1], window, center);
      expectClose(valuesOf(back), valuesOf(x), 0, 2e-6);
    }
  }));

  test('stft takes a window as numbers or a tensor: the named hann is periodic at odd lengths too (scipy\'s, not TensorFlow\'s symmetric one)', () => pc.tidy(() => {
    const x = seeded(30, 70);
    const hann5 = Array.from({ length: 5 }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / 5));
    const [named, given, asTensor] = [pc.stft(x, 5, 2, 8, 'hann'), pc.stft(x, 5, 2, 8, hann5), pc.stft(x, 5, 2, 8, pc.tensor(hann5))].map(parts);
    expectClose(given[0], named[0], 0, 1e-6);
    expectClose(asTensor[1], named[1], 0, 1e-6);
    const [half, none] = [pc.stft(x, 4, 2, 4, [0.5, 0.5, 0.5, 0.5], false), pc.stft(x, 4, 2, 4, null, false)].map(parts);
    expectClose(half[0], none[0].map((v) => v / 2), 0, 1e-6);
    expectClose(half[1], none[1].map((v) => v / 2), 0, 1e-6);
  }));

  test('linearToMelWeightMatrix: TensorFlow\'s default bands, a zero DC row, triangles peaking at most 1', () => pc.tidy(() => {
    const w = pc.linearToMelWeightMatrix();
    expect(w.shape).toEqual([129, 20]);
    const values = valuesOf(w);
    expect(values.slice(0, 20)).toEqual(new Array(20).fill(0));
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(values.every((v) => v >= 0)).toBe(true);
    // One band over 0 … U Hz peaks at the mel midpoint; U = 700·((1 + 1000/700)² − 1) puts it at 1000 Hz,
    // bin 32 of 129 at 8 kHz. Bin 16 (500 Hz) sits on the rising side at mel(500) / mel(1000).
    const upper = 700 * ((1 + 1000 / 700) ** 2 - 1);
    const band = valuesOf(pc.linearToMelWeightMatrix(1, 129, 8000, 0, upper));
    expectClose([band[32]!, band[16]!], [1, Math.log(1 + 500 / 700) / Math.log(1 + 1000 / 700)], 1e-6, 1e-7);
    expect(band.slice(Math.ceil(upper / 31.25))).toEqual(new Array(129 - Math.ceil(upper / 31.25)).fill(0));
  }));

  test('errors name the op, what it expected and what it got', () => pc.tidy(() => {
    expect(() => pc.fft([pc.zeros([3])] as never)).toThrow('fft: expected a pair [real, imag] of float32 tensors of one shape, got an array of length 1');
    expect(() => pc.ifft([pc.zeros([3]), pc.zeros([4])])).toThrow('ifft: the real and imaginary parts must have one shape of rank >= 1 (the transform runs over the last axis), got [3] and [4]');
    expect(() => pc.fft([pc.zeros([3], 'int32'), pc.zeros([3], 'int32')])).toThrow('fft: the real part must be float32, got int32 of shape [3]');
    expect(() => pc.fft([pc.zeros([2, 0]), pc.zeros([2, 0])])).toThrow('fft: the last axis must hold at least one value, got shape [2,0]');
    expect(() => pc.rfft(pc.scalar(1))).toThrow('rfft: expected a signal of rank >= 1 (samples on the last axis), got shape []');
    expect(() => pc.rfft([1, 2], 0)).toThrow('rfft: fftLength must be a positive integer, got 0');
    expect(() => pc.irfft([[1], [0]])).toThrow('irfft: the default fftLength 2·(bins − 1) needs at least 2 bins on the last axis, got shape [1]; pass fftLength');
    expect(() => pc.stft(pc.zeros([10]), 8, 2, 6)).toThrow('stft: fftLength must be at least sequenceLength, got fftLength 6 and sequenceLength 8');
    expect(() => pc.stft(pc.zeros([4]), 8, 2, 8)).toThrow('stft: center pads the signal with its reflection by fftLength/2 = 4 samples, which needs more than 4 samples, got shape [4]');
    expect(() => pc.stft(pc.zeros([6]), 8, 2, 8, 'hann', false)).toThrow('stft: a frame needs fftLength = 8 samples, got 6 (shape [6])');
    expect(() => pc.stft(pc.zeros([10]), 4, 2, 4, 'blackman' as never)).toThrow('stft: window must be \'hann\', \'hamming\', null or 4 values, got "blackman"');
    expect(() => pc.stft(pc.zeros([10]), 4, 2, 4, [1, 1, 1])).toThrow('stft: a window must be a vector of sequenceLength (4) values, got shape [3]');
    expect(() => pc.stft(pc.zeros([10]), 4, 0, 4)).toThrow('stft: sequenceStride must be a positive integer, got 0');
    expect(() => pc.istft([pc.zeros([3, 4]), pc.zeros([3, 4])], 8, 4, 8)).toThrow('istft: expected spectra of shape [..., frames >= 1, fftLength/2 + 1 = 5], got [3,4]');
    expect(() => pc.istft([pc.zeros([3, 5]), pc.zeros([3, 5])], 8, 4, 8, 13)).toThrow('istft: 3 frames of 8 every 4 give 16 samples; length 13 after dropping 4 needs 17');
    expect(() => pc.linearToMelWeightMatrix(10, 65, 8000, 100, 5000)).toThrow('linearToMelWeightMatrix: upperEdgeHertz must be at most the Nyquist frequency sampleRate / 2 = 4000, got 5000');
    expect(() => pc.linearToMelWeightMatrix(10, 65, 8000, 300, 300)).toThrow('linearToMelWeightMatrix: lowerEdgeHertz must be below upperEdgeHertz, got 300 and 300');
    expect(() => pc.linearToMelWeightMatrix(0)).toThrow('linearToMelWeightMatrix: numMelBins must be a positive integer, got 0');
  }));

  test('a gradient step through stft, istft, fft and irfft leaks no tensor', () => {
    const before = pc.memory().numTensors;
    const x = pc.tensor(seeded(2 * 24, 60), [2, 24]);
    const tape = new pc.GradientTape();
    tape.watch(x);
    const loss = tape.record(() => pc.tidy(() => {
      const spectra = pc.stft(x, 8, 4, 8);
      const [re, im] = pc.fft(spectra);
      return pc.add(pc.sum(pc.square(pc.istft(spectra, 8, 4, 8))), pc.add(pc.sum(pc.mul(re, im)), pc.sum(pc.irfft(pc.rfft(x)))));
    }));
    const [g] = tape.gradient(loss, [x]);
    expect(g!.shape).toEqual([2, 24]);
    pc.dispose([x, loss, g!]);
    expect(pc.memory().numTensors).toBe(before);
  });
});

reportTally('spectral ops');
