import { clipByValue } from '../ops/clip.js';
import { sigmoid } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { EPSILON } from '../losses/targets.js';
import { booleanArgument, numberArgument, type Requirement } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { areaUnderCurve, type Curve, type SummationMethod } from './auc-area.js';
import { choiceArgument } from './choice-argument.js';
import { evenlySpacedThresholds } from './confusion-counts.js';
import { ConfusionMatrixMetric } from './confusion-matrix-metric.js';
import type { MetricConfig } from './metric.js';

export interface AucConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'auc'. */
  name?: string;
  /** How many thresholds discretise the curve, evenly spaced over [0, 1]; an integer > 1, default 200. */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR' (precision against recall); 'roc' and 'pr' are accepted. */
  curve?: Curve;
  /** 'interpolation' (default), 'minoring' or 'majoring'; see areaUnderCurve. */
  summationMethod?: SummationMethod;
  /** yPred are logits: a sigmoid makes them probabilities first. Default false. */
  fromLogits?: boolean;
}

const AUC_OPTIONS: Record<keyof AucConfig, true> = { name: true, numThresholds: true, curve: true, summationMethod: true, fromLogits: true };
const INTEGER_ABOVE_ONE: Requirement = ['an integer > 1', (x) => x > 1 && Number.isInteger(x)];

/**
 * Area under the ROC or precision-recall curve, approximated as keras.metrics.AUC does: weighted
 * confusion counts at `numThresholds` thresholds, accumulated over batches, then integrated
 * (areaUnderCurve). Labels and predictions are flattened (Keras's multi_label=False): each
 * label-prediction pair is one case.
 */
export class AUC extends ConfusionMatrixMetric {
  static readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: Curve;
  readonly summationMethod: SummationMethod;
  readonly fromLogits: boolean;

  constructor(config: AucConfig = {}) {
    const settings = checkOptions('AUC', config, AUC_OPTIONS);
    const numThresholds = numberArgument('AUC', 'numThresholds', settings.numThresholds ?? 200, INTEGER_ABOVE_ONE);
    // The ends sit ε = 1e-7 (Keras's backend.epsilon()) outside [0, 1], so that predictions of
    // exactly 0 are positive at the first and those of 1 negative at the last, and the curve
    // runs from (1, 1) to (0, 0).
    super('auc', settings.name, evenlySpacedThresholds(numThresholds, -EPSILON, 1 + EPSILON));
    this.numThresholds = numThresholds;
    this.curve = choiceArgument('AUC', 'curve', settings.curve ?? 'ROC', ['ROC', 'PR'] as const);
    this.summationMethod = choiceArgument('AUC', 'summationMethod', settings.summationMethod ?? 'interpolation', ['interpolation', 'minoring', 'majoring'] as const);
    this.fromLogits = booleanArgument('AUC', 'fromLogits', settings.fromLogits, false);
  }

  /** Probabilities clipped to [0, 1], as Keras clips before bucketing predictions by threshold. */
  protected override scores(predictions: Tensor): Tensor {
    return clipByValue(this.fromLogits ? sigmoid(predictions) : predictions, 0, 1);
  }

  result(): number {
    return areaUnderCurve(this.counts, this.curve, this.summationMethod);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), numThresholds: this.numThresholds, curve: this.curve, summationMethod: this.summationMethod, fromLogits: this.fromLogits };
  }
}
