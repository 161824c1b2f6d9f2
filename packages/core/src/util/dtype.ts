import type { DataArray, DType } from '../types.js';

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** A zeroed array of the storage type that `dtype` uses. */
export function allocate(dtype: DType, size: number): DataArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/** Converts plain numbers to the storage type of `dtype` (truncating ints, 0/1 for bool). */
export function toDataArray(values: ArrayLike<number | boolean>, dtype: DType): DataArray {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = dtype === 'bool' ? (v ? 1 : 0) : Number(v);
  }
  return out;
}
