import { cast } from '../ops/cast.js';
import { tensor, type TensorLike } from '../ops/convert.js';
import { expandDims, reshape, squeeze } from '../ops/reshape.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';

/**
 * Keras's `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 − EPSILON] before a log,
 * and divisors kept at least EPSILON away from 0.
 */
export const EPSILON = 1e-7;

/**
 * A tensor for `x`. Numbers and arrays become float32 tensors owned by the current tidy scope,
 * which every loss and metric opens, so they are freed with the other intermediates.
 */
export function asTensor(x: TensorLike): Tensor {
  return x instanceof Tensor ? x : tensor(x, undefined, ArrayBuffer.isView(x) ? undefined : 'float32');
}

/**
 * Brings targets to the predictions' shape and to float32, as Keras does before an elementwise
 * loss: labels of shape [batch] against predictions [batch, 1] (or the reverse) differ only by
 * a trailing 1. Any other mismatch is an error naming both shapes.
 */
export function alignTargets(caller: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  let target = asTensor(yTrue);
  const prediction = asTensor(yPred);
  if (prediction.dtype !== 'float32') {
    throw new Error(`${caller}: expected float32 predictions, got ${prediction.dtype} ${formatShape(prediction.shape)}`);
  }
  if (target.dtype !== 'float32') target = cast(target, 'float32');
  if (target.rank === prediction.rank - 1 && prediction.shape[prediction.rank - 1] === 1) target = expandDims(target, -1);
  else if (target.rank === prediction.rank + 1 && target.shape[target.rank - 1] === 1) target = squeeze(target, -1);
  if (!shapesEqual(target.shape, prediction.shape)) {
    throw new Error(`${caller}: yTrue ${formatShape(target.shape)} and yPred ${formatShape(prediction.shape)} must have the same shape`);
  }
  if (prediction.rank === 0) throw new Error(`${caller}: expected yPred of rank >= 1 ([batch, ...]), got a scalar`);
  return [target, prediction];
}

/**
 * Sample weights brought to the rank of `values` (per-sample losses, or a metric's values) as
 * Keras does: a trailing 1 dropped ([batch, 1] for values [batch]) or trailing 1s added (a
 * weight per sample scales every value of it); they must then broadcast to the values without
 * enlarging them (a [batch, 1] weight would otherwise make a [batch, batch] product). Weights
 * of any dtype come back float32.
 */
export function alignSampleWeight(caller: string, values: Tensor, weights: Tensor, what = 'the values'): Tensor {
  // Integer and boolean weights (a 0/1 mask) weigh as their float values, as Keras casts them.
  let w = weights.dtype === 'float32' ? weights : cast(weights, 'float32');
  if (w.rank === values.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, -1);
  else if (w.rank < values.rank) w = reshape(w, [...w.shape, ...new Array<number>(values.rank - w.rank).fill(1)]);
  if (w.rank !== values.rank || w.shape.some((d, i) => d !== 1 && d !== values.shape[i])) {
    throw new Error(`${caller}: sampleWeight ${formatShape(weights.shape)} does not fit ${what} ${formatShape(values.shape)}; expected ${formatShape(values.shape)}, a trailing 1 more, or a shape that broadcasts to it`);
  }
  return w;
}
