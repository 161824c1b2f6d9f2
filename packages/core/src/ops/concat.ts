import type { Tensor } from '../tensor/tensor.js';
import { formatShape, normalizeAxis } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';
import { slice } from './slice.js';

/** Joins tensors along `axis`; every other dimension must agree. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('concat: expected at least one tensor, got none');
  return withTensors('concat', xs, (...ts) => {
    const first = ts[0]!;
    const at = normalizeAxis('concat', axis, first.rank);
    for (const t of ts) {
      const agrees = t.rank === first.rank && t.shape.every((d, i) => i === at || d === first.shape[i]);
      if (t.dtype !== first.dtype) throw new Error(`concat: expected tensors of one dtype, got ${ts.map((u) => u.dtype).join(', ')}`);
      if (!agrees) throw new Error(`concat: shapes ${ts.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${at}`);
    }
    const shape = [...first.shape];
    shape[at] = ts.reduce((n, t) => n + t.shape[at]!, 0);
    return runOp({
      name: 'concat', inputs: ts, shape, dtype: first.dtype, attrs: { axis: at },
      kernel: (backend) => backend.concat(ts, at),
      gradient: (dy, { inputs }) => {
        let offset = 0;
        return inputs.map((t) => {
          const begin = t.shape.map((_, i) => (i === at ? offset : 0));
          offset += t.shape[at]!;
          return slice(dy, begin, t.shape);
        });
      },
    });
  });
}
