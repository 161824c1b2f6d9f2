import { maximum, mul, pow, sub, add } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { lastAxisProduct } from '../ops/fourier.js';
import { linearToMelWeightMatrix } from '../ops/mel-weights.js';
import { max } from '../ops/reduce.js';
import { stft } from '../ops/stft.js';
import { transpose } from '../ops/transpose.js';
import { log, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { FINITE, NON_NEGATIVE, POSITIVE, POSITIVE_INTEGER, booleanArgument, numberArgument } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface MelSpectrogramConfig extends LayerConfig {
  /** Samples each frame's FFT takes. Default 2048. */
  fftLength?: number;
  /** Samples between the starts of successive frames. Default 512. */
  sequenceStride?: number;
  /** Length of the window, centred in each frame; null: fftLength. At most fftLength. */
  sequenceLength?: number | null;
  /** 'hann' or 'hamming' (periodic), sequenceLength values, or null for none. Default 'hann'. */
  window?: 'hann' | 'hamming' | readonly number[] | null;
  /** Samples per second of the signal. Default 16000. */
  samplingRate?: number;
  /** Mel bands of the output. Default 128. */
  numMelBins?: number;
  /** Lower edge of the lowest band in Hz. Default 20. */
  minFreq?: number;
  /** Upper edge of the highest band in Hz; null: samplingRate / 2 (rounded down). */
  maxFreq?: number | null;
  /** Whether to give decibels, 10·log₁₀(S / refPower), floored at top − topDb. Default true. */
  powerToDb?: boolean;
  /** The decibel range kept below the largest value; null keeps every value (Keras's None). Default 80. */
  topDb?: number | null;
  /** Exponent of the magnitude: 1 magnitude, 2 power. Default 2. */
  magExp?: number;
  /** Floor on the power and on refPower before the logarithm. Default 1e-10. */
  minPower?: number;
  /** The power that is 0 dB. Default 1. */
  refPower?: number;
}

const LOG10 = Math.log(10);

/**
 * Keras 3's MelSpectrogram: audio [samples] or [batch, samples] to [..., numMelBins, frames].
 * keras.ops.stft (centred) of frames of fftLength every sequenceStride, |X|^magExp, a mel filter
 * bank (linearToMelWeightMatrix over minFreq–maxFreq), optionally in decibels. As in Keras, the
 * decibel floor is taken from the largest value of the whole input, the batch included.
 */
export class MelSpectrogram extends Layer {
  static override readonly className = 'MelSpectrogram';
  static override readonly options: OptionList = {
    fftLength: true, sequenceStride: true, sequenceLength: true, window: true, samplingRate: true, numMelBins: true, minFreq: true, maxFreq: true,
    powerToDb: true, topDb: true, magExp: true, minPower: true, refPower: true,
  } satisfies OwnOptions<MelSpectrogramConfig, LayerConfig>;
  readonly fftLength: number;
  readonly sequenceStride: number;
  readonly sequenceLength: number;
  readonly window: 'hann' | 'hamming' | readonly number[] | null;
  readonly samplingRate: number;
  readonly numMelBins: number;
  readonly minFreq: number;
  readonly maxFreq: number;
  readonly powerToDb: boolean;
  readonly topDb: number | null;
  readonly magExp: number;
  readonly minPower: number;
  readonly refPower: number;

  constructor(config: MelSpectrogramConfig = {}) {
    super(config);
    const owner = 'MelSpectrogram';
    this.fftLength = numberArgument(owner, 'fftLength', config.fftLength ?? 2048, POSITIVE_INTEGER);
    this.sequenceStride = numberArgument(owner, 'sequenceStride', config.sequenceStride ?? 512, POSITIVE_INTEGER);
    this.sequenceLength = numberArgument(owner, 'sequenceLength', config.sequenceLength ?? this.fftLength, POSITIVE_INTEGER);
    if (this.sequenceLength > this.fftLength) {
      throw new Error(`${owner}: sequenceLength must be at most fftLength, got sequenceLength ${this.sequenceLength} and fftLength ${this.fftLength}`);
    }
    const window = config.window === undefined ? 'hann' : config.window;
    if (Array.isArray(window)) {
      if (window.length !== this.sequenceLength || !window.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new Error(`${owner}: a window must be sequenceLength (${this.sequenceLength}) finite numbers, got ${window.length} values`);
      }
      this.window = [...(window as number[])];
    } else if (window === 'hann' || window === 'hamming' || window === null) {
      this.window = window;
    } else {
      throw new Error(`${owner}: window must be 'hann', 'hamming', null or a list of sequenceLength values, got ${JSON.stringify(window)}`);
    }
    this.samplingRate = numberArgument(owner, 'samplingRate', config.samplingRate ?? 16000, POSITIVE);
    this.numMelBins = numberArgument(owner, 'numMelBins', config.numMelBins ?? 128, POSITIVE_INTEGER);
    this.minFreq = numberArgument(owner, 'minFreq', config.minFreq ?? 20, NON_NEGATIVE);
    this.maxFreq = numberArgument(owner, 'maxFreq', config.maxFreq ?? Math.floor(this.samplingRate / 2), POSITIVE);
    if (!(this.minFreq < this.maxFreq) || this.maxFreq > this.samplingRate / 2) {
      throw new Error(`${owner}: expected minFreq < maxFreq <= samplingRate / 2 = ${this.samplingRate / 2}, got minFreq ${this.minFreq} and maxFreq ${this.maxFreq}`);
    }
    this.powerToDb = booleanArgument(owner, 'powerToDb', config.powerToDb, true);
    this.topDb = config.topDb === null ? null : numberArgument(owner, 'topDb', config.topDb ?? 80, NON_NEGATIVE);
    this.magExp = numberArgument(owner, 'magExp', config.magExp ?? 2, POSITIVE);
    this.minPower = numberArgument(owner, 'minPower', config.minPower ?? 1e-10, POSITIVE);
    this.refPower = numberArgument(owner, 'refPower', config.refPower ?? 1, FINITE);
  }

  override build(inputShape: Shape): void {
    this.#checkRank(inputShape);
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== 1 && shape.length !== 2) throw new Error(`${this.label}: expected audio of shape [samples] or [batch, samples], got ${formatShape(shape as Shape)}`);
  }

  /** Frames of a centred stft of `samples`: the signal grows by fftLength/2 on each side. */
  #frames(samples: number): number {
    return 1 + Math.floor((samples + 2 * Math.floor(this.fftLength / 2) - this.fftLength) / this.sequenceStride);
  }

  override call(inputs: Tensor): Tensor {
    this.#checkRank(inputs.shape);
    const signal = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    const [real, imag] = stft(signal, this.sequenceLength, this.sequenceStride, this.fftLength, this.window, true);
    // |X|^magExp as (re² + im²)^(magExp/2): the power itself for the default 2, with no square root.
    const power = add(square(real), square(imag));
    const magnitude = this.magExp === 2 ? power : pow(power, this.magExp / 2);
    const bins = Math.floor(this.fftLength / 2) + 1;
    let mel = lastAxisProduct(magnitude, linearToMelWeightMatrix(this.numMelBins, bins, this.samplingRate, this.minFreq, this.maxFreq));
    if (this.powerToDb) {
      const decibels = (x: Tensor): Tensor => mul(log(x), 10 / LOG10);
      const reference = (10 * Math.log(Math.max(Math.abs(this.refPower), this.minPower))) / LOG10;
      const db = sub(decibels(maximum(mel, this.minPower)), reference);
      mel = this.topDb === null ? db : maximum(db, sub(max(db), this.topDb));
    }
    return transpose(mel, mel.rank === 3 ? [0, 2, 1] : [1, 0]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    const samples = inputShape[inputShape.length - 1];
    const frames = samples === null || samples === undefined ? null : this.#frames(samples);
    return [...inputShape.slice(0, -1), this.numMelBins, frames];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(), fftLength: this.fftLength, sequenceStride: this.sequenceStride, sequenceLength: this.sequenceLength,
      window: Array.isArray(this.window) ? [...this.window] : this.window, samplingRate: this.samplingRate, numMelBins: this.numMelBins,
      minFreq: this.minFreq, maxFreq: this.maxFreq, powerToDb: this.powerToDb, topDb: this.topDb, magExp: this.magExp, minPower: this.minPower, refPower: this.refPower,
    };
  }
}
registerClass(MelSpectrogram as LayerClass);
