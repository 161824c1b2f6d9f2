import type { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, minimum, mul, sub } from './arithmetic.js';
import { equal, greater, less } from './compare.js';
import type { TensorLike } from './convert.js';
import { logicalOr } from './logical.js';
import { abs, neg } from './unary.js';
import { where } from './where.js';

// The arctangent's value, composed from ops for the inverse trigonometric ops' forward passes
// (backends have no atan kernel). Forward only: each op using it declares its own gradient.

/** Cephes' atanf polynomial, good to about a float32 ulp for |z| ≤ tan(π/8). */
const CEPHES = [-3.33329491539e-1, 1.99777106478e-1, -1.38776856032e-1, 8.05374449538e-2];
const TAN_PI_8 = Math.SQRT2 - 1;

/** atan(r) for r in [0, 1]: above tan(π/8), π/4 + atan((r − 1) / (r + 1)) brings the argument back under it. */
function atanUnit(r: Tensor): Tensor {
  const reduced = greater(r, TAN_PI_8);
  const z = where(reduced, div(sub(r, 1), add(r, 1)), r);
  const w = mul(z, z);
  const series = CEPHES.reduceRight<Tensor | number>((inner, c) => add(mul(inner, w), c), 0) as Tensor;
  const p = add(z, mul(mul(z, w), series));
  return where(reduced, add(p, Math.PI / 4), p);
}

/** True where v < 0 or v is −0 (1 / −0 = −∞): atan2 keeps the sign of zeros, as C's does. */
const negative = (v: TensorLike): Tensor => logicalOr(less(v, 0), less(div(1, v), 0));

/**
 * atan2(y, x) for every quadrant, as C's atan2: the smaller magnitude over the larger is in
 * [0, 1] (no overflow), then π/2 −, π − and the sign of y place the angle. 0 / 0 reads as 0,
 * so atan2(±0, +0) = ±0 and atan2(±0, −0) = ±π; ∞ / ∞ reads as 1 (atan2(∞, ∞) = π/4).
 */
export function atan2Value(y: Tensor, x: TensorLike): Tensor {
  const [ay, ax] = [abs(y), abs(x)];
  const [large, small] = [maximum(ay, ax), minimum(ay, ax)];
  const ratio = where(equal(large, 0), 0, where(equal(small, Infinity), 1, div(small, large)));
  const firstOctant = atanUnit(ratio);
  const firstQuadrant = where(greater(ay, ax), sub(Math.PI / 2, firstOctant), firstOctant);
  const upperHalf = where(negative(x), sub(Math.PI, firstQuadrant), firstQuadrant);
  return where(negative(y), neg(upperHalf), upperHalf);
}
