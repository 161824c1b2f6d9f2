import { roundHalfToEven, type KernelTensor, type UnaryKernelName } from '@perceptron/core';
import type { Float32Source } from './array-pool.js';
import type { TranscendentalName } from './kernels/transcendental.js';

type Loop = (x: Float32Array, out: Float32Array) => void;

/** The unary kernels computed here; sigmoid and tanh run in the wasm kernel (kernels/transcendental.ts). */
export type JsUnaryName = Exclude<UnaryKernelName, TranscendentalName>;

/*
 * The naive kernels' functions, each in its own loop: the naive kernel calls one of its
 * functions from one shared loop, a call site V8 cannot inline, which made it 3–5× slower on
 * the lab's arrays. Values are the naive kernels' exactly (same float64 function, one rounding
 * on the store). Sigmoid and tanh run in a wasm kernel instead, within an ulp of the naive
 * values (SimdBackend.sigmoid says why).
 */
const LOOPS: Record<JsUnaryName, Loop> = {
  neg: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = -x[i]!; },
  abs: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!); },
  sign: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]!); },
  exp: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!); },
  log: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!); },
  sqrt: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!); },
  square: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!; },
  relu: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.max(0, x[i]!); },
  sin: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.sin(x[i]!); },
  cos: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.cos(x[i]!); },
  floor: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.floor(x[i]!); },
  ceil: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.ceil(x[i]!); },
  round: (x, out) => { for (let i = 0; i < x.length; i++) out[i] = roundHalfToEven(x[i]!); },
};

/** The float32 result of unary kernel `name`, or null for other dtypes. */
export function unary(name: JsUnaryName, x: KernelTensor, float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32') return null;
  const values = x.handle as Float32Array;
  const out = float32(values.length);
  LOOPS[name](values, out);
  return out;
}
