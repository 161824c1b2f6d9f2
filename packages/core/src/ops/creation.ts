import { getBackend } from '../backend/registry.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable, type VariableOptions } from '../tensor/variable.js';
import type { DType, Shape } from '../types.js';
import { allocate, checkDType } from '../util/dtype.js';
import { checkShape, sizeOf } from '../util/shape.js';
import { tensor, type TensorLike } from './convert.js';

/** A tensor of `shape` with every element `value`. */
export function fill(shape: Shape, value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  checkShape('fill', shape);
  checkDType('fill', dtype);
  const data = allocate(dtype, sizeOf(shape));
  data.fill(Number(value));
  const backend = getBackend();
  return new Tensor(backend.upload(data, shape, dtype), [...shape], dtype, backend);
}

/** A tensor of `shape` filled with 0. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** A tensor of `shape` filled with 1. */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros of `x`'s shape and dtype. */
export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0, x.dtype);
}

/** Ones of `x`'s shape and dtype. */
export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1, x.dtype);
}

/** `[start, start + step, ...]` up to but excluding `stop`. */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (step === 0 || !Number.isFinite(step)) throw new Error(`range: step must be a non-zero finite number, got ${step}`);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, count);
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  const backend = getBackend();
  return new Tensor(backend.upload(data, [count], dtype), [count], dtype, backend);
}

/** A new variable holding a copy of `initialValue`. */
export function variable(initialValue: TensorLike, options: VariableOptions & { dtype?: DType } = {}): Variable {
  if (initialValue instanceof Tensor) return new Variable(initialValue, options);
  const value = tensor(initialValue, undefined, options.dtype);
  try {
    return new Variable(value, options);
  } finally {
    value.dispose();
  }
}

