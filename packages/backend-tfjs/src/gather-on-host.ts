/**
 * gather computed on the host, for tfjs-cpu and tfjs-wasm: their GatherV2 kernels compute every
 * value's source index apart, while their tensors live in this process's memory, so reading them
 * out, copying runs of the inner dimensions and writing the result back is faster: the im2col
 * of [32, 15, 15, 16] by a 3×3 window (778 K values) took 31 ms on tfjs-cpu and 22 on
 * tfjs-wasm, 3.3 and 5.4–6.3 here. Not on tfjs-webgl: reading a texture back stalls the GPU.
 */
import * as tf from '@tensorflow/tfjs-core';

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/**
 * Whether to gather on the host: on tfjs-cpu and tfjs-wasm, when the output holds at least as
 * many values as x, i.e. `picks` at least the length of `axis` (an im2col picks each position
 * about as often as its window has taps). Reading x out copies all of it, which a few rows
 * picked from a large tensor do not repay: a Dataset's batch of 32 images gathered from 55,000
 * made the lab's training step 4.7× slower on tfjs-wasm.
 */
export function gatherIsFasterOnHost(tfName: string, shape: readonly number[], picks: number, axis: number): boolean {
  return tfName !== 'webgl' && picks >= shape[axis]!;
}

/** x's slices along `axis` at `indices` (core checked them against x's dimension). */
export function gatherOnHost(x: tf.Tensor, indices: tf.Tensor, axis: number): tf.Tensor {
  const values = x.dataSync();
  const picks = indices.dataSync();
  const [outer, size, inner] = [product(x.shape.slice(0, axis)), x.shape[axis]!, product(x.shape.slice(axis + 1))];
  const out = new (values.constructor as new (length: number) => typeof values)(outer * picks.length * inner);
  let to = 0;
  for (let o = 0; o < outer; o++) {
    for (const pick of picks) {
      const from = (o * size + pick) * inner;
      for (let i = 0; i < inner; i++) out[to++] = values[from + i]!;
    }
  }
  return tf.tensor(out, [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
}
