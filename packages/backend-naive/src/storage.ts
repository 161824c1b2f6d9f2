import type { DataArray, DType, KernelTensor } from '@perceptron/core';

/**
 * The naive backend stores a tensor as its flat, row-major typed array: the handle *is* the
 * data. Handles are never written after a kernel returns them, so two tensors may share one
 * (see `reshape`).
 */
export type NaiveHandle = DataArray;

/** A tensor as the naive kernels receive it. */
export type NaiveTensor = KernelTensor<NaiveHandle>;

/** A zeroed array of the storage type that `dtype` uses (bool is stored as 0/1 bytes). */
export function allocate(dtype: DType, size: number): DataArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/**
 * Stores float64 results in `dtype`'s array. Kernels that accumulate (sums) do so in float64
 * for accuracy and round once at the end; assigning to a typed array rounds to float32 or
 * truncates to int32.
 */
export function fromFloat64(dtype: DType, values: Float64Array): DataArray {
  const out = allocate(dtype, values.length);
  out.set(values);
  return out;
}
