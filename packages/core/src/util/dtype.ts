import type { DataArray, DType } from '../types.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Throws naming `op` unless `dtype` is one core supports (JavaScript callers may pass anything). */
export function checkDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
}

/** Throws, naming `op`, when a bool tensor arrives where numbers are needed: a tensor, or (`images`) images. */
export function refuseBool(op: string, dtype: DType, images = false): void {
  if (dtype !== 'bool') return;
  throw new Error(images ? `${op}: expected float32 or int32 images, got bool; cast them first` : `${op}: expected a float32 or int32 tensor, got bool; cast it first`);
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
