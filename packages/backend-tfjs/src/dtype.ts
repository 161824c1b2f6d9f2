import * as tf from '@tensorflow/tfjs-core';
import type { DataArray, DType } from '@perceptron/core';

/** Casts with the reference semantics: float→int32 truncates towards zero, anything→bool is x != 0. */
export function castTo(x: tf.Tensor, dtype: DType): tf.Tensor {
  // tfjs-wasm casts by copying into a Uint8Array, which keeps the low byte: 0.5 and 256 would
  // become false. Comparing with zero is right on every backend.
  if (dtype === 'bool') return tf.notEqual(x, tf.zerosLike(x));
  return tf.cast(x, dtype);
}

/** `x` as `dtype`, for tfjs ops whose output dtype differs from the one core promises. */
export function withDType(x: tf.Tensor, dtype: DType): tf.Tensor {
  return x.dtype === dtype ? x : castTo(x, dtype);
}

const ARRAY_TYPES = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/**
 * A copy the caller owns, in `dtype`'s array type. Both matter: tfjs-cpu hands out its own
 * storage, and its widening casts (bool→int32, bool/int32→float32) relabel the dtype but keep
 * the source array, so an int32→float32 cast would read back as an Int32Array.
 */
export function ownedArray(values: ArrayLike<number>, dtype: DType): DataArray {
  return new ARRAY_TYPES[dtype](values);
}
