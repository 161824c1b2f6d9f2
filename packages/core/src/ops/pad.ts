import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';
import { slice } from './slice.js';

/** Adds `paddings[i] = [before, after]` elements of `value` around dimension i. */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  return withTensors('pad', [x], (t) => {
    if (paddings.length !== t.rank || paddings.some((p) => p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < 0))) {
      throw new Error(`pad: expected ${t.rank} pairs of non-negative integers for shape ${formatShape(t.shape)}, got ${JSON.stringify(paddings)}`);
    }
    return runOp({
      name: 'pad', inputs: [t], shape: t.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]), dtype: t.dtype, attrs: { paddings, value },
      kernel: (backend) => backend.pad(t, paddings, value),
      gradient: (dy, { inputs: [input] }) => [slice(dy, paddings.map((p) => p[0]), input!.shape)],
    });
  });
}
