import { tidy } from '../engine/memory.js';
import { broadcastTo } from '../ops/broadcast-to.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, asTensor } from '../losses/targets.js';
import type { DataArray } from '../types.js';
import { Metric } from './metric.js';

/**
 * The state behind every averaging metric: total Σ w·v and count Σ w in float64. Weights
 * broadcast to the values with trailing axes added, as Keras does (a weight per sample scales
 * every value of that sample).
 */
export abstract class WeightedMean extends Metric {
  private total = 0;
  private count = 0;

  /** Adds the values `compute` returns (computed and freed inside tidy) to the running sums. */
  protected accumulate(compute: () => Tensor, sampleWeight?: TensorLike): void {
    let values: DataArray = new Float32Array(0);
    let weights: DataArray | null = null;
    tidy(() => {
      const x = compute();
      values = x.dataSync();
      if (sampleWeight === undefined) return;
      weights = broadcastTo(alignSampleWeight(this.name, x, asTensor(sampleWeight)), x.shape).dataSync();
    });
    const w = weights as DataArray | null;
    for (let i = 0; i < values.length; i++) {
      const weight = w ? w[i]! : 1;
      this.total += weight * values[i]!;
      this.count += weight;
    }
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetStates(): void {
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
