import type { NaiveHandle, NaiveTensor } from './storage.js';

export interface AdamAttributes { lr: number; beta1: number; beta2: number; epsilon: number; step: number }

/**
 * One Adam step over every element in a single pass (Keras 3's formula), instead of the nine
 * elementwise ops core would otherwise run:
 *   m ← m + (g − m)(1 − β1),  v ← v + (g² − v)(1 − β2),
 *   variable ← variable − α·m / (√v + ε)  with  α = lr·√(1 − β2^t) / (1 − β1^t).
 */
export function adamUpdate(variable: NaiveTensor, gradient: NaiveTensor, m: NaiveTensor, v: NaiveTensor, attrs: AdamAttributes): [NaiveHandle, NaiveHandle, NaiveHandle] {
  const { lr, beta1, beta2, epsilon, step } = attrs;
  const alpha = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
  const x = variable.handle as Float32Array;
  const g = gradient.handle as Float32Array;
  const m0 = m.handle as Float32Array;
  const v0 = v.handle as Float32Array;
  const next = new Float32Array(x.length);
  const nextM = new Float32Array(x.length);
  const nextV = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    // Each value is rounded to float32 where core's composite path would round it too.
    nextM[i] = m0[i]! + (g[i]! - m0[i]!) * (1 - beta1);
    nextV[i] = v0[i]! + (g[i]! * g[i]! - v0[i]!) * (1 - beta2);
    next[i] = x[i]! - (alpha * nextM[i]!) / (Math.sqrt(nextV[i]!) + epsilon);
  }
  return [next, nextM, nextV];
}
