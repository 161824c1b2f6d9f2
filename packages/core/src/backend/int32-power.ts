/**
 * int32 `pow` as core's contract defines it, for every backend to compute alike: `base` to a
 * non-negative `exponent` by repeated squaring, every product wrapped to 32 bits (Math.imul),
 * as TensorFlow's int32 pow multiplies. A negative exponent gives a magnitude of at most 1 (or
 * ±∞ from 0, which int32 storage makes 0), which float64 holds exactly.
 */
export function int32Power(base: number, exponent: number): number {
  if (exponent < 0) return Math.pow(base, exponent);
  let result = 1;
  for (let power = base, bits = exponent; bits > 0; bits >>>= 1, power = Math.imul(power, power)) {
    if (bits & 1) result = Math.imul(result, power);
  }
  return result;
}
