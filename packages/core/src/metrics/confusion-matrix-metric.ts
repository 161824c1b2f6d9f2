import { broadcastTo } from '../ops/broadcast-to.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, alignTargets, asTensor } from '../losses/targets.js';
import { formatShape } from '../util/shape.js';
import { ConfusionCounts } from './confusion-counts.js';
import { BatchReadingMetric } from './batch-reading-metric.js';
import type { ReadValues } from './deferred-batches.js';

/** Which entries of a [..., classes] batch are counted, as Keras's `top_k` and `class_id`. */
export interface ClassFilter {
  /** Only each row's k largest predictions can be positive; equal scores go by class index, lower first, as TensorFlow's top_k. */
  topK?: number;
  /** Only this class's column of labels and predictions is counted. */
  classId?: number;
}

/** A batch aligned on the device: labels, the scores compared with the thresholds, and weights (null: all 1), in rows of `classes`. */
type DeviceBatch = {
  labels: Tensor;
  scores: Tensor;
  weights: Tensor | null;
  classes: number;
};

/** The rows' predictions with all but each row's k largest set to −∞, which exceeds no threshold. */
function keepTopK(predictions: ArrayLike<number>, classes: number, k: number): Float64Array {
  const kept = new Float64Array(predictions.length).fill(-Infinity);
  const order = Array.from({ length: classes }, (_, i) => i);
  for (let row = 0; row < predictions.length; row += classes) {
    order.sort((a, b) => predictions[row + b]! - predictions[row + a]! || a - b);
    for (const c of order.slice(0, k)) kept[row + c] = predictions[row + c]!;
  }
  return kept;
}

/** Every row's value at column `classId`. */
function column(values: ArrayLike<number>, classes: number, classId: number): Float64Array {
  return Float64Array.from({ length: values.length / classes }, (_, row) => values[row * classes + classId]!);
}

/**
 * The shared core of Precision, Recall, TruePositives & co. and AUC: each batch is read to the
 * host once (labels and predictions aligned as the losses do, weights broadcast per sample),
 * filtered by `topK` / `classId`, and added to weighted confusion counts at the metric's
 * thresholds; subclasses only turn the counts into a result.
 */
export abstract class ConfusionMatrixMetric extends BatchReadingMetric<DeviceBatch> {
  readonly #counts: ConfusionCounts;

  constructor(defaultName: string, name: string | undefined, thresholds: readonly number[], private readonly filter: ClassFilter = {}) {
    super(defaultName, name);
    this.#counts = new ConfusionCounts(thresholds);
  }

  /** The counts of every batch so far, those left on the device read first. */
  protected get counts(): ConfusionCounts {
    this.settle();
    return this.#counts;
  }

  /** The scores compared with the thresholds (AUC turns logits into probabilities here). */
  protected scores(predictions: Tensor): Tensor {
    return predictions;
  }

  protected clear(): void {
    this.#counts.reset();
  }

  /** Adds a batch, its values read, to the counts, filtered by `topK` / `classId`. */
  protected add({ labels, scores, weights, classes }: DeviceBatch, read: ReadValues): void {
    const [labelValues, predictions, weightValues] = [read.get(labels)!, read.get(scores)!, weights && read.get(weights)!];
    const { topK, classId } = this.filter;
    const ranked = topK === undefined ? predictions : keepTopK(predictions, classes, topK);
    if (classId === undefined) this.#counts.add(labelValues, ranked, weightValues);
    else this.#counts.add(column(labelValues, classes, classId), column(ranked, classes, classId), weightValues && column(weightValues, classes, classId));
  }

  /** The batch's labels and predictions aligned as the losses align them, its weights broadcast per sample; bad shapes are errors naming the metric. */
  protected prepare(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined): DeviceBatch {
    const [labels, predictions] = alignTargets(this.name, yTrue, yPred);
    const classes = predictions.shape[predictions.rank - 1]!;
    const { topK, classId } = this.filter;
    if (classId !== undefined && (predictions.rank < 2 || classId >= classes)) {
      throw new Error(`${this.name}: classId ${classId} needs yPred of shape [batch, classes] with more than ${classId} classes, got ${formatShape(predictions.shape)}`);
    }
    if (topK !== undefined && topK > classes) {
      throw new Error(`${this.name}: topK ${topK} needs at least ${topK} classes on yPred's last axis, got ${formatShape(predictions.shape)}`);
    }
    const weights = sampleWeight === undefined ? null : broadcastTo(alignSampleWeight(this.name, predictions, asTensor(sampleWeight)), predictions.shape);
    return { labels, scores: this.scores(predictions), weights, classes };
  }
}
