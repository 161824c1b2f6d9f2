import type { Tensor } from '../tensor/tensor.js';
import { broadcastShapes, formatShape } from '../util/shape.js';

// The composite elementwise ops check their operands themselves, so an error names the op the
// user called (rsqrt, divNoNan...) rather than the div or sqrt inside it.

/** Throws unless `x` is alive and float32 (or, with `allowInt32`, int32). */
export function checkNumeric(op: string, x: Tensor, allowInt32 = false): void {
  x.assertUsable(op);
  const ok = x.dtype === 'float32' || (allowInt32 && x.dtype === 'int32');
  if (!ok) throw new Error(`${op}: expected a ${allowInt32 ? 'float32 or int32' : 'float32'} tensor, got ${x.dtype} ${formatShape(x.shape)}; cast it first`);
}

/** Throws unless `a` and `b` are alive, share an accepted dtype and broadcast together. */
export function checkBinaryOperands(op: string, a: Tensor, b: Tensor, allowInt32 = false): void {
  b.assertUsable(op);
  if (a.dtype !== b.dtype) {
    throw new Error(`${op}: operands must share a dtype, got ${a.dtype} ${formatShape(a.shape)} and ${b.dtype} ${formatShape(b.shape)}; cast one first`);
  }
  checkNumeric(op, a, allowInt32);
  broadcastShapes(op, a.shape, b.shape);
}
