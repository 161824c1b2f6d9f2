import { describe, expect, it } from 'vitest';
import { backend, input } from './helpers.js';

describe('adamUpdate', () => {
  it('matches the float64 Keras 3 formula at step 2', () => {
    // x [1,-2], g [0.5,1], m [0.2,-0.1], v [0.01,0.04], lr 0.1, β 0.9/0.999, ε 1e-7, t = 2:
    // m' = [0.23, 0.01], v' = [0.01024, 0.04096], x' = [0.946515219, -2.001162713] (by hand).
    const t = (values: number[]) => input(values, [2]);
    const [x, m, v] = backend.adamUpdate(t([1, -2]), t([0.5, 1]), t([0.2, -0.1]), t([0.01, 0.04]), { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 2 });
    const close = (got: ArrayLike<number>, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
    close(x, [0.9465152186604135, -2.0011627132123198]);
    close(m, [0.23, 0.01]);
    close(v, [0.01024, 0.04096]);
  });
});
