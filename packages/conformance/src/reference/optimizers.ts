import type { NDArray } from './ndarray.js';

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam (Keras 3 formula) from zero moments, one step per gradient; returns the variable. */
export function adam(x: NDArray, gradients: readonly NDArray[], s: AdamSettings): NDArray {
  const value = x.data.slice();
  const m = new Float64Array(value.length);
  const v = new Float64Array(value.length);
  gradients.forEach((g, step) => {
    const t = step + 1;
    const alpha = (s.lr * Math.sqrt(1 - s.beta2 ** t)) / (1 - s.beta1 ** t);
    for (let i = 0; i < value.length; i++) {
      const gi = g.data[i]!;
      m[i] = m[i]! + (gi - m[i]!) * (1 - s.beta1);
      v[i] = v[i]! + (gi * gi - v[i]!) * (1 - s.beta2);
      value[i] = value[i]! - (alpha * m[i]!) / (Math.sqrt(v[i]!) + s.epsilon);
    }
  });
  return { shape: [...x.shape], data: value };
}
