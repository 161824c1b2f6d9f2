// Float64 formulas for the composite elementwise ops (reciprocal … logSigmoid), written from
// their definitions with Math's functions, independently of how core composes them.

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export const UNARY_EXTRA: Readonly<Record<string, (x: number) => number>> = {
  reciprocal: (x) => 1 / x,
  rsqrt: (x) => 1 / Math.sqrt(x),
  expm1: Math.expm1,
  isNaN: (x) => Number(Number.isNaN(x)),
  isInf: (x) => Number(x === Infinity || x === -Infinity),
  isFinite: (x) => Number(Number.isFinite(x)),
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  elu: (x) => (x < 0 ? Math.expm1(x) : x),
  selu: (x) => SELU_SCALE * (x < 0 ? SELU_ALPHA * Math.expm1(x) : x),
  relu6: (x) => (Number.isNaN(x) ? x : Math.min(Math.max(x, 0), 6)),
  logSigmoid: (x) => -softplus(-x),
};

/** tfjs's step: 1 above 0, alpha at and below 0 (truncated for int32), NaN stays NaN. */
export const step = (x: number, alpha: number, int32: boolean): number => (Number.isNaN(x) ? x : x > 0 ? 1 : int32 ? Math.trunc(alpha) : alpha);

export const leakyRelu = (x: number, alpha: number): number => (x > 0 ? x : alpha * x);

export const BINARY_EXTRA: Readonly<Record<string, (a: number, b: number, int32: boolean) => number>> = {
  squaredDifference: (a, b) => (a - b) ** 2,
  /** 0 wherever b is 0, whatever a is; int32 quotients round towards −∞ as int32 div's do. */
  divNoNan: (a, b, int32) => (b === 0 ? 0 : int32 ? Math.floor(a / b) : a / b),
  atan2: Math.atan2,
  prelu: (x, alpha) => leakyRelu(x, alpha),
};
