import { tidy } from '../engine/memory.js';
import { argMax } from '../ops/reduce.js';
import { cast } from '../ops/cast.js';
import { equal, greater } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignTargets, asTensor } from '../losses/targets.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { MeanMetricWrapper } from './mean.js';

// Per-element or per-sample hits (1 or 0, float32), as the Keras 3 accuracy functions return.

function asFloat(x: TensorLike): Tensor {
  const t = asTensor(x);
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

/** 1 where yPred equals yTrue exactly. */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('accuracy', asFloat(yTrue), asFloat(yPred));
    return cast(equal(t, p), 'float32');
  });
}

/** 1 where (yPred > threshold) matches the 0/1 label. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('binaryAccuracy', yTrue, yPred);
    return cast(equal(t, cast(greater(p, threshold), 'float32')), 'float32');
  });
}

/** Per sample: 1 where the largest prediction is at the one-hot label's class. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('categoricalAccuracy', yTrue, yPred);
    return cast(equal(argMax(t, -1), argMax(p, -1)), 'float32');
  });
}

/** Per sample: 1 where the largest prediction is at the integer label (shape [batch] or [batch, 1]). */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const labels = asFloat(yTrue);
    const p = asTensor(yPred);
    const batchShape = p.shape.slice(0, -1);
    if (p.rank < 1 || (!shapesEqual(labels.shape, batchShape) && !shapesEqual(labels.shape, [...batchShape, 1]))) {
      throw new Error(`sparseCategoricalAccuracy: expected labels of shape ${formatShape(batchShape)} or ${formatShape([...batchShape, 1])} for yPred ${formatShape(p.shape)}, got ${formatShape(labels.shape)}`);
    }
    return cast(equal(reshape(labels, batchShape), cast(argMax(p, -1), 'float32')), 'float32');
  });
}

/**
 * The accuracy `compile` means by 'accuracy', picked from the shapes as Keras 3 does: binary when
 * yPred has one column, sparse categorical when the labels have one dimension less (or a
 * trailing 1 against several classes), categorical otherwise.
 */
export function matchedAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = [asTensor(yTrue), asTensor(yPred)];
    const classes = p.shape[p.rank - 1];
    if (p.rank === 0 || classes === 1) return binaryAccuracy(t, p);
    if (t.rank < p.rank || t.shape[t.rank - 1] === 1) return sparseCategoricalAccuracy(t, p);
    return categoricalAccuracy(t, p);
  });
}

/** The share of predictions equal to their labels, exactly. */
export class Accuracy extends MeanMetricWrapper {
  static override readonly className: string = 'Accuracy';
  constructor(config: { name?: string } = {}) {
    super('accuracy', accuracy, config.name);
  }
}

/** The share of predictions on the labels' side of `threshold` (default 0.5). */
export class BinaryAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(config: { name?: string; threshold?: number } = {}) {
    const threshold = config.threshold ?? 0.5;
    super('binary_accuracy', (t, p) => binaryAccuracy(t, p, threshold), config.name);
    this.threshold = threshold;
  }
  override getConfig() {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** The share of rows whose largest prediction is at the one-hot label's position. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalAccuracy';
  constructor(config: { name?: string } = {}) {
    super('categorical_accuracy', categoricalAccuracy, config.name);
  }
}

/** The share of rows whose largest prediction is at the label's class index. The lab's metric. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalAccuracy';
  constructor(config: { name?: string } = {}) {
    super('sparse_categorical_accuracy', sparseCategoricalAccuracy, config.name);
  }
}

/** 'accuracy' in `compile`: binary, sparse categorical or categorical by the shapes (matchedAccuracy). */
export class MatchedAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'MatchedAccuracy';
  constructor(config: { name?: string } = {}) {
    super('accuracy', matchedAccuracy, config.name);
  }
}
