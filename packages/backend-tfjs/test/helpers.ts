import type * as tf from '@tensorflow/tfjs-core';
import type { Backend, DataArray, DType, KernelTensor } from '@perceptron/core';
import { expect } from 'vitest';

/** A tensor written out by hand: flat row-major values, shape and dtype. */
export interface Values {
  values: number[];
  shape: number[];
  dtype: DType;
}

export const f32 = (values: number[], shape: number[] = [values.length]): Values => ({ values, shape, dtype: 'float32' });
export const i32 = (values: number[], shape: number[] = [values.length]): Values => ({ values, shape, dtype: 'int32' });
export const bool = (values: number[], shape: number[] = [values.length]): Values => ({ values, shape, dtype: 'bool' });

const ARRAY_TYPES = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

export function toArray({ values, dtype }: Values): DataArray {
  return ARRAY_TYPES[dtype].from(values);
}

export function upload(backend: Backend<tf.Tensor>, v: Values): KernelTensor<tf.Tensor> {
  return { handle: backend.upload(toArray(v), v.shape, v.dtype), shape: v.shape, dtype: v.dtype };
}

/** Checks a handle's shape and dtype, then its values: exact for int32/bool, within 1e-5 relative for float32. */
export function expectHandle(backend: Backend<tf.Tensor>, handle: tf.Tensor, expected: Values): void {
  expect(handle.shape).toEqual(expected.shape);
  expect(handle.dtype).toBe(expected.dtype);
  const got = backend.read({ handle, shape: expected.shape, dtype: expected.dtype });
  expect(got).toBeInstanceOf(ARRAY_TYPES[expected.dtype]);
  expectValues(got, expected);
}

export function expectValues(got: DataArray, expected: Values): void {
  const actual = Array.from(got);
  if (expected.dtype !== 'float32') {
    expect(actual).toEqual(expected.values);
    return;
  }
  expect(actual.length).toBe(expected.values.length);
  const wrong = expected.values.flatMap((want, i) => {
    const have = actual[i]!;
    const ok = Number.isNaN(want) ? Number.isNaN(have) : Math.abs(have - want) <= 1e-5 * Math.max(1, Math.abs(want));
    return ok ? [] : [`[${i}] expected ${want}, got ${have}`];
  });
  expect(wrong, `got ${actual.join(', ')}`).toEqual([]);
}
