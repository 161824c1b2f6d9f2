/** Deterministic operand values, so every stack multiplies the same numbers. */

/** `count` floats in [-1, 1) from a small linear congruential generator. */
export function operandValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Stored shapes of the two operands of `op(a) · op(b)` = [m, k] · [k, n]. */
export function operandShapes(shape: { m: number; k: number; n: number; transposeA: boolean; transposeB: boolean }): [[number, number], [number, number]] {
  const { m, k, n, transposeA, transposeB } = shape;
  return [transposeA ? [k, m] : [m, k], transposeB ? [n, k] : [k, n]];
}

/** Prefix of `rows` rows of a flattened image set. */
export function firstRows<T extends { x: Float32Array; y: Int32Array; count: number; features: number }>(images: T, rows: number): T {
  const count = Math.min(rows, images.count);
  return { ...images, x: images.x.subarray(0, count * images.features), y: images.y.subarray(0, count), count };
}
