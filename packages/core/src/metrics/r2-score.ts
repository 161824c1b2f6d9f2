import { broadcastTo } from '../ops/broadcast-to.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, alignTargets, asTensor } from '../losses/targets.js';
import { NON_NEGATIVE_INTEGER, numberArgument } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { BatchReadingMetric } from './batch-reading-metric.js';
import { choiceArgument } from './choice-argument.js';
import type { ReadValues } from './deferred-batches.js';
import type { MetricConfig } from './metric.js';

export type ClassAggregation = 'uniform_average' | 'variance_weighted_average';

export interface R2ScoreConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'r2_score'. */
  name?: string;
  /**
   * How the scores of the outputs (yPred's last axis) become one: 'uniform_average' (default),
   * their mean, or 'variance_weighted_average', weighted by each output's variance. Keras's None
   * returns the scores unaggregated; a result here is one number, so null means not given, as
   * everywhere here, and the unaggregated scores are `resultPerClass()`.
   */
  classAggregation?: ClassAggregation | null;
  /** Independent regressors of the model, for the adjusted R²; 0 (default) gives the plain R². */
  numRegressors?: number;
}

const R2_OPTIONS: Record<keyof R2ScoreConfig, true> = { name: true, classAggregation: true, numRegressors: true };

type R2Batch = { labels: Tensor; predictions: Tensor; weights: Tensor | null };

/** Weighted sums per output, over every batch so far. */
interface Sums {
  /** Σ w·y */
  labels: Float64Array;
  /** Σ w·y² */
  squares: Float64Array;
  /** Σ w·(y − p)² */
  residuals: Float64Array;
  /** Σ w */
  weights: Float64Array;
}

const emptySums = (outputs: number): Sums => ({
  labels: new Float64Array(outputs), squares: new Float64Array(outputs), residuals: new Float64Array(outputs), weights: new Float64Array(outputs),
});

/**
 * The coefficient of determination, 1 − Σw(y − p)² / Σw(y − ȳ)², per output of [batch, outputs]
 * targets, from weighted sums accumulated over batches, as keras.metrics.R2Score: an output
 * whose score is infinite (constant targets, imperfect predictions) scores 0. With
 * `numRegressors` p > 0 the adjusted score 1 − (1 − R²)(n − 1)/(n − p − 1), where n counts every
 * target value seen (batch × outputs, as Keras counts it); when p ≥ n − 1 it falls back, with a
 * warning, to the plain score.
 */
export class R2Score extends BatchReadingMetric<R2Batch> {
  static readonly className: string = 'R2Score';
  readonly classAggregation: ClassAggregation;
  readonly numRegressors: number;
  #sums: Sums | null = null;
  /** Target values seen: Keras's num_samples. */
  #values = 0;
  #warned = false;

  constructor(config: R2ScoreConfig = {}) {
    const settings = checkOptions('R2Score', config, R2_OPTIONS);
    super('r2_score', settings.name);
    this.classAggregation = choiceArgument('R2Score', 'classAggregation', settings.classAggregation ?? 'uniform_average', ['uniform_average', 'variance_weighted_average'] as const);
    this.numRegressors = numberArgument('R2Score', 'numRegressors', settings.numRegressors ?? 0, NON_NEGATIVE_INTEGER);
  }

  protected prepare(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined): R2Batch {
    const [labels, predictions] = alignTargets(this.name, yTrue, yPred);
    if (predictions.rank !== 2) throw new Error(`${this.name}: expected yTrue and yPred of shape [batch, outputs], got ${formatShape(predictions.shape)}`);
    const outputs = predictions.shape[1]!;
    if (this.#sums && this.#sums.labels.length !== outputs) {
      throw new Error(`${this.name}: expected yPred with ${this.#sums.labels.length} outputs, as in the batches before, got ${formatShape(predictions.shape)}`);
    }
    const weights = sampleWeight === undefined ? null : broadcastTo(alignSampleWeight(this.name, predictions, asTensor(sampleWeight)), predictions.shape);
    this.#sums ??= emptySums(outputs);
    return { labels, predictions, weights };
  }

  protected add({ labels, predictions, weights }: R2Batch, read: ReadValues): void {
    const [y, p, w] = [read.get(labels)!, read.get(predictions)!, weights && read.get(weights)!];
    const sums = this.#sums!;
    const outputs = sums.labels.length;
    for (let i = 0; i < y.length; i++) {
      const [output, weight, error] = [i % outputs, w ? w[i]! : 1, y[i]! - p[i]!];
      sums.labels[output]! += weight * y[i]!;
      sums.squares[output]! += weight * y[i]! * y[i]!;
      sums.residuals[output]! += weight * error * error;
      sums.weights[output]! += weight;
    }
    this.#values += y.length;
  }

  protected clear(): void {
    this.#sums = null;
    this.#values = 0;
  }

  /** Each output's score (adjusted when numRegressors > 0): what Keras's result() returns with classAggregation None. */
  resultPerClass(): number[] {
    this.settle();
    if (!this.#sums) return [];
    return this.#rawScores(this.#sums).map(({ score }) => this.#adjusted(score));
  }

  result(): number {
    this.settle();
    if (!this.#sums) return 0;
    const scores = this.#rawScores(this.#sums);
    const aggregated = this.classAggregation === 'uniform_average'
      ? scores.reduce((s, { score }) => s + score, 0) / scores.length
      : scores.reduce((s, { score, variance }) => s + score * variance, 0) / scores.reduce((s, { variance }) => s + variance, 0);
    return this.#adjusted(aggregated);
  }

  /** Per output, R² and the weighted sum of squares about the mean it divides by (Keras's `total`). */
  #rawScores({ labels, squares, residuals, weights }: Sums): { score: number; variance: number }[] {
    return Array.from(labels, (sum, i) => {
      const variance = squares[i]! - (sum * sum) / weights[i]!;
      const score = 1 - residuals[i]! / variance;
      return { score: Math.abs(score) === Infinity ? 0 : score, variance };
    });
  }

  #adjusted(score: number): number {
    const [n, p] = [this.#values, this.numRegressors];
    if (p === 0) return score;
    if (p >= n - 1) {
      if (!this.#warned) console.warn(`${this.name}: numRegressors ${p} needs more than ${p + 1} target values for the adjusted R², got ${n}; reporting the plain R²`);
      this.#warned = true;
      return score;
    }
    return 1 - ((1 - score) * (n - 1)) / (n - p - 1);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}
