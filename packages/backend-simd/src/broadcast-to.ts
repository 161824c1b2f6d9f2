import { sizeOf, stridesOf, type KernelTensor, type Shape } from '@perceptron/core';
import type { Float32Source } from './array-pool.js';

/** Runs this short are copied by a loop: a `subarray` and a `set` cost more than the copy. */
const SHORT_RUN = 32;

/**
 * A float32 tensor repeated along its size-1 (or missing leading) dimensions to reach `shape`,
 * by block copies: dimension by dimension from the outermost, a broadcast dimension writes its
 * first block once and copies it along (`copyWithin`, doubling), a broadcast last dimension
 * repeats one value (`fill`); the trailing dimensions that are not broadcast are one
 * contiguous run of the input (`set`). The naive kernel computes an input index per output
 * value, which took ~4 % of the lab's training steps (the gradients of `sum(x, -1, true)` and
 * of a mean broadcast on every step). Returns null for other dtypes.
 */
export function broadcastTo(x: KernelTensor, shape: Shape, float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32') return null;
  const rank = shape.length;
  const inShape = [...new Array<number>(rank - x.shape.length).fill(1), ...x.shape];
  const outStrides = stridesOf(shape);
  const inStrides = stridesOf(inShape);
  // Dimensions from `contiguousFrom` on are not broadcast: each is one run of the input.
  let contiguousFrom = rank;
  while (contiguousFrom > 0 && inShape[contiguousFrom - 1] === shape[contiguousFrom - 1]) contiguousFrom--;
  const values = x.handle as Float32Array;
  const run = contiguousFrom === 0 ? values.length : outStrides[contiguousFrom - 1]!;
  const out = float32(sizeOf(shape));

  const fill = (dim: number, inAt: number, outAt: number): void => {
    if (dim === contiguousFrom) {
      if (run <= SHORT_RUN) for (let k = 0; k < run; k++) out[outAt + k] = values[inAt + k]!;
      else out.set(values.subarray(inAt, inAt + run), outAt);
      return;
    }
    const count = shape[dim]!;
    const outStride = outStrides[dim]!;
    if (inShape[dim] !== 1) {
      for (let i = 0; i < count; i++) fill(dim + 1, inAt + i * inStrides[dim]!, outAt + i * outStride);
      return;
    }
    if (dim === rank - 1) {
      out.fill(values[inAt]!, outAt, outAt + count);
      return;
    }
    // The first block, then copies of what is written so far: 1, 2, 4... blocks per copy.
    fill(dim + 1, inAt, outAt);
    for (let written = 1; written < count;) {
      const copies = Math.min(written, count - written);
      out.copyWithin(outAt + written * outStride, outAt, outAt + copies * outStride);
      written += copies;
    }
  };
  if (out.length > 0) fill(0, 0, 0);
  return out;
}
