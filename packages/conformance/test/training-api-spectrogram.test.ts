// MelSpectrogram and STFTSpectrogram (Keras 3's audio layers) against float64 loops written here
// from Keras's and scipy's definitions: NumPy's reflect padding, scipy's windows, direct DFT sums,
// HTK's mel triangles, TensorFlow's 'same' padding. Values, gradients (central finite
// differences), output shapes (Keras's docstring examples), save and load, a Keras 3
// description, a MelSpectrogram → Dense model trained with fit, bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Window = 'hann' | 'hamming' | number[] | null;

/** scipy.signal.get_window(name, n, fftbins=periodic): period n when periodic, else n − 1. */
function scipyWindow(window: Window, n: number, periodic: boolean): number[] | null {
  if (window === null || Array.isArray(window)) return window;
  const period = periodic ? n : n - 1;
  return Array.from({ length: n }, (_, i) => (n === 1 ? 1 : window === 'hann' ? Math.sin((Math.PI * i) / period) ** 2 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / period)));
}

/** |Σₜ x[t]·e^(−2πi·t·k/n)|² for k = 0 … n/2 (the row already windowed). */
function powerSpectrum(row: readonly number[]): number[] {
  const n = row.length;
  return Array.from({ length: Math.floor(n / 2) + 1 }, (_, k) => {
    let [re, im] = [0, 0];
    row.forEach((v, t) => {
      re += v * Math.cos((2 * Math.PI * t * k) / n);
      im -= v * Math.sin((2 * Math.PI * t * k) / n);
    });
    return re * re + im * im;
  });
}

interface MelCase {
  name: string;
  shape: number[];
  config: pc.MelSpectrogramConfig;
}

const MEL_CASES: MelCase[] = [
  { name: 'batch [2,40], fft 16 every 4, hann, power in dB', shape: [2, 40], config: { fftLength: 16, sequenceStride: 4, samplingRate: 8000, numMelBins: 6, minFreq: 50, maxFreq: 3500 } },
  { name: 'unbatched [37], an odd hamming 11 in fft 16 every 5, magnitude (magExp 1), no dB', shape: [37], config: { fftLength: 16, sequenceStride: 5, sequenceLength: 11, window: 'hamming', samplingRate: 16000, numMelBins: 5, powerToDb: false, magExp: 1 } },
  { name: 'batch [3,30], fft 12 every 3, no window, topDb 12 (some floored), refPower 0.5', shape: [3, 30], config: { fftLength: 12, sequenceStride: 3, window: null, samplingRate: 4000, numMelBins: 4, minFreq: 0, maxFreq: 2000, topDb: 12, refPower: 0.5 } },
  { name: 'batch [3,30], fft 12 every 3, hann, 10 bands on 7 bins (some empty: −100 dB), topDb null (nothing floored)', shape: [3, 30], config: { fftLength: 12, sequenceStride: 3, samplingRate: 4000, numMelBins: 10, minFreq: 0, maxFreq: 2000, topDb: null } },
];

/** The Keras defaults a MelCase's config leaves out. */
function melSettings(c: MelCase) {
  const fftLength = c.config.fftLength ?? 2048;
  const samplingRate = c.config.samplingRate ?? 16000;
  return {
    fftLength, samplingRate, stride: c.config.sequenceStride ?? 512, sequenceLength: c.config.sequenceLength ?? fftLength,
    window: (c.config.window === undefined ? 'hann' : c.config.window) as Window, numMelBins: c.config.numMelBins ?? 128,
    minFreq: c.config.minFreq ?? 20, maxFreq: c.config.maxFreq ?? Math.floor(samplingRate / 2), powerToDb: c.config.powerToDb ?? true,
    topDb: c.config.topDb === null ? null : c.config.topDb ?? 80, magExp: c.config.magExp ?? 2, minPower: c.config.minPower ?? 1e-10, refPower: c.config.refPower ?? 1,
  };
}

/** HTK's triangles: [bins][bands], from mel(f) = 2595·log₁₀(1 + f/700); the DC bin is left out. */
function melWeights(bands: number, bins: number, rate: number, low: number, high: number): number[][] {
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const edges = Array.from({ length: bands + 2 }, (_, i) => mel(low) + ((mel(high) - mel(low)) * i) / (bands + 1));
  return Array.from({ length: bins }, (_, k) => Array.from({ length: bands }, (_, m) => {
    if (k === 0) return 0;
    const at = mel((k * rate) / 2 / (bins - 1));
    return Math.max(0, Math.min((at - edges[m]!) / (edges[m + 1]! - edges[m]!), (edges[m + 2]! - at) / (edges[m + 2]! - edges[m + 1]!)));
  }));
}

/** Keras's MelSpectrogram in float64: [..., bands, frames], flattened. */
function melReference(c: MelCase, x: readonly number[]): number[] {
  const s = melSettings(c);
  const samples = c.shape[c.shape.length - 1]!;
  const half = Math.floor(s.fftLength / 2);
  const w = scipyWindow(s.window, s.sequenceLength, true);
  const left = Math.floor((s.fftLength - s.sequenceLength) / 2);
  const padded = Array.from({ length: s.fftLength }, (_, t) => (w === null ? 1 : (w[t - left] ?? 0)));
  const filters = melWeights(s.numMelBins, half + 1, s.samplingRate, s.minFreq, s.maxFreq);
  const spectrograms = Array.from({ length: x.length / samples }, (_, r) => {
    const row = x.slice(r * samples, (r + 1) * samples);
    // NumPy's 'reflect': the edge sample is not repeated.
    const signal = Array.from({ length: samples + 2 * half }, (_, i) => {
      const j = Math.abs(i - half);
      return row[j < samples ? j : 2 * (samples - 1) - j]!;
    });
    const frames = 1 + Math.floor((signal.length - s.fftLength) / s.stride);
    return Array.from({ length: frames }, (_, f) => {
      const magnitude = powerSpectrum(padded.map((v, t) => v * signal[f * s.stride + t]!)).map((p) => Math.sqrt(p) ** s.magExp);
      return filters[0]!.map((_, m) => magnitude.reduce((sum, v, k) => sum + v * filters[k]![m]!, 0));
    });
  });
  let values = spectrograms.map((frames) => frames.map((bands) => bands.map((v) => {
    if (!s.powerToDb) return v;
    return 10 * Math.log10(Math.max(v, s.minPower)) - 10 * Math.log10(Math.max(Math.abs(s.refPower), s.minPower));
  })));
  if (s.powerToDb && s.topDb !== null) {
    const top = Math.max(...values.flat(2));
    const floor = top - s.topDb;
    values = values.map((frames) => frames.map((bands) => bands.map((v) => Math.max(v, floor))));
  }
  // [frames, bands] → [bands, frames] for each signal.
  return values.flatMap((frames) => frames[0]!.flatMap((_, m) => frames.map((bands) => bands[m]!)));
}

const recordMel = errorRecorder('MelSpectrogram');
const recordStft = errorRecorder('STFTSpectrogram');

interface StftCase {
  name: string;
  shape: [number, number, number];
  config: pc.STFTSpectrogramConfig;
  /** False where the output jumps: angle's DC bin has an imaginary part of exactly 0, on atan2's branch cut at ±π. */
  smooth?: false;
}

const STFT_CASES: StftCase[] = [
  { name: 'log, hann 8 every 4 (fft 8), valid, 1 channel', shape: [2, 20, 1], config: { frameLength: 8, frameStep: 4 } },
  { name: 'magnitude, hamming 6 in fft 8, same, 2 channels', shape: [2, 17, 2], config: { mode: 'magnitude', frameLength: 6, frameStep: 3, fftLength: 8, window: 'hamming', padding: 'same' } },
  { name: 'psd, periodic hann 7, default step 3 and fft 8, spectrum scaling', shape: [1, 19, 2], config: { mode: 'psd', frameLength: 7, periodic: true, scaling: 'spectrum' } },
  { name: 'real, no window, unscaled, same, expandDims', shape: [2, 11, 3], config: { mode: 'real', frameLength: 4, frameStep: 2, window: null, scaling: null, padding: 'same', expandDims: true } },
  { name: 'imag, a given window', shape: [1, 12, 1], config: { mode: 'imag', frameLength: 4, frameStep: 4, window: [0.2, 1, 0.7, 0.4] } },
  { name: 'angle, hann 8 in fft 16', shape: [1, 18, 1], config: { mode: 'angle', frameLength: 8, frameStep: 5, fftLength: 16 }, smooth: false },
  { name: 'stft, [real | imag] per channel, expandDims', shape: [2, 13, 2], config: { mode: 'stft', frameLength: 5, frameStep: 2, fftLength: 6, padding: 'same', expandDims: true } },
];

/** The layer's settings with Keras's defaults. */
function stftSettings(c: StftCase) {
  const frameLength = c.config.frameLength ?? 256;
  const fft = c.config.fftLength ?? 2 ** Math.ceil(Math.log2(frameLength));
  return {
    mode: c.config.mode ?? 'log', frameLength, step: c.config.frameStep ?? Math.floor(frameLength / 2), bins: Math.floor(fft / 2) + 1,
    window: (c.config.window === undefined ? 'hann' : c.config.window) as Window, periodic: c.config.periodic ?? false,
    scaling: c.config.scaling === undefined ? 'density' : c.config.scaling, padding: c.config.padding ?? 'valid', expandDims: c.config.expandDims ?? false,
  };
}

/** Keras's STFTInitializer: [frameLength][bins] of cos (real) or −sin (imag) of 2π·t·k / (2·(bins − 1)), times window / scaling. */
function kernelReference(c: StftCase, side: 'real' | 'imag'): number[] {
  const s = stftSettings(c);
  const w = scipyWindow(s.window, s.frameLength, s.periodic);
  const scale = w === null || s.scaling === null ? 1 : s.scaling === 'density' ? Math.sqrt(w.reduce((a, v) => a + v * v, 0)) : w.reduce((a, v) => a + Math.abs(v), 0);
  return Array.from({ length: s.frameLength * s.bins }, (_, i) => {
    const [t, k] = [Math.floor(i / s.bins), i % s.bins];
    const angle = (2 * Math.PI * t * k) / (2 * (s.bins - 1));
    return (side === 'real' ? Math.cos(angle) : -Math.sin(angle)) * (w === null ? 1 : w[t]! / scale);
  });
}

/** The layer's output in float64 for signals x [batch, samples, channels] and the two kernels. */
function stftReference(c: StftCase, x: readonly number[], real: readonly number[], imag: readonly number[]): number[] {
  const s = stftSettings(c);
  const [batch, samples, channels] = c.shape;
  // TensorFlow's 'same': ⌈samples / step⌉ frames, the padding split with the extra sample after.
  const frames = s.padding === 'same' ? Math.ceil(samples / s.step) : 1 + Math.floor((samples - s.frameLength) / s.step);
  const before = s.padding === 'same' ? Math.floor(Math.max(0, (frames - 1) * s.step + s.frameLength - samples) / 2) : 0;
  const sample = (b: number, t: number, ch: number) => (t < 0 || t >= samples ? 0 : x[(b * samples + t) * channels + ch]!);
  const project = (kernel: readonly number[], b: number, f: number, ch: number, k: number) =>
    Array.from({ length: s.frameLength }, (_, t) => sample(b, f * s.step - before + t, ch) * kernel[t * s.bins + k]!).reduce((a, v) => a + v, 0);
  const out: number[] = [];
  const value = (b: number, f: number, ch: number, k: number): number => {
    const mode = s.mode;
    if (mode === 'stft') return k < s.bins ? project(real, b, f, ch, k) : project(imag, b, f, ch, k - s.bins);
    if (mode === 'real') return project(real, b, f, ch, k);
    if (mode === 'imag') return project(imag, b, f, ch, k);
    const [re, im] = [project(real, b, f, ch, k), project(imag, b, f, ch, k)];
    if (mode === 'angle') return Math.atan2(im, re);
    const power = re * re + im * im;
    if (mode === 'psd') return k === 0 || k === s.bins - 1 ? power : 2 * power;
    const magnitude = Math.sqrt(Math.max(power, 1e-7));
    return mode === 'magnitude' ? magnitude : Math.log(Math.max(magnitude, 1e-7));
  };
  const width = s.mode === 'stft' ? 2 * s.bins : s.bins;
  for (let b = 0; b < batch; b++) {
    for (let f = 0; f < frames; f++) {
      // expandDims: [frames, bins, channels]; otherwise [frames, channels·bins], channel-major.
      if (s.expandDims) for (let k = 0; k < width; k++) for (let ch = 0; ch < channels; ch++) out.push(value(b, f, ch, k));
      else for (let ch = 0; ch < channels; ch++) for (let k = 0; k < width; k++) out.push(value(b, f, ch, k));
    }
  }
  return out;
}

for (const backend of MODEL_BACKENDS) {
  describe(`MelSpectrogram on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(MEL_CASES)('$name', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 21, -1, 1);

      it('matches the float64 loops, in the shape computeOutputShape gives', () => {
        const layer = new pc.MelSpectrogram(c.config);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)) as pc.Tensor);
        const want = melReference(c, xValues);
        expect(y.shape).toEqual(layer.computeOutputShape(c.shape));
        // A topDb set low enough floors some values at the largest minus topDb; with null, some lie below where the default 80 would floor them.
        if (typeof c.config.topDb === 'number') expect(want.filter((v) => v === Math.max(...want) - (c.config.topDb as number)).length).toBeGreaterThan(0);
        if (c.config.topDb === null) expect(Math.min(...want)).toBeLessThan(Math.max(...want) - 80);
        recordMel(`forward (${melSettings(c).powerToDb ? 'dB' : 'linear'})`, y.dataSync(), want);
        // Decibels: an absolute bound; linear values: a relative one.
        if (melSettings(c).powerToDb) expectClose(y.dataSync(), want, 0, 2e-4);
        else expectClose(y.dataSync(), want, 1e-4, 1e-6);
        y.dispose();
      });

      it('its gradient w.r.t. the signal matches central finite differences', () => {
        const layer = new pc.MelSpectrogram(c.config);
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({ layer, x, variables: [], values: [xValues], names: ['input'], reference: ([moved]) => melReference(c, moved!), seed: 5, record: recordMel, label: 'MelSpectrogram' });
        x.dispose();
      });
    });

    it("gives Keras's docstring shapes: [16000] → [64, 63]; [2, 16000] every 128 → [2, 80, 126] (the docstring's 125 is one frame short)", () => {
      const unbatched = new pc.MelSpectrogram({ numMelBins: 64, samplingRate: 8000, sequenceStride: 256, fftLength: 2048 });
      expect(unbatched.computeOutputShape([16000])).toEqual([64, 63]);
      const batched = new pc.MelSpectrogram({ numMelBins: 80, samplingRate: 8000, sequenceStride: 128, fftLength: 2048 });
      expect(batched.computeOutputShape([null, 16000])).toEqual([null, 80, 126]);
      // The frames Keras's ops.stft makes: 1 + (16000 + 2·1024 − 2048) / 128.
      const y = pc.tidy(() => new pc.MelSpectrogram({ numMelBins: 8, samplingRate: 8000, sequenceStride: 128, fftLength: 64 }).apply(pc.zeros([1, 16000])) as pc.Tensor);
      expect(y.shape).toEqual([1, 8, 126]);
      y.dispose();
    });

    it('a model MelSpectrogram → Flatten → Dense learns with fit, leaks nothing, and saves and loads', async () => {
      const make = () => new pc.Sequential([
        new pc.MelSpectrogram({ fftLength: 16, sequenceStride: 8, samplingRate: 8000, numMelBins: 6, powerToDb: false, inputShape: [48] }),
        new pc.Flatten(), new pc.Dense(1),
      ]);
      const model = make();
      // Targets: the energy of each signal, which the mel bands carry.
      const signals = draws(24 * 48, 31, -1, 1).map((v, i) => v * (1 + (Math.floor(i / 48) % 4)));
      const x = pc.tensor(signals, [24, 48]);
      const y = pc.tensor(Array.from({ length: 24 }, (_, r) => signals.slice(r * 48, (r + 1) * 48).reduce((a, v) => a + v * v, 0) / 48), [24, 1]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! / 2);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [model.layers[0]!]);
      expect(model.layers[0]!.getConfig()).toMatchObject({ fftLength: 16, sequenceStride: 8, sequenceLength: 16, window: 'hann', samplingRate: 8000, numMelBins: 6, minFreq: 20, maxFreq: 4000, powerToDb: false, topDb: 80, magExp: 2, minPower: 1e-10, refPower: 1 });
      pc.dispose([x, y]);
      model.dispose();
    });

    it('reads a Keras 3 description (snake_case settings) through loadLayersModel', async () => {
      const c = MEL_CASES[1]!;
      const loaded = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'audio', shape: [37] }],
        layers: [{
          className: 'MelSpectrogram', name: 'mel_spectrogram',
          config: { fft_length: 16, sequence_stride: 5, sequence_length: 11, window: 'hamming', sampling_rate: 16000, num_mel_bins: 5, min_freq: 20.0, max_freq: 8000, power_to_db: false, top_db: 80.0, mag_exp: 1.0, min_power: 1e-10, ref_power: 1.0 },
        }],
      }));
      expect(loaded.layers[1]).toBeInstanceOf(pc.MelSpectrogram);
      const xValues = draws(37, 22, -1, 1);
      const x = pc.tensor(xValues, [1, 37]);
      const y = loaded.predict(x) as pc.Tensor;
      const want = melReference({ ...c, shape: [1, 37] }, xValues);
      recordMel('Keras 3 model', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-4, 1e-6);
      pc.dispose([x, y]);
      loaded.dispose();
    });
  });

  describe(`STFTSpectrogram on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(STFT_CASES)('$name', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 41, -1, 1);
      const s = stftSettings(c);

      it("makes Keras's STFTInitializer kernels; its output matches the float64 loops, in the shape computeOutputShape gives", () => {
        const layer = new pc.STFTSpectrogram(c.config);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)) as pc.Tensor);
        const kernels = [layer.realKernel, layer.imagKernel].filter((k): k is pc.Variable => k !== null);
        expect(kernels.map((k) => [k.name, k.shape, k.trainable])).toEqual([
          ...(s.mode === 'imag' ? [] : [[`${layer.name}/real_kernel`, [s.frameLength, 1, s.bins], true]]),
          ...(s.mode === 'real' ? [] : [[`${layer.name}/imag_kernel`, [s.frameLength, 1, s.bins], true]]),
        ]);
        if (layer.realKernel) expectClose(layer.realKernel.dataSync(), kernelReference(c, 'real'), 1e-6, 1e-7);
        if (layer.imagKernel) expectClose(layer.imagKernel.dataSync(), kernelReference(c, 'imag'), 1e-6, 1e-7);
        const want = stftReference(c, xValues, kernelReference(c, 'real'), kernelReference(c, 'imag'));
        expect(y.shape).toEqual(layer.computeOutputShape([null, ...c.shape.slice(1)]).map((d, i) => d ?? c.shape[i]));
        recordStft(`forward (${s.mode})`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-4, 1e-5);
        y.dispose();
        layer.dispose();
      });

      if (c.smooth !== false) it('its gradients w.r.t. the signal and the kernels match central finite differences', () => {
        const layer = new pc.STFTSpectrogram(c.config);
        layer.ensureBuilt(c.shape);
        const x = pc.tensor(xValues, c.shape);
        const kernels = [layer.realKernel, layer.imagKernel].filter((k): k is pc.Variable => k !== null);
        const initial = kernels.map((k) => Array.from(k.dataSync()));
        const real = layer.realKernel ? 1 : -1;
        expectReferenceGradients({
          layer, x, variables: kernels, values: [xValues, ...initial], names: ['input', ...kernels.map((k) => (k === layer.realKernel ? 'real kernel' : 'imag kernel'))], seed: 7, record: recordStft, label: `STFTSpectrogram ${s.mode}`,
          reference: ([moved, first, second]) => stftReference(c, moved!, real > 0 ? first! : [], real > 0 ? (second ?? []) : first!),
        });
        x.dispose();
        layer.dispose();
      });
    });

    it("mode 'real' with a periodic hann and no scaling is the real part of ops.stft, not centred", () => {
      const x = pc.tensor(draws(30, 51, -1, 1), [1, 30, 1]);
      const layer = new pc.STFTSpectrogram({ mode: 'real', frameLength: 8, frameStep: 3, periodic: true, scaling: null });
      const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
      const [real, imag] = pc.stft(pc.reshape(x, [30]), 8, 3, 8, 'hann', false);
      expectClose(y.dataSync(), real.dataSync(), 1e-5, 1e-6);
      pc.dispose([x, y, real, imag]);
      layer.dispose();
    });

    it("gives Keras's docstring shapes, and saves and loads in a model whose training leaks nothing", async () => {
      expect(new pc.STFTSpectrogram({ mode: 'log', frameLength: 256, frameStep: 128, fftLength: 512, padding: 'valid' }).computeOutputShape([3, 160000, 1])).toEqual([3, 1249, 257]);
      expect(new pc.STFTSpectrogram({ frameLength: 256, frameStep: 128, fftLength: 512, window: 'hamming', padding: 'same' }).computeOutputShape([3, 160000, 2])).toEqual([3, 1250, 514]);
      expect(new pc.STFTSpectrogram({ frameLength: 256, frameStep: 128, fftLength: 512, padding: 'same', expandDims: true }).computeOutputShape([3, 160000, 3])).toEqual([3, 1250, 257, 3]);
      const model = new pc.Sequential([new pc.STFTSpectrogram({ mode: 'magnitude', frameLength: 6, frameStep: 3, window: 'hamming', inputShape: [20, 2] }), new pc.Flatten(), new pc.Dense(2)]);
      const x = pc.tensor(draws(3 * 40, 52, -1, 1), [3, 20, 2]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [model.layers[0]!]);
      expect(model.layers[0]!.getConfig()).toMatchObject({ mode: 'magnitude', frameLength: 6, frameStep: 3, fftLength: null, window: 'hamming', periodic: false, scaling: 'density', padding: 'valid', expandDims: false });
      x.dispose();
      model.dispose();
    });

    it('reads a Keras 3 description with its kernels through loadLayersModel', async () => {
      const c = STFT_CASES[1]!;
      const [real, imag] = [draws(6 * 5, 61, -1, 1), draws(6 * 5, 62, -1, 1)];
      const loaded = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'audio', shape: [17, 2] }],
        layers: [{
          className: 'STFTSpectrogram', name: 'stft_spectrogram', built: true,
          config: { mode: 'magnitude', frame_length: 6, frame_step: 3, fft_length: 8, window: 'hamming', periodic: false, scaling: 'density', padding: 'same', expand_dims: false, data_format: 'channels_last' },
        }],
        weights: [{ name: 'stft_spectrogram/real_kernel:0', shape: [6, 1, 5], values: real }, { name: 'stft_spectrogram/imag_kernel:0', shape: [6, 1, 5], values: imag }],
      }));
      expect(loaded.layers[1]).toBeInstanceOf(pc.STFTSpectrogram);
      const xValues = draws(2 * 17 * 2, 63, -1, 1);
      const x = pc.tensor(xValues, [2, 17, 2]);
      const y = loaded.predict(x) as pc.Tensor;
      const want = stftReference(c, xValues, real, imag);
      recordStft('Keras 3 model', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-4, 1e-5);
      pc.dispose([x, y]);
      loaded.dispose();
    });
  });
}

describe('spectrogram layer settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it("keeps a Keras 3 description's None where it is a choice, not the default: no window, no decibel floor, no scaling", async () => {
    const mel = await pc.loadLayersModel(keras3Files({
      inputs: [{ name: 'audio', shape: [37] }],
      layers: [{ className: 'MelSpectrogram', name: 'mel_spectrogram', config: { fft_length: 16, sequence_stride: 5, window: null, top_db: null, max_freq: null } }],
    }));
    expect(mel.layers[1]!.getConfig()).toMatchObject({ window: null, topDb: null, maxFreq: 8000 });
    const stft = await pc.loadLayersModel(keras3Files({
      inputs: [{ name: 'audio', shape: [17, 2] }],
      layers: [{ className: 'STFTSpectrogram', name: 'stft_spectrogram', built: true, config: { mode: 'magnitude', frame_length: 6, frame_step: 3, fft_length: null, window: null, scaling: null } }],
      weights: ['real', 'imag'].map((side, i) => ({ name: `stft_spectrogram/${side}_kernel:0`, shape: [6, 1, 5], values: draws(30, 64 + i, -1, 1) })),
    }));
    expect(stft.layers[1]!.getConfig()).toMatchObject({ window: null, scaling: null, fftLength: null });
    [mel, stft].forEach((model) => model.dispose());
  });

  it.each([
    ['a window longer than the FFT', () => new pc.MelSpectrogram({ fftLength: 16, sequenceLength: 20 }), 'MelSpectrogram: sequenceLength must be at most fftLength, got sequenceLength 20 and fftLength 16'],
    ['an unknown window', () => new pc.MelSpectrogram({ window: 'blackman' as never }), 'MelSpectrogram: window must be \'hann\', \'hamming\', null or a list of sequenceLength values, got "blackman"'],
    ['a window list of the wrong length', () => new pc.MelSpectrogram({ fftLength: 8, window: [1, 2] }), 'MelSpectrogram: a window must be sequenceLength (8) finite numbers, got 2 values'],
    ['a band above the Nyquist frequency', () => new pc.MelSpectrogram({ samplingRate: 8000, maxFreq: 5000 }), 'MelSpectrogram: expected minFreq < maxFreq <= samplingRate / 2 = 4000, got minFreq 20 and maxFreq 5000'],
    ['a fractional stride', () => new pc.MelSpectrogram({ sequenceStride: 2.5 }), 'MelSpectrogram: sequenceStride must be a positive integer, got 2.5'],
    ['an unknown option', () => new pc.MelSpectrogram({ center: true } as never), "MelSpectrogram: unknown option 'center'"],
    ['an unknown mode', () => new pc.STFTSpectrogram({ mode: 'power' as never }), 'STFTSpectrogram: mode must be one of log, magnitude, psd, real, imag, angle, stft, got "power"'],
    ['a step longer than the frame', () => new pc.STFTSpectrogram({ frameLength: 8, frameStep: 9 }), 'STFTSpectrogram: frameStep must be an integer in [1, frameLength = 8], got 9'],
    ['an FFT shorter than the frame', () => new pc.STFTSpectrogram({ frameLength: 8, fftLength: 4 }), 'STFTSpectrogram: fftLength must be an integer of at least frameLength (8) and 2, got 4'],
    ['an unknown scaling', () => new pc.STFTSpectrogram({ scaling: 'power' as never }), 'STFTSpectrogram: scaling must be \'density\', \'spectrum\' or null, got "power"'],
    ['an unknown padding', () => new pc.STFTSpectrogram({ padding: 'causal' as never }), 'STFTSpectrogram: padding must be \'valid\' or \'same\', got "causal"'],
    ['channels first', () => new pc.STFTSpectrogram({ dataFormat: 'channels_first' } as never), "STFTSpectrogram: unknown option 'dataFormat'"],
  ])('refuses %s, naming it', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses inputs of the wrong rank, naming the layer', () => {
    const x = pc.ones([2, 3, 40]);
    expect(() => new pc.MelSpectrogram({ fftLength: 8, name: 'mel' }).apply(x)).toThrow("MelSpectrogram 'mel': expected audio of shape [samples] or [batch, samples], got [2,3,40]");
    expect(() => new pc.STFTSpectrogram({ frameLength: 8, name: 's' }).apply(pc.ones([2, 40]))).toThrow("STFTSpectrogram 's': expected signals of shape [batch, samples, channels], got [2,40]");
    x.dispose();
  });
});
