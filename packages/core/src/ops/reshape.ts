import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape, normalizeAxis, sizeOf } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';

/** Same values, new shape. One dimension may be -1 and is then inferred. */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  return withTensors('reshape', [x], (t) => {
    const resolved = resolveShape(t.shape, shape);
    return runOp({
      name: 'reshape', inputs: [t], shape: resolved, dtype: t.dtype, attrs: { shape: resolved },
      kernel: (backend) => backend.reshape(t, resolved),
      gradient: (dy, { inputs: [input] }) => [reshape(dy, input!.shape)],
    });
  });
}

function resolveShape(from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  const unknown = to.filter((d) => d === -1).length;
  if (unknown > 1 || to.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new Error(`reshape: invalid target shape ${formatShape(to)} (dimensions must be non-negative integers, at most one -1)`);
  }
  const known = sizeOf(to.filter((d) => d !== -1));
  // -1 is size / known. With a 0 among the given dimensions that is 0 / 0 for an empty tensor
  // (any size fits, so none can be inferred; tfjs refuses too) and no size at all otherwise.
  if (unknown === 1 && known === 0) {
    throw new Error(`reshape: cannot infer the -1 in ${formatShape(to)} for a tensor of shape ${formatShape(from)}: the other dimensions multiply to 0`);
  }
  const resolved = to.map((d) => (d === -1 ? size / known : d));
  if (sizeOf(resolved) !== size || resolved.some((d) => !Number.isInteger(d))) {
    throw new Error(`reshape: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(to)}`);
  }
  return resolved;
}

/**
 * A new tensor with x's values and shape, freed apart from x (tf.clone): for handing out a tensor
 * whose owner will free the original. The gradient passes through.
 */
export function clone(x: TensorLike): Tensor {
  return withTensors('clone', [x], (t) => reshape(t, t.shape));
}

/** Inserts a dimension of size 1 at `axis`. */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  return withTensors('expandDims', [x], (t) => {
    const at = normalizeAxis('expandDims', axis, t.rank + 1);
    const shape = [...t.shape];
    shape.splice(at, 0, 1);
    return reshape(t, shape);
  });
}

/** Removes size-1 dimensions: those in `axis`, or all of them. */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  return withTensors('squeeze', [x], (t) => {
    const axes = axis === undefined ? null : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, t.rank));
    for (const a of axes ?? []) {
      if (t.shape[a] !== 1) throw new Error(`squeeze: dimension ${a} of shape ${formatShape(t.shape)} is ${t.shape[a]}, not 1`);
    }
    return reshape(t, t.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
  });
}
