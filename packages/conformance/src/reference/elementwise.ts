import { at, broadcastShape, generate, type NDArray } from './ndarray.js';

/** Applies `f` elementwise to broadcast inputs. */
export function elementwise(xs: readonly NDArray[], f: (...values: number[]) => number): NDArray {
  const shape = broadcastShape(...xs.map((x) => x.shape));
  return generate(shape, (index) => f(...xs.map((x) => at(x, index))));
}

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** erf: 2/√π ∫₀ˣ e^(−t²) dt by Simpson's rule on 2,000 intervals (error far below 1e-12 for |x| ≤ 7; erf is ±1 to float64 beyond). */
export function erf(x: number): number {
  if (Math.abs(x) > 7) return Math.sign(x);
  const intervals = 2000;
  const h = x / intervals;
  let sum = 1 + Math.exp(-x * x);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * sum * h) / 3;
}

export const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  sqrt: Math.sqrt,
  square: (x) => x * x,
  relu: (x) => Math.max(x, 0),
  sigmoid,
  tanh: Math.tanh,
  erf,
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  ceil: Math.ceil,
  // A half goes to the even neighbour: twice the nearest integer to x/2.
  round: (x) => (x - Math.floor(x) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)),
};

/** Binary functions for float inputs; int32 division floors and products wrap exactly (INT32_BINARY in int32.ts). Comparisons give 0/1. */
export const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  floorDiv: (a, b) => Math.floor(a / b),
  mod: (a, b) => a - Math.floor(a / b) * b,
  equal: (a, b) => Number(a === b),
  notEqual: (a, b) => Number(a !== b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  logicalAnd: (a, b) => Number(a !== 0 && b !== 0),
  logicalOr: (a, b) => Number(a !== 0 || b !== 0),
  logicalXor: (a, b) => Number((a !== 0) !== (b !== 0)),
};

export function where(condition: NDArray, a: NDArray, b: NDArray): NDArray {
  return elementwise([condition, a, b], (c, x, y) => (c !== 0 ? x : y));
}

/** float→int truncates, anything→bool is x != 0. */
export function cast(x: NDArray, dtype: 'float32' | 'int32' | 'bool'): NDArray {
  const f = dtype === 'int32' ? Math.trunc : dtype === 'bool' ? (v: number) => Number(v !== 0) : (v: number) => v;
  return elementwise([x], f);
}

export function clip(x: NDArray, lo: number, hi: number): NDArray {
  return elementwise([x], (v) => Math.min(Math.max(v, lo), hi));
}
