import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { tensor, type TensorLike } from './convert.js';

/**
 * A complex tensor as Keras 3's ops hold one without a complex dtype: `[real, imag]`, two float32
 * tensors of one shape.
 */
export type ComplexPair = readonly [TensorLike, TensorLike];

const describe = (v: unknown): string => (v instanceof Tensor ? `a ${v.dtype} tensor of shape ${formatShape(v.shape)}` : Array.isArray(v) ? `an array of length ${v.length}` : typeof v);

/**
 * Checks `x` is a pair [real, imag] of float32 tensors of one shape, of rank >= 1 (the transform
 * runs over the last axis), and calls `body` with the two tensors; literals become tensors that
 * are freed afterwards.
 */
export function withComplexPair<T>(op: string, x: ComplexPair, body: (real: Tensor, imag: Tensor) => T): T {
  if (!Array.isArray(x) || x.length !== 2) {
    throw new Error(`${op}: expected a pair [real, imag] of float32 tensors of one shape, got ${describe(x)}`);
  }
  const made: Tensor[] = [];
  const [real, imag] = x.map((part) => {
    if (part instanceof Tensor) return part;
    const t = tensor(part as Exclude<TensorLike, Tensor>, undefined, 'float32');
    made.push(t);
    return t;
  }) as [Tensor, Tensor];
  try {
    [real, imag].forEach((part, i) => {
      if (part.isDisposed) throw new Error(`${op}: the ${i ? 'imaginary' : 'real'} part is disposed`);
      if (part.dtype !== 'float32') throw new Error(`${op}: the ${i ? 'imaginary' : 'real'} part must be float32, got ${part.dtype} of shape ${formatShape(part.shape)}`);
    });
    if (real.rank < 1 || real.shape.length !== imag.shape.length || real.shape.some((d, i) => d !== imag.shape[i])) {
      throw new Error(`${op}: the real and imaginary parts must have one shape of rank >= 1 (the transform runs over the last axis), got ${formatShape(real.shape)} and ${formatShape(imag.shape)}`);
    }
    return body(real, imag);
  } finally {
    for (const t of made) t.dispose();
  }
}
