import { clipByValue } from '../ops/clip.js';
import type { Tensor } from '../tensor/tensor.js';
import { NON_NEGATIVE_INTEGER, numberArgument, POSITIVE_INTEGER, UNIT_INTERVAL } from '../util/arguments.js';
import { classNameOf } from '../util/class-name.js';
import { checkOptions } from '../util/options.js';
import { divideNoNan, evenlySpacedThresholds, type ConfusionCounts } from './confusion-counts.js';
import { ConfusionMatrixMetric } from './confusion-matrix-metric.js';
import type { MetricConfig } from './metric.js';

/** The rates the counts give at threshold i; sensitivity and recall are two names for one rate. */
type Rate = 'sensitivity' | 'specificity' | 'precision' | 'recall';

const truePositiveRate = ({ truePositives: tp, falseNegatives: fn }: ConfusionCounts, i: number) => divideNoNan(tp[i]!, tp[i]! + fn[i]!);

const RATES: Record<Rate, (counts: ConfusionCounts, i: number) => number> = {
  sensitivity: truePositiveRate,
  recall: truePositiveRate,
  specificity: ({ trueNegatives: tn, falsePositives: fp }, i) => divideNoNan(tn[i]!, tn[i]! + fp[i]!),
  precision: ({ truePositives: tp, falsePositives: fp }, i) => divideNoNan(tp[i]!, tp[i]! + fp[i]!),
};

interface RateAtRateConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default the metric's Keras name: 'sensitivity_at_specificity', 'specificity_at_sensitivity', 'precision_at_recall' or 'recall_at_precision'. */
  name?: string;
  /** How many thresholds are tried: 1 means 0.5 alone, more are evenly spaced from 0 to 1 (ends included). A positive integer, default 200. */
  numThresholds?: number;
  /** Only this class's column of [batch, classes] labels and predictions is counted. */
  classId?: number;
}

export interface SensitivityAtSpecificityConfig extends RateAtRateConfig {
  /** The specificity the threshold must reach, in [0, 1]. */
  specificity: number;
}
export interface SpecificityAtSensitivityConfig extends RateAtRateConfig {
  /** The sensitivity the threshold must reach, in [0, 1]. */
  sensitivity: number;
}
export interface PrecisionAtRecallConfig extends RateAtRateConfig {
  /** The recall the threshold must reach, in [0, 1]. */
  recall: number;
}
export interface RecallAtPrecisionConfig extends RateAtRateConfig {
  /** The precision the threshold must reach, in [0, 1]. */
  precision: number;
}

/**
 * The best `target` rate over the thresholds whose `constraint` rate reaches the given value, as
 * Keras's SensitivitySpecificityBase: confusion counts at `numThresholds` thresholds (a prediction
 * is positive above a threshold), then, of the thresholds meeting the constraint, the largest
 * target rate; 0 when none does. Predictions are clipped to [0, 1] first, as Keras does, so a
 * prediction of 1 or more is negative at the last threshold, 1.
 */
abstract class RateAtRate extends ConfusionMatrixMetric {
  readonly numThresholds: number;
  readonly classId: number | undefined;
  /** The value the constraint rate must reach. */
  readonly #value: number;

  constructor(defaultName: string, private readonly constraint: Rate, private readonly target: Rate, config: RateAtRateConfig) {
    const owner = classNameOf(new.target);
    const known = { name: true, numThresholds: true, classId: true, [constraint]: true } as const;
    const settings = checkOptions(owner, config as RateAtRateConfig & Record<string, unknown>, known);
    const value = numberArgument(owner, constraint, settings[constraint], UNIT_INTERVAL);
    const numThresholds = numberArgument(owner, 'numThresholds', settings.numThresholds ?? 200, POSITIVE_INTEGER);
    const classId = settings.classId === undefined ? undefined : numberArgument(owner, 'classId', settings.classId, NON_NEGATIVE_INTEGER);
    const thresholds = numThresholds === 1 ? [0.5] : evenlySpacedThresholds(numThresholds, 0, 1);
    super(defaultName, settings.name, thresholds, { classId });
    this.numThresholds = numThresholds;
    this.classId = classId;
    this.#value = value;
  }

  protected override scores(predictions: Tensor): Tensor {
    return clipByValue(predictions, 0, 1);
  }

  result(): number {
    const counts = this.counts;
    let best = 0;
    for (let i = 0; i < counts.thresholds.length; i++) {
      if (RATES[this.constraint](counts, i) >= this.#value) best = Math.max(best, RATES[this.target](counts, i));
    }
    return best;
  }

  override getConfig(): MetricConfig {
    const config: MetricConfig = { ...super.getConfig(), [this.constraint]: this.#value, numThresholds: this.numThresholds };
    if (this.classId !== undefined) config.classId = this.classId;
    return config;
  }
}

/** The best sensitivity (recall, tp / (tp + fn)) at a threshold whose specificity (tn / (tn + fp)) is at least `specificity`. */
export class SensitivityAtSpecificity extends RateAtRate {
  static readonly className: string = 'SensitivityAtSpecificity';
  constructor(config: SensitivityAtSpecificityConfig) {
    super('sensitivity_at_specificity', 'specificity', 'sensitivity', config);
  }
}

/** The best specificity (tn / (tn + fp)) at a threshold whose sensitivity (tp / (tp + fn)) is at least `sensitivity`. */
export class SpecificityAtSensitivity extends RateAtRate {
  static readonly className: string = 'SpecificityAtSensitivity';
  constructor(config: SpecificityAtSensitivityConfig) {
    super('specificity_at_sensitivity', 'sensitivity', 'specificity', config);
  }
}

/** The best precision (tp / (tp + fp)) at a threshold whose recall (tp / (tp + fn)) is at least `recall`. */
export class PrecisionAtRecall extends RateAtRate {
  static readonly className: string = 'PrecisionAtRecall';
  constructor(config: PrecisionAtRecallConfig) {
    super('precision_at_recall', 'recall', 'precision', config);
  }
}

/** The best recall (tp / (tp + fn)) at a threshold whose precision (tp / (tp + fp)) is at least `precision`; 0 when no threshold reaches it. */
export class RecallAtPrecision extends RateAtRate {
  static readonly className: string = 'RecallAtPrecision';
  constructor(config: RecallAtPrecisionConfig) {
    super('recall_at_precision', 'precision', 'recall', config);
  }
}
