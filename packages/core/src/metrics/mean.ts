import { dispose, keep, tidy } from '../engine/memory.js';
import { broadcastTo } from '../ops/broadcast-to.js';
import type { TensorLike } from '../ops/convert.js';
import { stopGradient } from '../ops/stop-gradient.js';
import { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, asTensor } from '../losses/targets.js';
import type { DataArray } from '../types.js';
import { Metric } from './metric.js';
import { readTogether } from './read-together.js';

/**
 * The state behind every averaging metric: total Σ w·v and count Σ w in float64. Weights
 * broadcast to the values with trailing axes added, as Keras does (a weight per sample scales
 * every value of that sample).
 */
export abstract class WeightedMean extends Metric {
  private total = 0;
  private count = 0;
  /** Batches left on the device while reads are deferred, oldest first: their values and weights (a number: the same for every value). */
  #pending: [values: Tensor, weights: Tensor | number][] = [];

  /**
   * Adds the values `compute` returns (computed and freed inside tidy) to the running sums, or,
   * while reads are deferred, keeps them on the device until the next result() or settle().
   */
  protected accumulate(compute: () => Tensor, sampleWeight?: TensorLike): void {
    if (!this.deferReads) {
      // Batches left on the device come first, so the sums add up in the order the batches came.
      this.settle();
      tidy(() => {
        const [values, weights] = this.#batch(compute, sampleWeight);
        this.#add(values.dataSync(), weights instanceof Tensor ? weights.dataSync() : weights);
      });
      return;
    }
    // stopGradient's copies are this metric's own, never a tensor the caller holds.
    const [values, weights] = tidy(() => {
      const [x, w] = this.#batch(compute, sampleWeight);
      return [stopGradient(x), w instanceof Tensor ? stopGradient(w) : w] as const;
    });
    this.#pending.push([keep(values), weights instanceof Tensor ? keep(weights) : weights]);
  }

  /** The batch's values and their weights; a number weight stays on the host, rounded to float32 as a tensor would hold it. */
  #batch(compute: () => Tensor, sampleWeight: TensorLike | undefined): [Tensor, Tensor | number] {
    const x = compute();
    if (sampleWeight === undefined) return [x, 1];
    if (typeof sampleWeight === 'number') return [x, Math.fround(sampleWeight)];
    return [x, broadcastTo(alignSampleWeight(this.name, x, asTensor(sampleWeight)), x.shape)];
  }

  #add(values: DataArray, weights: DataArray | number): void {
    for (let i = 0; i < values.length; i++) {
      const weight = typeof weights === 'number' ? weights : weights[i]!;
      this.total += weight * values[i]!;
      this.count += weight;
    }
  }

  override settle(): void {
    const pending = this.#pending.splice(0);
    if (pending.length === 0) return;
    try {
      const read = readTogether(pending.flatMap(([values, weights]) => (weights instanceof Tensor ? [values, weights] : [values])));
      for (const [values, weights] of pending) this.#add(read.get(values)!, weights instanceof Tensor ? read.get(weights)! : weights);
    } finally {
      dispose(pending);
    }
  }

  result(): number {
    this.settle();
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetStates(): void {
    dispose(this.#pending.splice(0));
    this.total = 0;
    this.count = 0;
  }
}

/**
 * Weighted running mean of every value it is given. Its update takes the values, not a
 * (yTrue, yPred) pair: `update(values, sampleWeight?)`, `call(values)`. Models use it to track
 * the mean loss over an epoch.
 */
export class Mean extends WeightedMean {
  static readonly className: string = 'Mean';
  constructor(config: { name?: string } = {}) {
    super('mean', config.name);
  }

  override update(values: TensorLike, sampleWeight?: TensorLike): void {
    this.accumulate(() => asTensor(values), sampleWeight);
  }

  override call(values: TensorLike, sampleWeight?: TensorLike): number {
    this.update(values, sampleWeight);
    return this.result();
  }
}

/** Per-sample values of a (yTrue, yPred) batch: what a MeanMetricWrapper averages. */
export type MetricFn = (yTrue: TensorLike, yPred: TensorLike) => Tensor;

/** Averages `fn(yTrue, yPred)` over every sample seen, as keras.metrics.MeanMetricWrapper. */
export class MeanMetricWrapper extends WeightedMean {
  static readonly className: string = 'MeanMetricWrapper';
  constructor(defaultName: string, private readonly fn: MetricFn, name?: string) {
    super(defaultName, name);
  }

  update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    this.accumulate(() => this.fn(yTrue, yPred), sampleWeight);
  }
}
