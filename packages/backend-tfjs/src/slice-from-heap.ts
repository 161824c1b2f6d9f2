/**
 * Slices on tfjs-wasm that copy only the values they take: its Slice kernel (4.22) first copies
 * the whole of x out of the wasm heap, so each batch sliced from a test set of [10000, 784]
 * copied 31 MB (evaluate in batches of 32 took 4.3 s there against 0.34 s on tfjs-cpu), and each
 * timestep a recurrent layer slices copied the whole sequence. Here the values are read through
 * a view of the heap, run by run.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-wasm's backend that views a tensor's values in the wasm heap, without a copy. */
interface HeapViewer {
  typedArrayFromHeap(x: tf.TensorInfo): tf.TypedArray;
}

/** x[begin : begin + size] on tfjs-wasm, x of rank 1 or more (core resolved begin and size against x's shape). */
export function sliceFromHeap(x: tf.Tensor, begin: readonly number[], size: readonly number[]): tf.Tensor {
  const viewer = tf.findBackend('wasm') as unknown as HeapViewer;
  // A view of the heap is valid until the heap grows: the values are copied out before tf.tensor allocates there.
  return tf.tensor(sliceValues(viewer.typedArrayFromHeap(x), x.shape, begin, size), [...size], x.dtype);
}

/** The values of x[begin : begin + size], x of `shape` laid out row-major in `values`. */
function sliceValues(values: tf.TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[]): tf.TypedArray {
  const out = new (values.constructor as new (length: number) => tf.TypedArray)(tf.util.sizeFromShape([...size]));
  if (out.length === 0) return out;
  const strides = shape.map((_, axis) => tf.util.sizeFromShape(shape.slice(axis + 1)));
  // The axes after the last one the slice cuts are taken whole, so each step of the outer axes copies one contiguous run.
  let cut = shape.length - 1;
  while (cut > 0 && size[cut] === shape[cut]) cut--;
  const run = size[cut]! * strides[cut]!;
  const index = new Array<number>(cut).fill(0);
  for (let to = 0; to < out.length; to += run) {
    const from = index.reduce((offset, i, axis) => offset + (begin[axis]! + i) * strides[axis]!, begin[cut]! * strides[cut]!);
    out.set(values.subarray(from, from + run), to);
    for (let axis = cut - 1; axis >= 0 && ++index[axis]! === size[axis]; axis--) index[axis] = 0;
  }
  return out;
}
