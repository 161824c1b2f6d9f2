import { broadcastTo } from '../ops/broadcast-to.js';
import { cast } from '../ops/cast.js';
import { greaterEqual } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { argMax } from '../ops/reduce.js';
import { squeeze } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignSampleWeight, asTensor } from '../losses/targets.js';
import { booleanArgument, describeValue, FINITE, INTEGER, numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { BatchReadingMetric } from './batch-reading-metric.js';
import { divideNoNan } from './confusion-counts.js';
import type { ReadValues } from './deferred-batches.js';
import type { MetricConfig } from './metric.js';

/** What every IoU metric but BinaryIoU takes. */
interface ClassIdsConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default the metric's Keras name: 'io_u', 'mean_io_u', 'one_hot_io_u' or 'one_hot_mean_io_u'. */
  name?: string;
  /** How many classes there are: the confusion matrix is numClasses × numClasses. */
  numClasses: number;
  /** Entries whose label is this class are left out (a "void" class, often -1 or 255). */
  ignoreClass?: number;
  /** yPred holds class ids (default); false: scores along `axis`, whose argmax is the class. */
  sparseYPred?: boolean;
  /** The class axis of dense labels or predictions. Default -1. */
  axis?: number;
}

export interface MeanIoUConfig extends ClassIdsConfig {
  /** yTrue holds class ids (default); false: one-hot along `axis`. */
  sparseYTrue?: boolean;
}

export interface IoUConfig extends MeanIoUConfig {
  /** The classes whose IoUs are averaged (one id: that class's IoU). */
  targetClassIds: readonly number[];
}

export type OneHotMeanIoUConfig = ClassIdsConfig;

export interface OneHotIoUConfig extends ClassIdsConfig {
  /** The classes whose IoUs are averaged (one id: that class's IoU). */
  targetClassIds: readonly number[];
}

export interface BinaryIoUConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'binary_io_u'. */
  name?: string;
  /** Which of classes 0 and 1 to average over: [0], [1] or [0, 1] (default). */
  targetClassIds?: readonly number[];
  /** A prediction at or above it is class 1, below it class 0. Default 0.5. */
  threshold?: number;
}

/** Every setting of an IoU metric; `threshold` makes predictions class ids by thresholding (BinaryIoU). */
interface IoUSettings {
  numClasses: number;
  targetClassIds: readonly number[];
  ignoreClass?: number;
  sparseYTrue: boolean;
  sparseYPred: boolean;
  axis: number;
  threshold?: number;
}

type IoUBatch = { labels: Tensor; predictions: Tensor; weights: Tensor | null };

/** `ids`, checked: a non-empty list of integers in [0, numClasses). */
function classIdsArgument(owner: string, ids: unknown, numClasses: number): readonly number[] {
  const valid = Array.isArray(ids) && ids.length > 0 && ids.every((id) => Number.isInteger(id) && id >= 0 && id < numClasses);
  if (!valid) throw new Error(`${owner}: targetClassIds must be a non-empty list of class ids in [0, ${numClasses}), got ${describeValue(ids)}`);
  return [...(ids as number[])];
}

/** `t` without a trailing 1 when the other tensor has one dimension less, so [batch] and [batch, 1] class ids pair up. */
function dropTrailingOne(t: Tensor, other: Tensor): Tensor {
  return t.rank === other.rank + 1 && t.shape[t.rank - 1] === 1 ? squeeze(t, -1) : t;
}

/**
 * Intersection over union per class, tp / (tp + fp + fn), from a weighted confusion matrix of
 * class ids accumulated over batches, as Keras's IoU metrics: labels and predictions are class
 * ids, or one-hot / scores whose argmax along `axis` is the class. The result is the mean IoU of
 * the target classes, leaving out those never labelled nor predicted (IoU 0/0); Keras adds
 * ε = 1e-7 to both divisors, which changes its result by about 1e-7, and the division here is
 * exact. A label or prediction that is not a class id in [0, numClasses) is an error.
 */
abstract class IoUMetric extends BatchReadingMetric<IoUBatch> {
  /** Row: labelled class; column: predicted class. */
  readonly #confusion: Float64Array;

  constructor(defaultName: string, name: string | undefined, protected readonly settings: IoUSettings, private readonly configKeys: readonly (keyof IoUSettings)[]) {
    super(defaultName, name);
    this.#confusion = new Float64Array(settings.numClasses * settings.numClasses);
  }

  protected prepare(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined): IoUBatch {
    const { sparseYTrue, sparseYPred, axis, threshold } = this.settings;
    const [given, scores] = [asTensor(yTrue), asTensor(yPred)];
    // Their argmaxes could pair up even when the class axes differ.
    if (!sparseYTrue && !sparseYPred && threshold === undefined && !shapesEqual(given.shape, scores.shape)) {
      throw new Error(`${this.name}: yTrue ${formatShape(given.shape)} and yPred ${formatShape(scores.shape)} must have the same shape`);
    }
    const ids = sparseYTrue ? given : argMax(given, axis);
    const predicted = threshold !== undefined ? cast(greaterEqual(scores, threshold), 'int32') : sparseYPred ? scores : argMax(scores, axis);
    const [labels, predictions] = [dropTrailingOne(ids, predicted), dropTrailingOne(predicted, ids)];
    if (!shapesEqual(labels.shape, predictions.shape)) {
      throw new Error(`${this.name}: yTrue ${formatShape(given.shape)} and yPred ${formatShape(scores.shape)} give class ids of shapes ${formatShape(labels.shape)} and ${formatShape(predictions.shape)}; they must be the same`);
    }
    const weights = sampleWeight === undefined ? null : broadcastTo(alignSampleWeight(this.name, labels, asTensor(sampleWeight), 'the class ids'), labels.shape);
    return { labels, predictions, weights };
  }

  /** Checks every entry first, so a bad id leaves the matrix as it was. */
  protected add({ labels, predictions, weights }: IoUBatch, read: ReadValues): void {
    const [y, p, w] = [read.get(labels)!, read.get(predictions)!, weights && read.get(weights)!];
    const { numClasses, ignoreClass } = this.settings;
    const counted = (i: number) => y[i] !== ignoreClass;
    for (let i = 0; i < y.length; i++) {
      if (!counted(i)) continue;
      for (const [what, id] of [['label', y[i]!], ['prediction', p[i]!]] as const) {
        if (!(Number.isInteger(id) && id >= 0 && id < numClasses)) {
          throw new Error(`${this.name}: ${what} ${id} at position ${i} is not a class id in [0, ${numClasses})`);
        }
      }
    }
    for (let i = 0; i < y.length; i++) if (counted(i)) this.#confusion[y[i]! * numClasses + p[i]!]! += w ? w[i]! : 1;
  }

  protected clear(): void {
    this.#confusion.fill(0);
  }

  result(): number {
    this.settle();
    const { numClasses, targetClassIds } = this.settings;
    let [total, classes] = [0, 0];
    for (const c of targetClassIds) {
      let [labelled, predicted] = [0, 0];
      for (let k = 0; k < numClasses; k++) {
        labelled += this.#confusion[c * numClasses + k]!;
        predicted += this.#confusion[k * numClasses + c]!;
      }
      const intersection = this.#confusion[c * numClasses + c]!;
      const union = labelled + predicted - intersection;
      if (union <= 0) continue;
      total += intersection / union;
      classes++;
    }
    return divideNoNan(total, classes);
  }

  /** The settings this class takes; targetClassIds a list, as in Keras's config. */
  override getConfig(): MetricConfig {
    const config: MetricConfig = super.getConfig();
    for (const key of this.configKeys) {
      const value = this.settings[key];
      if (value !== undefined) config[key] = Array.isArray(value) ? [...value] : value;
    }
    return config;
  }
}

/**
 * The settings every IoU metric but BinaryIoU shares, checked. The one-hot ones take one-hot
 * labels and, unless told otherwise, scores; the others class ids for both, unless told otherwise.
 */
function classIdsSettings(owner: string, config: MeanIoUConfig, oneHot: boolean): Omit<IoUSettings, 'targetClassIds'> {
  return {
    numClasses: numberArgument(owner, 'numClasses', config.numClasses, POSITIVE_INTEGER),
    ...(config.ignoreClass === undefined ? {} : { ignoreClass: numberArgument(owner, 'ignoreClass', config.ignoreClass, INTEGER) }),
    sparseYTrue: oneHot ? false : booleanArgument(owner, 'sparseYTrue', config.sparseYTrue, true),
    sparseYPred: booleanArgument(owner, 'sparseYPred', config.sparseYPred, !oneHot),
    axis: numberArgument(owner, 'axis', config.axis ?? -1, INTEGER),
  };
}

const everyClass = (numClasses: number): number[] => Array.from({ length: numClasses }, (_, i) => i);

const CLASS_IDS_OPTIONS: Record<keyof ClassIdsConfig, true> = { name: true, numClasses: true, ignoreClass: true, sparseYPred: true, axis: true };
const MEAN_IOU_OPTIONS: Record<keyof MeanIoUConfig, true> = { ...CLASS_IDS_OPTIONS, sparseYTrue: true };
const IOU_OPTIONS: Record<keyof IoUConfig, true> = { ...MEAN_IOU_OPTIONS, targetClassIds: true };
const ONE_HOT_IOU_OPTIONS: Record<keyof OneHotIoUConfig, true> = { ...CLASS_IDS_OPTIONS, targetClassIds: true };
const BINARY_IOU_OPTIONS: Record<keyof BinaryIoUConfig, true> = { name: true, targetClassIds: true, threshold: true };

/** The mean IoU of `targetClassIds` (one id: that class's IoU). */
export class IoU extends IoUMetric {
  static readonly className: string = 'IoU';
  constructor(config: IoUConfig) {
    const settings = checkOptions('IoU', config, IOU_OPTIONS);
    const shared = classIdsSettings('IoU', settings, false);
    super('io_u', settings.name, { ...shared, targetClassIds: classIdsArgument('IoU', settings.targetClassIds, shared.numClasses) },
      ['numClasses', 'targetClassIds', 'ignoreClass', 'sparseYTrue', 'sparseYPred', 'axis']);
  }
}

/** The mean IoU over every class. */
export class MeanIoU extends IoUMetric {
  static readonly className: string = 'MeanIoU';
  constructor(config: MeanIoUConfig) {
    const settings = checkOptions('MeanIoU', config, MEAN_IOU_OPTIONS);
    const shared = classIdsSettings('MeanIoU', settings, false);
    super('mean_io_u', settings.name, { ...shared, targetClassIds: everyClass(shared.numClasses) }, ['numClasses', 'ignoreClass', 'sparseYTrue', 'sparseYPred', 'axis']);
  }
}

/** IoU of one-hot labels: the argmax along `axis` is the labelled class (predictions: scores, unless sparseYPred). */
export class OneHotIoU extends IoUMetric {
  static readonly className: string = 'OneHotIoU';
  constructor(config: OneHotIoUConfig) {
    const settings = checkOptions('OneHotIoU', config, ONE_HOT_IOU_OPTIONS);
    const shared = classIdsSettings('OneHotIoU', settings, true);
    super('one_hot_io_u', settings.name, { ...shared, targetClassIds: classIdsArgument('OneHotIoU', settings.targetClassIds, shared.numClasses) },
      ['numClasses', 'targetClassIds', 'ignoreClass', 'sparseYPred', 'axis']);
  }
}

/** MeanIoU of one-hot labels: the argmax along `axis` is the labelled class (predictions: scores, unless sparseYPred). */
export class OneHotMeanIoU extends IoUMetric {
  static readonly className: string = 'OneHotMeanIoU';
  constructor(config: OneHotMeanIoUConfig) {
    const settings = checkOptions('OneHotMeanIoU', config, CLASS_IDS_OPTIONS);
    const shared = classIdsSettings('OneHotMeanIoU', settings, true);
    super('one_hot_mean_io_u', settings.name, { ...shared, targetClassIds: everyClass(shared.numClasses) }, ['numClasses', 'ignoreClass', 'sparseYPred', 'axis']);
  }
}

/** IoU of 0/1 labels against predictions thresholded to classes 0 and 1 (at or above `threshold`: 1). */
export class BinaryIoU extends IoUMetric {
  static readonly className: string = 'BinaryIoU';
  constructor(config: BinaryIoUConfig = {}) {
    const settings = checkOptions('BinaryIoU', config, BINARY_IOU_OPTIONS);
    const threshold = numberArgument('BinaryIoU', 'threshold', settings.threshold ?? 0.5, FINITE);
    const targetClassIds = classIdsArgument('BinaryIoU', settings.targetClassIds ?? [0, 1], 2);
    super('binary_io_u', settings.name, { numClasses: 2, targetClassIds, sparseYTrue: true, sparseYPred: true, axis: -1, threshold }, ['targetClassIds', 'threshold']);
  }
}
