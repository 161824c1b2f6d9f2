/**
 * What the oracle's float64 values mean for an int32 result. Core's contract for int32
 * arithmetic is the exact result wrapped to 32 bits (two's complement), as TensorFlow's int32
 * kernels and Int32Array storage both wrap. The wrap is done with BigInt here, not with a typed
 * array, so that the oracle shares no mechanism with the backends it checks.
 */

/**
 * `v` (an integer-valued float64, or one to truncate towards zero) as the int32 it stores as.
 * Exact while |v| < 2^53, where every integer is a float64; the table stays inside that, except
 * for products, which INT32_BINARY and INT32_UNARY compute exactly in BigInt.
 */
export function toInt32(v: number): number {
  if (!Number.isFinite(v)) throw new Error(`reference: ${v} has no int32 value; the op's reference must say what it gives`);
  if (Math.abs(v) >= 2 ** 53) throw new Error(`reference: ${v} is beyond 2^53, where float64 no longer holds the exact integer`);
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
}

/**
 * int32 division: rounds towards negative infinity (-7 / 2 = -4), as tfjs does, and x / 0 is
 * 0 (the naive reference stores the ±∞ or NaN of x / 0 as 0; TensorFlow raises instead).
 */
export const intDiv = (a: number, b: number): number => (b === 0 ? 0 : Math.floor(a / b));

const wrapped = (v: bigint): bigint => BigInt.asIntN(32, v);

/** a · b, exact in BigInt, wrapped. */
export const intMul = (a: number, b: number): number => Number(wrapped(BigInt(a) * BigInt(b)));

/**
 * a^b wrapped: the exact power modulo 2^32, by square-and-multiply in BigInt reducing each
 * step (the exact power of a large exponent would not fit in memory). A negative exponent
 * gives a magnitude of at most 1, which float64 holds exactly, truncated towards zero.
 */
export function intPow(a: number, b: number): number {
  if (b < 0) return Math.trunc(Math.pow(a, b));
  let result = 1n;
  let power = BigInt(a);
  for (let rest = BigInt(b); rest > 0n; rest /= 2n) {
    if (rest % 2n === 1n) result = wrapped(result * power);
    power = wrapped(power * power);
  }
  return Number(result);
}

/** The binary ops whose int32 result the float64 formulas in elementwise.ts do not give. */
export const INT32_BINARY: Readonly<Record<string, (a: number, b: number) => number>> = { div: intDiv, mul: intMul, pow: intPow };

/** The unary ops whose int32 result the float64 formulas in elementwise.ts do not give. */
export const INT32_UNARY: Readonly<Record<string, (x: number) => number>> = { square: (x) => intMul(x, x) };
