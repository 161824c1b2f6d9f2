import { tidy } from '../engine/memory.js';
import { concat } from '../ops/concat.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType } from '../types.js';

/**
 * The values of `tensors` with one read per dtype, so one wait on the device (or two) rather
 * than one per tensor: those of a dtype are joined on the device and read at once.
 */
export function readTogether(tensors: readonly Tensor[]): Map<Tensor, DataArray> {
  const byDtype = new Map<DType, Tensor[]>();
  for (const t of tensors) byDtype.set(t.dtype, [...(byDtype.get(t.dtype) ?? []), t]);
  const read = new Map<Tensor, DataArray>();
  for (const group of byDtype.values()) {
    if (group.length === 1) {
      read.set(group[0]!, group[0]!.dataSync());
      continue;
    }
    const joined = tidy(() => concat(group.map((t) => reshape(t, [-1]))));
    const all = joined.dataSync();
    joined.dispose();
    let offset = 0;
    for (const t of group) read.set(t, all.subarray(offset, (offset += t.size)));
  }
  return read;
}
