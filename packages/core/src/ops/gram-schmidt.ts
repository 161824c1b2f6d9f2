import { tidy } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { sub, mul, div } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { norm } from './norm.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { unstack } from './split.js';
import { stack } from './stack.js';

/**
 * Modified Gram–Schmidt, as tfjs: each vector loses its projection on every earlier result,
 * one after another, and is scaled to unit length. Linearly dependent vectors divide by a zero
 * norm (NaN), as in tfjs.
 */
function orthonormalize(vectors: readonly Tensor[]): Tensor[] {
  const ys: Tensor[] = [];
  for (const v of vectors) {
    let x = v;
    for (const y of ys) x = sub(x, mul(sum(mul(y, x)), y));
    ys.push(div(x, norm(x)));
  }
  return ys;
}

function checkCount(count: number, length: number, given: string): void {
  if (count > length) throw new Error(`gramSchmidt: ${count} vectors of length ${length} cannot be orthonormal (expected at most as many vectors as their length), got ${given}`);
}

/**
 * tf.linalg.gramSchmidt (tfjs only; TensorFlow has no such op): orthonormal vectors spanning the
 * same nested subspaces as `xs` — the rows of a 2-D tensor (giving a 2-D tensor), or a list of
 * 1-D tensors (giving a list). Made of ops, so it is differentiable.
 */
export function gramSchmidt(xs: readonly Tensor[]): Tensor[];
export function gramSchmidt(xs: TensorLike): Tensor;
export function gramSchmidt(xs: TensorLike | readonly Tensor[]): Tensor | Tensor[] {
  if (Array.isArray(xs) && xs.some((x) => x instanceof Tensor)) {
    const list = xs as readonly unknown[];
    const bad = list.findIndex((x) => !(x instanceof Tensor) || x.rank !== 1 || x.dtype !== 'float32');
    if (bad >= 0) {
      const x = list[bad];
      throw new Error(`gramSchmidt: expected a list of float32 vectors (rank 1); item ${bad} is ${x instanceof Tensor ? `a ${x.dtype} tensor of shape ${formatShape(x.shape)}` : JSON.stringify(x)}`);
    }
    const vectors = list as readonly Tensor[];
    const shapes = vectors.map((v) => formatShape(v.shape)).join(', ');
    const length = vectors[0]!.shape[0]!;
    if (vectors.some((v) => v.shape[0] !== length)) throw new Error(`gramSchmidt: the vectors must have one length, got shapes ${shapes}`);
    checkCount(vectors.length, length, `shapes ${shapes}`);
    return tidy(() => orthonormalize(vectors));
  }
  if (Array.isArray(xs) && xs.length === 0) throw new Error('gramSchmidt: expected a 2-D tensor or a non-empty list of vectors, got an empty list');
  return withTensors('gramSchmidt', [xs as TensorLike], (t) => {
    if (t.rank !== 2 || t.dtype !== 'float32') throw new Error(`gramSchmidt: expected a float32 matrix whose rows are the vectors, or a list of vectors, got a ${t.dtype} tensor of shape ${formatShape(t.shape)}`);
    checkCount(t.shape[0]!, t.shape[1]!, `shape ${formatShape(t.shape)}`);
    return tidy(() => (t.shape[0] === 0 ? reshape(t, t.shape) : stack(orthonormalize(unstack(t)))));
  });
}
