import type { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType, Shape } from '../types.js';
import { runOp } from './run-op.js';

/**
 * `values`, worked out on the host from `inputs`' read-back values (non-max suppression, Otsu's
 * level), as the output of an op `name` on them: tapes see it carry no gradient, and tracers see
 * an op (not a constant), so an exported graph cannot freeze a result its inputs decide; the
 * exporter names the op instead.
 */
export function hostResult(name: string, inputs: readonly Tensor[], values: DataArray, shape: Shape, dtype: DType, attrs: Record<string, unknown> = {}): Tensor {
  return runOp({ name, inputs, shape, dtype, attrs, kernel: (backend) => backend.upload(values, shape, dtype), gradient: 'not-differentiable' });
}
