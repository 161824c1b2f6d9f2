import type { TensorLike } from '../ops/convert.js';
import { classNameOf } from '../util/class-name.js';

/** Serializable settings of a metric. */
export type MetricConfig = Record<string, number | string | boolean | readonly number[]>;

/**
 * A stateful metric, as keras.metrics.Metric: `update` accumulates a batch, `result()` reads the
 * running value, `resetStates()` starts over (at the end of an epoch). Where Python writes
 * `train_metric(y_batch, probs)`, write `trainMetric.call(yBatch, probs)`.
 *
 * The state is kept in JS numbers (float64 sums), so `result()` returns a plain number and a
 * metric holds no tensors: each `update` computes its batch values inside `tidy`, reads them
 * once with `dataSync` and frees them, leaving `memory().numTensors` unchanged. The exception is
 * `deferReads`, which fit and evaluate set for the steps of one execution.
 */
export abstract class Metric {
  /** The Keras name, e.g. 'sparse_categorical_accuracy', or the name given to the constructor. */
  readonly name: string;

  constructor(defaultName: string, name?: string) {
    this.name = name ?? defaultName;
  }

  /** The class name a saved model records (see classNameOf). */
  get className(): string {
    return classNameOf(this.constructor);
  }

  /**
   * While true, `update` may leave each batch's values on the device, to be read by the next
   * `result()` or `settle()`: fit and evaluate set it for the steps of one execution (compile's
   * stepsPerExecution), so that a GPU backend runs them without waiting to hand values back.
   * A metric that reads its batches at once ignores it.
   */
  deferReads = false;

  /** Reads into the state the batches `update` left on the device (nothing, for a metric that reads at once). */
  settle(): void {}

  abstract update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void;
  /** The current value as a JS number (NaN-free: 0 before any update, as Keras). */
  abstract result(): number;
  abstract resetStates(): void;

  /** Updates with one batch and returns the running result. */
  call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): number {
    this.update(yTrue, yPred, sampleWeight);
    return this.result();
  }

  getConfig(): MetricConfig {
    return { name: this.name };
  }
}
