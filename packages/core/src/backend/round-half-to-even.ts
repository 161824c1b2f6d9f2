/**
 * `round` as core's contract defines it, for every backend to compute alike: the nearest
 * integer, a half to the even one (2.5 → 2, 3.5 → 4, −2.5 → −2), as TensorFlow's round, tfjs's
 * and ONNX's Round do. Math.round would take halves up.
 */
export function roundHalfToEven(x: number): number {
  const nearest = Math.round(x);
  return nearest - x === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}
