import { allocate, type NaiveHandle, type NaiveTensor } from './storage.js';

/**
 * For each row of the last axis, the positions of its `k` largest entries, largest first. The
 * sort is stable, so equal entries keep their order: the lower index first, as TensorFlow's.
 */
export function topkIndices(x: NaiveTensor, k: number): NaiveHandle {
  const length = x.shape[x.shape.length - 1]!;
  const rows = length === 0 ? 0 : x.handle.length / length;
  const out = allocate('int32', rows * k);
  for (let row = 0; row < rows; row++) {
    const start = row * length;
    const order = Array.from({ length }, (_, i) => i).sort((a, b) => x.handle[start + b]! - x.handle[start + a]!);
    out.set(order.slice(0, k), row * k);
  }
  return out;
}
