import { broadcastTo } from '../ops/broadcast-to.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, alignTargets, asTensor } from '../losses/targets.js';
import { numberArgument, POSITIVE, UNIT_INTERVAL_ABOVE_ZERO } from '../util/arguments.js';
import { classNameOf } from '../util/class-name.js';
import { checkOptions } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { BatchReadingMetric } from './batch-reading-metric.js';
import { choiceArgument } from './choice-argument.js';
import { divideNoNan } from './confusion-counts.js';
import type { ReadValues } from './deferred-batches.js';
import type { MetricConfig } from './metric.js';

export type FScoreAverage = 'micro' | 'macro' | 'weighted';

export interface F1ScoreConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'f1_score' (FBetaScore: 'fbeta_score'). */
  name?: string;
  /**
   * How the per-class scores become one: 'micro' (the score of the counts summed over classes),
   * 'macro' (their mean) or 'weighted' (their mean weighted by each class's support, Σ w·y).
   * Keras's default None leaves them apart; a result here is one number, so with null (the
   * default) `result()` is their plain mean, as Keras's progress bar shows the vector, and the
   * scores themselves are `resultPerClass()`.
   */
  average?: FScoreAverage | null;
  /** A prediction above it, in (0, 1], is positive; null (default): each row's largest (ties all, never a 0). */
  threshold?: number | null;
}

export interface FBetaScoreConfig extends F1ScoreConfig {
  /** How many times recall counts as much as precision; positive, default 1. */
  beta?: number;
}

const F1_OPTIONS: Record<keyof F1ScoreConfig, true> = { name: true, average: true, threshold: true };
const F_BETA_OPTIONS: Record<keyof FBetaScoreConfig, true> = { ...F1_OPTIONS, beta: true };

/** Keras's test for a prediction that is 0, which the row's largest must not be to count. */
const ZERO = 1e-9;

type FScoreBatch = { labels: Tensor; predictions: Tensor; weights: Tensor | null };

/** Weighted counts per class. Labels weigh as they are (Keras's arithmetic), so soft labels count in part. */
interface ClassCounts {
  truePositives: Float64Array;
  falsePositives: Float64Array;
  falseNegatives: Float64Array;
  /** Σ w·y: how much each class is labelled, the 'weighted' average's weights. */
  support: Float64Array;
}

const emptyCounts = (classes: number): ClassCounts => ({
  truePositives: new Float64Array(classes), falsePositives: new Float64Array(classes),
  falseNegatives: new Float64Array(classes), support: new Float64Array(classes),
});

/** (1 + β²)·P·R / (β²·P + R) of the counts, 0 where a divisor is 0 (Keras adds ε = 1e-7 to each instead). */
function fScore(beta: number, truePositives: number, falsePositives: number, falseNegatives: number): number {
  const precision = divideNoNan(truePositives, truePositives + falsePositives);
  const recall = divideNoNan(truePositives, truePositives + falseNegatives);
  return (1 + beta * beta) * divideNoNan(precision * recall, beta * beta * precision + recall);
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/**
 * The F-beta score of [batch, classes] labels (0/1, multi-class or multi-label) against
 * predictions made 0/1 by `threshold`, as keras.metrics.FBetaScore: weighted true positives,
 * false positives and false negatives per class, accumulated over batches, then averaged as
 * `average` says. F1Score and FBetaScore differ only in whether β can be set.
 */
abstract class FScore extends BatchReadingMetric<FScoreBatch> {
  readonly average: FScoreAverage | null;
  readonly beta: number;
  readonly threshold: number | null;
  #counts: ClassCounts | null = null;

  constructor(defaultName: string, config: FBetaScoreConfig, known: Readonly<Record<string, true>>) {
    const owner = classNameOf(new.target);
    const settings = checkOptions(owner, config, known);
    super(defaultName, settings.name);
    this.average = settings.average === undefined ? null : choiceArgument(owner, 'average', settings.average, ['micro', 'macro', 'weighted'] as const);
    this.beta = numberArgument(owner, 'beta', settings.beta ?? 1, POSITIVE);
    this.threshold = settings.threshold === undefined ? null : numberArgument(owner, 'threshold', settings.threshold, UNIT_INTERVAL_ABOVE_ZERO);
  }

  protected prepare(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined): FScoreBatch {
    const [labels, predictions] = alignTargets(this.name, yTrue, yPred);
    if (predictions.rank !== 2) throw new Error(`${this.name}: expected yTrue and yPred of shape [batch, classes], got ${formatShape(predictions.shape)}`);
    const classes = predictions.shape[1]!;
    if (this.#counts && this.#counts.support.length !== classes) {
      throw new Error(`${this.name}: expected yPred with ${this.#counts.support.length} classes, as in the batches before, got ${formatShape(predictions.shape)}`);
    }
    const weights = sampleWeight === undefined ? null : broadcastTo(alignSampleWeight(this.name, predictions, asTensor(sampleWeight)), predictions.shape);
    this.#counts ??= emptyCounts(classes);
    return { labels, predictions, weights };
  }

  protected add({ labels, predictions, weights }: FScoreBatch, read: ReadValues): void {
    const [y, p, w] = [read.get(labels)!, read.get(predictions)!, weights && read.get(weights)!];
    const counts = this.#counts!;
    const classes = counts.support.length;
    for (let row = 0; row < y.length; row += classes) {
      const cut = this.threshold ?? Math.max(...p.subarray(row, row + classes));
      for (let c = 0; c < classes; c++) {
        const i = row + c;
        const positive = this.threshold === null ? p[i]! >= cut && Math.abs(p[i]!) > ZERO : p[i]! > cut;
        const [label, weight] = [y[i]!, w ? w[i]! : 1];
        if (positive) {
          counts.truePositives[c]! += weight * label;
          counts.falsePositives[c]! += weight * (1 - label);
        } else {
          counts.falseNegatives[c]! += weight * label;
        }
        counts.support[c]! += weight * label;
      }
    }
  }

  protected clear(): void {
    this.#counts = null;
  }

  /** Each class's score: what Keras's result() returns with average None. */
  resultPerClass(): number[] {
    this.settle();
    if (!this.#counts) return [];
    const { truePositives, falsePositives, falseNegatives } = this.#counts;
    return Array.from(truePositives, (tp, c) => fScore(this.beta, tp, falsePositives[c]!, falseNegatives[c]!));
  }

  result(): number {
    const scores = this.resultPerClass();
    if (!this.#counts) return 0;
    const { truePositives, falsePositives, falseNegatives, support } = this.#counts;
    switch (this.average) {
      case 'micro':
        return fScore(this.beta, sum(truePositives), sum(falsePositives), sum(falseNegatives));
      case 'weighted':
        return divideNoNan(scores.reduce((s, score, c) => s + score * support[c]!, 0), sum(support));
      case 'macro':
      case null: // reported as the mean, as Keras's progress bar shows the vector
        return sum(scores) / scores.length;
    }
  }

  /** The settings given (average and threshold left out when null, Keras's None). */
  override getConfig(): MetricConfig {
    const config = super.getConfig();
    if (this.average !== null) config.average = this.average;
    if (this.threshold !== null) config.threshold = this.threshold;
    return config;
  }
}

/** The weighted harmonic mean of precision and recall, recall counting β times as much as precision. */
export class FBetaScore extends FScore {
  static readonly className: string = 'FBetaScore';
  constructor(config: FBetaScoreConfig = {}) {
    super('fbeta_score', config, F_BETA_OPTIONS);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), beta: this.beta };
  }
}

/** The harmonic mean of precision and recall: the F-beta score with β = 1. */
export class F1Score extends FScore {
  static readonly className: string = 'F1Score';
  constructor(config: F1ScoreConfig = {}) {
    super('f1_score', config, F1_OPTIONS);
  }
}
