import { NON_NEGATIVE_INTEGER, numberArgument, POSITIVE_INTEGER, type Requirement } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { divideNoNan, type Condition } from './confusion-counts.js';
import { ConfusionMatrixMetric, type ClassFilter } from './confusion-matrix-metric.js';
import type { MetricConfig } from './metric.js';

export interface ThresholdConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default the metric's Keras name: 'precision', 'recall', 'true_positives', 'false_positives', 'true_negatives' or 'false_negatives'. */
  name?: string;
  /**
   * A prediction above it counts as positive; in [0, 1], default 0.5. Keras's name; one number
   * here, since a metric's result is one number (Keras also takes a list, giving a list).
   */
  thresholds?: number;
}

export interface PrecisionRecallConfig extends ThresholdConfig, ClassFilter {}

const THRESHOLD_OPTIONS: Record<keyof ThresholdConfig, true> = { name: true, thresholds: true };
const PRECISION_RECALL_OPTIONS: Record<keyof PrecisionRecallConfig, true> = { ...THRESHOLD_OPTIONS, topK: true, classId: true };
const THRESHOLD: Requirement = ['a number in [0, 1]', (x) => x >= 0 && x <= 1];

/**
 * A confusion metric at one threshold. With `topK` and no threshold, every top-k prediction is
 * positive (Keras's default threshold of NEG_INF there).
 */
abstract class SingleThresholdMetric extends ConfusionMatrixMetric {
  private readonly settings: PrecisionRecallConfig;

  constructor(owner: string, defaultName: string, given: PrecisionRecallConfig, known: Readonly<Record<string, true>>) {
    const settings = checkOptions(owner, given, known);
    if (settings.thresholds !== undefined) numberArgument(owner, 'thresholds', settings.thresholds, THRESHOLD);
    if (settings.topK !== undefined) numberArgument(owner, 'topK', settings.topK, POSITIVE_INTEGER);
    if (settings.classId !== undefined) numberArgument(owner, 'classId', settings.classId, NON_NEGATIVE_INTEGER);
    const threshold = settings.thresholds ?? (settings.topK === undefined ? 0.5 : -Infinity);
    super(defaultName, settings.name, [threshold], { topK: settings.topK, classId: settings.classId });
    this.settings = settings;
  }

  /** The running count of `condition`. */
  protected count(condition: Condition): number {
    return this.counts[condition][0]!;
  }

  /** The settings given (a threshold left to its default is left out, as Keras's `thresholds: None`). */
  override getConfig(): MetricConfig {
    const { thresholds, topK, classId } = this.settings;
    const config = super.getConfig();
    for (const [key, value] of Object.entries({ thresholds, topK, classId })) if (value !== undefined) config[key] = value;
    return config;
  }
}

/** tp / (tp + fp): of the predictions above the threshold (or in the top k), the share that are labelled positive. */
export class Precision extends SingleThresholdMetric {
  static readonly className: string = 'Precision';
  constructor(config: PrecisionRecallConfig = {}) {
    super('Precision', 'precision', config, PRECISION_RECALL_OPTIONS);
  }

  result(): number {
    const truePositives = this.count('truePositives');
    return divideNoNan(truePositives, truePositives + this.count('falsePositives'));
  }
}

/** tp / (tp + fn): of the positive labels, the share predicted above the threshold (or in the top k). */
export class Recall extends SingleThresholdMetric {
  static readonly className: string = 'Recall';
  constructor(config: PrecisionRecallConfig = {}) {
    super('Recall', 'recall', config, PRECISION_RECALL_OPTIONS);
  }

  result(): number {
    const truePositives = this.count('truePositives');
    return divideNoNan(truePositives, truePositives + this.count('falseNegatives'));
  }
}

/** The weighted number of one confusion-matrix cell: what the four count metrics differ by. */
abstract class ConditionCount extends SingleThresholdMetric {
  constructor(owner: string, defaultName: string, private readonly condition: Condition, config: ThresholdConfig) {
    super(owner, defaultName, config, THRESHOLD_OPTIONS);
  }

  result(): number {
    return this.count(this.condition);
  }
}

/** The weighted count of positive labels predicted above the threshold. */
export class TruePositives extends ConditionCount {
  static readonly className: string = 'TruePositives';
  constructor(config: ThresholdConfig = {}) {
    super('TruePositives', 'true_positives', 'truePositives', config);
  }
}

/** The weighted count of negative labels predicted above the threshold. */
export class FalsePositives extends ConditionCount {
  static readonly className: string = 'FalsePositives';
  constructor(config: ThresholdConfig = {}) {
    super('FalsePositives', 'false_positives', 'falsePositives', config);
  }
}

/** The weighted count of negative labels predicted at or below the threshold. */
export class TrueNegatives extends ConditionCount {
  static readonly className: string = 'TrueNegatives';
  constructor(config: ThresholdConfig = {}) {
    super('TrueNegatives', 'true_negatives', 'trueNegatives', config);
  }
}

/** The weighted count of positive labels predicted at or below the threshold. */
export class FalseNegatives extends ConditionCount {
  static readonly className: string = 'FalseNegatives';
  constructor(config: ThresholdConfig = {}) {
    super('FalseNegatives', 'false_negatives', 'falseNegatives', config);
  }
}
