import type { DType, KernelTensor, Shape } from '@perceptron/core';
import { expect } from 'vitest';
import { NaiveBackend } from '../src/naive-backend.js';
import type { NaiveHandle } from '../src/storage.js';

export const backend = new NaiveBackend();

const ARRAY_TYPES = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** Uploads `values` as a tensor of `shape`, the way core does before calling a kernel. */
export function input(values: readonly number[], shape: Shape, dtype: DType = 'float32'): KernelTensor<NaiveHandle> {
  return { handle: backend.upload(ARRAY_TYPES[dtype].from(values), shape, dtype), shape, dtype };
}

/** Asserts a kernel's output has `dtype`'s storage type and exactly `expected` values. */
export function expectValues(handle: NaiveHandle, expected: readonly number[], dtype: DType = 'float32'): void {
  expect(handle).toBeInstanceOf(ARRAY_TYPES[dtype]);
  expect(Array.from(handle)).toEqual(expected);
}

/** Like `expectValues`, for float results that float32 rounding makes inexact. */
export function expectClose(handle: NaiveHandle, expected: readonly number[], digits = 6): void {
  expect(handle).toBeInstanceOf(Float32Array);
  expect(handle.length).toBe(expected.length);
  expected.forEach((value, i) => expect(handle[i]).toBeCloseTo(value, digits));
}
