import type { DataArray, DType } from '../types.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Throws naming `op` unless `dtype` is one core supports (JavaScript callers may pass anything). */
export function checkDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
}

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
