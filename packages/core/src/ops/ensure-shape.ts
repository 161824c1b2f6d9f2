import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { tensor, type TensorLike } from './convert.js';

const describe = (shape: readonly (number | null)[]): string => `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;

/**
 * tf.ensureShape: throws unless x's shape matches `shape`, where a null or -1 entry matches any
 * size (the rank must match). Returns x itself, as tfjs does: no copy and no op for a tape or a
 * tracer to record, so the gradient through it is the identity and disposing the result
 * disposes x. Values given as arrays become a new tensor, which is returned.
 */
export function ensureShape(x: TensorLike, shape: readonly (number | null)[]): Tensor {
  if (!Array.isArray(shape) || shape.some((d) => d !== null && !(Number.isInteger(d) && d >= -1))) {
    throw new Error(`ensureShape: shape must be a list of sizes (non-negative integers, or null or -1 for any size), got ${JSON.stringify(shape)}`);
  }
  const t = x instanceof Tensor ? x : tensor(x);
  t.assertUsable('ensureShape');
  const matches = t.rank === shape.length && shape.every((d, i) => d === null || d === -1 || d === t.shape[i]);
  if (!matches) {
    if (t !== x) t.dispose();
    throw new Error(`ensureShape: the tensor's shape ${formatShape(t.shape)} does not match the expected shape ${describe(shape)}`);
  }
  return t;
}
