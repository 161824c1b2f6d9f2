import { cast } from '../ops/cast.js';
import type { TensorLike } from '../ops/convert.js';
import { oneHot } from '../ops/one-hot.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { asTensor } from './targets.js';

/**
 * Checks integer class labels against predictions [..., classes] and returns them one-hot,
 * float32 of yPred's shape. Labels have shape yPred.shape[:-1], or that with a trailing 1;
 * int32, or float32 holding integers. The values are read (dataSync) so that a bad label is
 * reported with its value and position instead of silently giving a zero row.
 */
export function oneHotLabels(caller: string, yTrue: TensorLike, yPred: Tensor): Tensor {
  const labels = asTensor(yTrue);
  if (yPred.rank < 1) throw new Error(`${caller}: expected yPred of shape [batch, classes], got ${formatShape(yPred.shape)}`);
  const classes = yPred.shape[yPred.rank - 1]!;
  const batchShape = yPred.shape.slice(0, -1);
  if (!shapesEqual(labels.shape, batchShape) && !shapesEqual(labels.shape, [...batchShape, 1])) {
    throw new Error(`${caller}: expected labels of shape ${formatShape(batchShape)} or ${formatShape([...batchShape, 1])} for yPred ${formatShape(yPred.shape)}, got ${formatShape(labels.shape)}`);
  }
  if (labels.dtype === 'bool') throw new Error(`${caller}: expected int32 or float32 labels, got bool ${formatShape(labels.shape)}`);
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) throw new Error(`${caller}: label ${v} at position ${i} is not an integer class index`);
    if (v < 0 || v >= classes) throw new Error(`${caller}: label ${v} at position ${i} is outside [0, ${classes}) (yPred has ${classes} classes)`);
  }
  const indices = labels.dtype === 'int32' ? labels : cast(labels, 'int32');
  return oneHot(reshape(indices, batchShape), classes);
}
