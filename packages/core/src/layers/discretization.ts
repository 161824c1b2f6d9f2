import { sub } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { less } from '../ops/compare.js';
import { tensor } from '../ops/convert.js';
import { sum } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue, numberArgument, POSITIVE, POSITIVE_INTEGER } from '../util/arguments.js';
import { adaptBatches, type AdaptData } from './adapt-data.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { ENCODING_MODES, encodedShape, encodeTokens, outputModeArgument, refuseSparse, type EncodingMode } from './token-encoding.js';

/** 'int': the bucket index itself (int32); the others encode it as CategoryEncoding does. */
export type DiscretizationMode = 'int' | EncodingMode;

export interface DiscretizationConfig extends LayerConfig {
  /**
   * The edges between buckets, in increasing order: [0, 1, 2] makes the buckets (−∞, 0), [0, 1),
   * [1, 2) and [2, ∞). Given, `adapt` may not be called.
   */
  binBoundaries?: readonly number[] | null;
  /** How many buckets `adapt(data)` splits the data into, of equal shares; instead of binBoundaries. */
  numBins?: number | null;
  /** Keras's error tolerance for its approximate quantiles. Kept for the config only: adapt here finds exact ones. Default 0.01. */
  epsilon?: number;
  /** Default 'int'. */
  outputMode?: DiscretizationMode;
  /** Keras's sparse output; only false (the default) is taken. */
  sparse?: boolean;
}

const MODES: readonly DiscretizationMode[] = ['int', ...ENCODING_MODES];

/**
 * Keras's Discretization: each value's bucket index, the number of boundaries at or below it
 * (numpy's digitize, a bisect to the right: a value on a boundary goes to the bucket above).
 * Values are compared as float32, as Keras casts its inputs to floatx. The boundaries are given,
 * or learnt from data by `adapt(data)` with `numBins`; like Keras, the layer keeps them in its
 * config (it has no weights), so a saved model keeps them. 'int' output is int32 where Keras
 * gives int64 (Perceptron has no int64); the other modes encode the indices in
 * binBoundaries.length + 1 entries with CategoryEncoding's rules. No gradient flows to the inputs.
 */
export class Discretization extends Layer {
  static override readonly className = 'Discretization';
  static override readonly options: OptionList = { binBoundaries: true, numBins: true, epsilon: true, outputMode: true, sparse: true } satisfies OwnOptions<DiscretizationConfig, LayerConfig>;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: DiscretizationMode;
  #boundaries: number[] | null;

  constructor(config: DiscretizationConfig) {
    super(config);
    const [boundaries, numBins] = [config.binBoundaries ?? null, config.numBins ?? null];
    if ((boundaries === null) === (numBins === null)) {
      throw new Error(`Discretization: give binBoundaries, or numBins and adapt(data) to learn them; got ${boundaries === null ? 'neither' : `binBoundaries ${describeValue(boundaries)} and numBins ${describeValue(numBins)}`}`);
    }
    this.#boundaries = boundaries === null ? null : checkedBoundaries(boundaries);
    this.numBins = numBins === null ? null : numberArgument('Discretization', 'numBins', numBins, POSITIVE_INTEGER);
    this.epsilon = numberArgument('Discretization', 'epsilon', config.epsilon ?? 0.01, POSITIVE);
    this.outputMode = outputModeArgument('Discretization', config.outputMode, MODES, 'int');
    refuseSparse('Discretization', config.sparse);
  }

  /** The boundaries given or learnt; null until a layer made with numBins is adapted. */
  get binBoundaries(): readonly number[] | null {
    return this.#boundaries;
  }

  /** How many buckets there are: one more than the boundaries, which adapt makes numBins − 1 of. */
  get #depth(): number {
    return this.#boundaries === null ? this.numBins! : this.#boundaries.length + 1;
  }

  override call(inputs: Tensor): Tensor {
    if (this.#boundaries === null) throw new Error(`${this.label}: it has no bin boundaries yet; call adapt(data) before using it, or make it with binBoundaries`);
    const x = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    const edges = tensor(Float32Array.from(this.#boundaries), [this.#boundaries.length]);
    // The boundaries x is not below: those ≤ x for a number, and all of them for NaN, which
    // numpy's digitize and TensorFlow's Bucketize both put in the last bucket.
    const indices = sub(this.#boundaries.length, sum(cast(less(expandDims(x, -1), edges), 'int32'), -1));
    return this.outputMode === 'int' ? indices : encodeTokens(this.label, indices, this.outputMode, this.#depth);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.outputMode === 'int' ? inputShape : encodedShape(this.label, this.outputMode, inputShape, this.#depth);
  }

  /**
   * Learns numBins − 1 boundaries that split the values of `data` (a tensor, or batches of one:
   * a Dataset, whose batches adapt frees, or a list; an [x, y] element gives its x) into numBins
   * equal shares, replacing any learnt before. See quantileBoundaries for how. Every value is
   * held in memory, as float32, until the boundaries are found.
   */
  async adapt(data: AdaptData): Promise<void> {
    if (this.numBins === null) throw new Error(`${this.label}: adapt() learns boundaries for numBins, but the layer was given binBoundaries; make it with numBins to learn them`);
    const values = await valuesOf(this.label, data);
    // A boundary must be a finite number to be saved in the config (JSON has no NaN or Infinity).
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${this.label}: adapt() expected finite numbers, got ${values[bad]} (value ${bad} of ${values.length})`);
    this.#boundaries = quantileBoundaries(values.sort(), this.numBins);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), binBoundaries: this.#boundaries, numBins: this.numBins, epsilon: this.epsilon, outputMode: this.outputMode, sparse: false };
  }

  /**
   * An adapted layer's config holds numBins and the learnt binBoundaries, which the constructor
   * takes one at a time: it is made with numBins and given the boundaries after, as Keras does.
   */
  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { binBoundaries, ...rest } = config;
    if (binBoundaries === undefined || binBoundaries === null || rest.numBins === undefined || rest.numBins === null) return super.fromConfig(cls, config);
    const layer = new cls(rest) as Discretization;
    layer.#boundaries = checkedBoundaries(binBoundaries);
    return layer;
  }
}
registerClass(Discretization as LayerClass);

/** `value` as a list of finite numbers in non-decreasing order (digitize needs them sorted); else an error naming it. */
function checkedBoundaries(value: unknown): number[] {
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!Array.isArray(value) || !value.every(finite)) throw new Error(`Discretization: binBoundaries must be a list of finite numbers, got ${describeValue(value)}`);
  const list = value as number[];
  const unsorted = list.findIndex((v, i) => i > 0 && v < list[i - 1]!);
  if (unsorted >= 0) throw new Error(`Discretization: binBoundaries must be in increasing order, got ${describeValue(list)} (${list[unsorted]} after ${list[unsorted - 1]})`);
  return [...list];
}

/**
 * Every value of `data`'s batches as float32, as Keras's adapt reads them (any shape, flattened).
 * A Dataset hands its batches over to the consumer, so they are freed once read; a tensor or a
 * list of them stays the caller's.
 */
async function valuesOf(label: string, data: AdaptData): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  for await (const batch of adaptBatches(label, data)) chunks.push(Float32Array.from(batch.dataSync()));
  const values = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((offset, c) => (values.set(c, offset), offset + c.length), 0);
  return values;
}

/**
 * The numBins − 1 boundaries that split `sorted` (n values) into numBins equal shares: boundary
 * k is the value at rank k·n / numBins (counting from 1), interpolated linearly between the
 * neighbouring ranks, and the smallest value below rank 1 — Hyndman and Fan's type 4 quantile
 * (numpy's 'interpolated_inverted_cdf'), rounded to float32. Keras's adapt interpolates the same
 * empirical distribution: while it holds every value (fewer than 1 / epsilon of them in all) its
 * boundaries are exactly these, and on more it samples the sorted values, so these are what its
 * approximation approaches. Keras gives fewer boundaries when there are fewer values than bins;
 * here there are always numBins − 1, so an encoded output keeps numBins entries.
 */
function quantileBoundaries(sorted: Float32Array, numBins: number): number[] {
  const n = sorted.length;
  return Array.from({ length: numBins - 1 }, (_, i) => {
    const rank = ((i + 1) * n) / numBins;
    if (rank <= 1) return sorted[0]!;
    const below = Math.floor(rank);
    const [lower, upper] = [sorted[below - 1]!, sorted[below]!];
    return Math.fround(lower + (rank - below) * (upper - lower));
  });
}
