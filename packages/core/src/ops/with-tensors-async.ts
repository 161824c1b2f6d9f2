import { dispose } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { withTensors, type TensorLike } from './convert.js';
import { clone } from './reshape.js';

/**
 * withTensors for async ops: the tensors made from plain values (converted and checked as
 * withTensors does) stay alive until `body`'s promise settles, since its reads and the results
 * made from them come after withTensors would have freed them.
 */
export async function withTensorsAsync<T>(op: string, args: readonly TensorLike[], body: (...tensors: Tensor[]) => Promise<T>): Promise<T> {
  const made: Tensor[] = [];
  const tensors = withTensors(op, args, (...ts) => ts.map((t, i) => {
    if (args[i] instanceof Tensor) return t;
    const kept = clone(t);
    made.push(kept);
    return kept;
  }));
  try {
    return await body(...tensors);
  } finally {
    dispose(made);
  }
}
