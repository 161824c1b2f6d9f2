import { add, maximum } from '../ops/arithmetic.js';
import { atan2 } from '../ops/trigonometry.js';
import { cast } from '../ops/cast.js';
import { concat } from '../ops/concat.js';
import { conv1d } from '../ops/conv1d.js';
import { tensor } from '../ops/convert.js';
import { pad } from '../ops/pad.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { transpose } from '../ops/transpose.js';
import { log, sqrt, square } from '../ops/unary.js';
import { Initializer } from '../initializers/initializer.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { POSITIVE_INTEGER, booleanArgument, numberArgument } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export type STFTSpectrogramMode = 'log' | 'magnitude' | 'psd' | 'real' | 'imag' | 'angle' | 'stft';
const MODES: readonly STFTSpectrogramMode[] = ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'];

export interface STFTSpectrogramConfig extends LayerConfig {
  /** What the layer gives: 'log' (default) or 'magnitude' of |X|, 'psd' (one-sided power), 'real', 'imag', 'angle', or 'stft' ([real | imag]). */
  mode?: STFTSpectrogramMode;
  /** Samples per frame, the kernels' length. Default 256. */
  frameLength?: number;
  /** Samples between frames; null: frameLength / 2 (rounded down). At most frameLength. */
  frameStep?: number | null;
  /** The FFT size, whose fftLength/2 + 1 bins the layer gives; null: the smallest power of two >= frameLength. */
  fftLength?: number | null;
  /** 'hann' (default) or 'hamming', frameLength values, or null for none. */
  window?: 'hann' | 'hamming' | readonly number[] | null;
  /** Whether a named window is periodic (scipy's fftbins); Keras's default is symmetric. Default false. */
  periodic?: boolean;
  /** The window divided by its L2 norm ('density', default) or its sum ('spectrum'); null: not scaled. */
  scaling?: 'density' | 'spectrum' | null;
  /** 'valid' (whole frames only, default) or 'same' (zero-padded to ⌈samples / frameStep⌉ frames). */
  padding?: 'valid' | 'same';
  /** [batch, frames, bins, channels] rather than [batch, frames, channels·bins]. Default false. */
  expandDims?: boolean;
}

/** Keras's backend.epsilon(): the floor under the power and the magnitude before sqrt and log. */
const EPSILON = 1e-7;

/**
 * The kernels Keras's STFTInitializer makes, [frameLength, 1, bins]: cos (real) and −sin (imag) of
 * 2π·t·k / P with P = 2·(bins − 1), times the window divided by its scaling.
 */
class STFTKernel extends Initializer {
  readonly className = 'STFTInitializer';
  constructor(readonly side: 'real' | 'imag', readonly window: Float64Array | null, readonly scale: number) {
    super();
  }

  apply(shape: Shape): Tensor {
    const [frameLength, , bins] = shape as [number, number, number];
    const period = 2 * (bins - 1);
    const values = new Float32Array(frameLength * bins);
    for (let t = 0; t < frameLength; t++) {
      const w = this.window ? this.window[t]! / this.scale : 1;
      for (let k = 0; k < bins; k++) {
        const angle = (2 * Math.PI * ((t * k) % period)) / period;
        values[t * bins + k] = w * (this.side === 'real' ? Math.cos(angle) : -Math.sin(angle));
      }
    }
    return tensor(values, [frameLength, 1, bins], 'float32');
  }
}

/**
 * Keras 3's STFTSpectrogram: signals [batch, samples, channels] to spectrograms, the STFT of each
 * channel as a strided 1-D convolution with trainable kernels (the DFT rows times the window),
 * so the transform can be fine-tuned. Only channels-last data, as every Perceptron layer.
 */
export class STFTSpectrogram extends Layer {
  static override readonly className = 'STFTSpectrogram';
  static override readonly options: OptionList = {
    mode: true, frameLength: true, frameStep: true, fftLength: true, window: true, periodic: true, scaling: true, padding: true, expandDims: true,
  } satisfies OwnOptions<STFTSpectrogramConfig, LayerConfig>;
  readonly mode: STFTSpectrogramMode;
  readonly frameLength: number;
  readonly frameStep: number | null;
  readonly fftLength: number | null;
  readonly window: 'hann' | 'hamming' | readonly number[] | null;
  readonly periodic: boolean;
  readonly scaling: 'density' | 'spectrum' | null;
  readonly padding: 'valid' | 'same';
  readonly expandDims: boolean;
  realKernel: Variable | null = null;
  imagKernel: Variable | null = null;

  constructor(config: STFTSpectrogramConfig = {}) {
    super(config);
    const owner = 'STFTSpectrogram';
    this.mode = config.mode ?? 'log';
    if (!MODES.includes(this.mode)) throw new Error(`${owner}: mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(config.mode)}`);
    this.frameLength = numberArgument(owner, 'frameLength', config.frameLength ?? 256, POSITIVE_INTEGER);
    this.frameStep = config.frameStep ?? null;
    if (this.frameStep !== null && !(Number.isInteger(this.frameStep) && this.frameStep >= 1 && this.frameStep <= this.frameLength)) {
      throw new Error(`${owner}: frameStep must be an integer in [1, frameLength = ${this.frameLength}], got ${JSON.stringify(config.frameStep)}`);
    }
    this.fftLength = config.fftLength ?? null;
    if (this.fftLength !== null && !(Number.isInteger(this.fftLength) && this.fftLength >= Math.max(2, this.frameLength))) {
      throw new Error(`${owner}: fftLength must be an integer of at least frameLength (${this.frameLength}) and 2, got ${JSON.stringify(config.fftLength)}`);
    }
    const window = config.window === undefined ? 'hann' : config.window;
    if (Array.isArray(window)) {
      if (window.length !== this.frameLength || !window.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new Error(`${owner}: a window must be frameLength (${this.frameLength}) finite numbers, got ${window.length} values`);
      }
      this.window = [...(window as number[])];
    } else if (window === 'hann' || window === 'hamming' || window === null) {
      this.window = window;
    } else {
      throw new Error(`${owner}: window must be 'hann', 'hamming', null or a list of frameLength values, got ${JSON.stringify(window)}`);
    }
    this.periodic = booleanArgument(owner, 'periodic', config.periodic, false);
    this.scaling = config.scaling === undefined ? 'density' : config.scaling;
    if (this.scaling !== null && this.scaling !== 'density' && this.scaling !== 'spectrum') {
      throw new Error(`${owner}: scaling must be 'density', 'spectrum' or null, got ${JSON.stringify(config.scaling)}`);
    }
    this.padding = config.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same') throw new Error(`${owner}: padding must be 'valid' or 'same', got ${JSON.stringify(config.padding)}`);
    this.expandDims = booleanArgument(owner, 'expandDims', config.expandDims, false);
  }

  /** Samples between frames as used: frameStep, or half a frame. */
  get step(): number {
    return this.frameStep ?? Math.max(1, Math.floor(this.frameLength / 2));
  }

  /** The FFT size as used: fftLength, or the smallest power of two >= frameLength (at least 2). */
  get fftSize(): number {
    return this.fftLength ?? Math.max(2, 2 ** Math.ceil(Math.log2(this.frameLength)));
  }

  /** The window's values (scipy's periodic or symmetric Hann / Hamming, or the given list), or null. */
  #windowValues(): Float64Array | null {
    if (this.window === null) return null;
    if (Array.isArray(this.window)) return Float64Array.from(this.window);
    const n = this.frameLength;
    const period = this.periodic ? n : n - 1;
    const a = this.window === 'hann' ? 0.5 : 0.54;
    return Float64Array.from({ length: n }, (_, i) => (n === 1 ? 1 : a - (1 - a) * Math.cos((2 * Math.PI * i) / period)));
  }

  override build(inputShape: Shape): void {
    this.#checkRank(inputShape);
    const w = this.#windowValues();
    let scale = 1;
    if (w && this.scaling === 'density') scale = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
    if (w && this.scaling === 'spectrum') scale = w.reduce((s, v) => s + Math.abs(v), 0);
    const shape = [this.frameLength, 1, Math.floor(this.fftSize / 2) + 1];
    if (this.mode !== 'imag') this.realKernel = this.addWeight('real_kernel', shape, new STFTKernel('real', w, scale));
    if (this.mode !== 'real') this.imagKernel = this.addWeight('imag_kernel', shape, new STFTKernel('imag', w, scale));
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== 3) throw new Error(`${this.label}: expected signals of shape [batch, samples, channels], got ${formatShape(shape as Shape)}`);
  }

  override call(inputs: Tensor): Tensor {
    this.#checkRank(inputs.shape);
    const [batch, samples, channels] = inputs.shape as [number, number, number];
    const floats = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    // Each channel alone as a batch entry of one channel: [batch·channels, samples, 1].
    const signals = reshape(transpose(floats, [0, 2, 1]), [batch * channels, samples, 1]);
    const side = (kernel: Variable | null): Tensor => conv1d(signals, kernel!, this.step, this.padding);
    let y: Tensor;
    if (this.mode === 'real') y = side(this.realKernel);
    else if (this.mode === 'imag') y = side(this.imagKernel);
    else {
      const [real, imag] = [side(this.realKernel), side(this.imagKernel)];
      if (this.mode === 'angle') y = atan2(imag, real);
      else if (this.mode === 'stft') y = concat([real, imag], -1);
      else {
        const power = add(square(real), square(imag));
        if (this.mode === 'psd') {
          // One-sided: every bin but the first and the last stands for its mirror image too.
          const bins = power.shape[2]!;
          y = add(power, pad(slice(power, [0, 0, 1], [-1, -1, bins - 2]), [[0, 0], [0, 0], [1, 1]]));
        } else {
          const magnitude = sqrt(maximum(power, EPSILON));
          y = this.mode === 'magnitude' ? magnitude : log(maximum(magnitude, EPSILON));
        }
      }
    }
    const [frames, bins] = y.shape.slice(1) as [number, number];
    const perChannel = reshape(y, [batch, channels, frames, bins]);
    return this.expandDims ? transpose(perChannel, [0, 2, 3, 1]) : reshape(transpose(perChannel, [0, 2, 1, 3]), [batch, frames, channels * bins]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    const [batch, samples, channels] = inputShape;
    const bins = (Math.floor(this.fftSize / 2) + 1) * (this.mode === 'stft' ? 2 : 1);
    const frames = samples === null || samples === undefined ? null
      : this.padding === 'same' ? Math.ceil(samples / this.step) : samples < this.frameLength ? 0 : 1 + Math.floor((samples - this.frameLength) / this.step);
    if (this.expandDims) return [batch ?? null, frames, bins, channels ?? null];
    return [batch ?? null, frames, channels === null || channels === undefined ? null : channels * bins];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(), mode: this.mode, frameLength: this.frameLength, frameStep: this.frameStep, fftLength: this.fftLength,
      window: Array.isArray(this.window) ? [...this.window] : this.window, periodic: this.periodic, scaling: this.scaling, padding: this.padding, expandDims: this.expandDims,
    };
  }
}
registerClass(STFTSpectrogram as LayerClass);
