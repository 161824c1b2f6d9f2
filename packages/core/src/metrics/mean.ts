import { broadcastTo } from '../ops/broadcast-to.js';
import type { TensorLike } from '../ops/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, asTensor } from '../losses/targets.js';
import { DeferredBatches } from './deferred-batches.js';
import { Metric } from './metric.js';

/**
 * The state behind every averaging metric: total Σ w·v and count Σ w in float64. Weights
 * broadcast to the values with trailing axes added, as Keras does (a weight per sample scales
 * every value of that sample).
 */
export abstract class WeightedMean extends Metric {
  private total = 0;
  private count = 0;
  /** Each batch's values and weights (a number: the same for every value). */
  readonly #batches = new DeferredBatches<{ values: Tensor; weights: Tensor | number }>(({ values, weights }, read) => {
    const [numbers, scales] = [read.get(values)!, weights instanceof Tensor ? read.get(weights)! : weights];
    for (let i = 0; i < numbers.length; i++) {
      const weight = typeof scales === 'number' ? scales : scales[i]!;
      this.total += weight * numbers[i]!;
      this.count += weight;
    }
  });

  /**
   * Adds the values `compute` returns (computed and freed inside tidy) to the running sums, or,
   * while reads are deferred, keeps them on the device until the next result() or settle().
   */
  protected accumulate(compute: () => Tensor, sampleWeight?: TensorLike): void {
    this.#batches.take(this.deferReads, () => this.#batch(compute, sampleWeight));
  }

  /** The batch's values and their weights; a number weight stays on the host, rounded to float32 as a tensor would hold it. */
  #batch(compute: () => Tensor, sampleWeight: TensorLike | undefined): { values: Tensor; weights: Tensor | number } {
    const values = compute();
    if (sampleWeight === undefined) return { values, weights: 1 };
    if (typeof sampleWeight === 'number') return { values, weights: Math.fround(sampleWeight) };
    return { values, weights: broadcastTo(alignSampleWeight(this.name, values, asTensor(sampleWeight)), values.shape) };
  }

  override settle(): void {
    this.#batches.settle();
  }

  result(): number {
    this.settle();
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetStates(): void {
    this.#batches.discard();
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
