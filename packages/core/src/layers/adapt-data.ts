// What a preprocessing layer's `adapt` reads (Normalization, Discretization), and the one loop
// over it they share, so both take the same data and free what a Dataset hands them.
import { Dataset } from '../data/dataset.js';
import { dispose } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { describe } from './call-signature.js';

/** What `adapt` reads: a tensor, or batches of one (a Dataset, an array, any iterable); an [x, y] element gives its x. */
export type AdaptData = Tensor | Iterable<unknown> | AsyncIterable<unknown>;

/**
 * The x batches of `data`, one at a time; an element that is not a tensor or an [x, y] pair of
 * them, or no element at all, is an error naming `label`. A Dataset hands each element over to its
 * consumer, so it is freed once the caller has read the batch (or stopped, on an error); a tensor
 * or a list of them stays the caller's.
 */
export async function* adaptBatches(label: string, data: AdaptData): AsyncGenerator<Tensor> {
  let count = 0;
  for await (const element of data instanceof Tensor ? [data] : data) {
    try {
      const batch: unknown = Array.isArray(element) ? element[0] : element;
      if (!(batch instanceof Tensor)) throw new Error(`${label}: adapt() expected tensors or [x, y] batches of them, got ${describe(batch)}`);
      count++;
      yield batch;
    } finally {
      if (data instanceof Dataset) dispose(element as Tensor | Tensor[]);
    }
  }
  if (count === 0) throw new Error(`${label}: adapt() got no data (an empty dataset or list)`);
}
