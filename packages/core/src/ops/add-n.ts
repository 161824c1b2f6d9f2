import { tidy } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { add } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { clone } from './reshape.js';

/** tf.addN: the elementwise sum of one or more tensors of one shape and dtype (no broadcasting, as in TensorFlow). */
export function addN(tensors: readonly TensorLike[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('addN: expected a non-empty list of tensors, got none');
  const dtype = tensors.find((a): a is Tensor => a instanceof Tensor)?.dtype;
  return withTensors('addN', tensors, (...ts) => {
    const [first] = ts as [Tensor];
    ts.forEach((t, i) => {
      if (!shapesEqual(t.shape, first.shape) || t.dtype !== first.dtype) {
        throw new Error(`addN: every tensor should have the shape and dtype of the first, ${formatShape(first.shape)} ${first.dtype}; tensor ${i} is ${formatShape(t.shape)} ${t.dtype}`);
      }
    });
    return tidy(() => ts.slice(1).reduce<Tensor>((total, t) => add(total, t), clone(first)));
  }, dtype);
}
