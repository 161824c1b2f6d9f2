import type { TensorLike } from '../ops/convert.js';
import { DeferredBatches, type Batch, type ReadValues } from './deferred-batches.js';
import { Metric } from './metric.js';

/**
 * A metric whose state is float64 sums on the host, fed one batch at a time: `prepare` checks and
 * shapes the batch on the device, `add` puts its values, read once, into the state. At once, or,
 * while reads are deferred, when `settle` (or a `result()` that calls it) comes; shapes are
 * checked when the batch comes either way. `add` checks everything before it changes the state,
 * so a bad batch leaves the state as it was.
 */
export abstract class BatchReadingMetric<B extends Batch> extends Metric {
  readonly #batches = new DeferredBatches<B>((batch, read) => this.add(batch, read));

  /** The batch's tensors, computed inside tidy; bad shapes are errors naming the metric. */
  protected abstract prepare(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined): B;
  /** Adds a prepared batch, its values read, to the state. */
  protected abstract add(batch: B, read: ReadValues): void;
  /** Empties the state. */
  protected abstract clear(): void;

  update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    this.#batches.take(this.deferReads, () => this.prepare(yTrue, yPred, sampleWeight));
  }

  override settle(): void {
    this.#batches.settle();
  }

  resetStates(): void {
    this.#batches.discard();
    this.clear();
  }
}
