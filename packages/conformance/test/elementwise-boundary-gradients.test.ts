import {
  GradientTape, acos, acosh, asin, atan, atan2, atanh, divNoNan, elu, expm1, isFinite, isInf, isNaN, leakyRelu, prelu,
  reciprocal, relu6, selu, sinh, step, tensor, tidy, type Tensor,
} from '@perceptron/core';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';

// The gradients at the places central differences cannot judge (kinks, domain ends, a zero
// divisor), against TensorFlow's conventions; and the float checks' missing gradient.

/** SELU's scale, Klambauer et al. (2017): its slope at 0, where TensorFlow takes the linear branch. */
const SELU_SCALE = 1.0507009873554805;

/** d(Σ f(x₀, x₁…))/dxᵢ for each operand given as values. */
function gradients(f: (...xs: Tensor[]) => Tensor, ...operands: number[][]): number[][] {
  const xs = operands.map((v) => tensor(v));
  const tape = new GradientTape();
  xs.forEach((x) => tape.watch(x));
  const y = tape.record(() => f(...xs));
  return tape.gradient(y, xs).map(valuesOf);
}

forEachBackend('elementwise boundary gradients', (backend) => {
  const test = (title: string, body: () => void): void => backendIt(backend, title, () => tidy(body));

  test('divNoNan sends no gradient to either operand where the divisor is 0', () => {
    const [da, db] = gradients(divNoNan, [1, -2, 3], [0, 0, 2]);
    expect(da).toEqual([0, 0, 0.5]);
    expect(db).toEqual([0, 0, -0.75]);
  });

  test('atan2: b / (a² + b²) and −a / (a² + b²), NaN at the origin as in TensorFlow', () => {
    const [da, db] = gradients(atan2, [0, 1, 0], [0, 0, -2]);
    expect(da.map(Number.isNaN)).toEqual([true, false, false]);
    expect(db.map(Number.isNaN)).toEqual([true, false, false]);
    expect(da.slice(1)).toEqual([0, -0.5]);
    expect(db.slice(1)).toEqual([-1, -0]);
  });

  test('the kinks take the branch TensorFlow does', () => {
    expect(gradients((x) => leakyRelu(x, 0.2), [0, -1, 1])[0]).toEqual([Math.fround(0.2), Math.fround(0.2), 1]);
    expect(gradients(relu6, [0, 6, 3, -1, 7])[0]).toEqual([0, 0, 1, 0, 0]);
    expect(gradients(elu, [0])[0]).toEqual([1]);
    expect(gradients(selu, [0])[0]).toEqual([Math.fround(SELU_SCALE)]);
    const [dx, dAlpha] = gradients(prelu, [0, -2, 3], [0.25, 0.5, 0.75]);
    expect(dx).toEqual([0.25, 0.5, 1]);
    expect(dAlpha).toEqual([0, -2, 0]);
    expect(gradients((x) => step(x, 0.5), [0, -1, 2])[0]).toEqual([0, 0, 0]);
  });

  test('the domain ends give the infinite slopes of TensorFlow\'s formulas', () => {
    expect(gradients(asin, [1, -1])[0]).toEqual([Infinity, Infinity]);
    expect(gradients(acos, [1, -1])[0]).toEqual([-Infinity, -Infinity]);
    expect(gradients(atanh, [1, -1])[0]).toEqual([Infinity, Infinity]);
    expect(gradients(acosh, [1])[0]).toEqual([Infinity]);
    expect(gradients(reciprocal, [0])[0]).toEqual([-Infinity]);
    expect(gradients(expm1, [0])[0]).toEqual([1]);
  });

  test('second derivatives go through the gradients\' own ops', () => {
    const secondDerivative = (f: (x: Tensor) => Tensor, values: number[]): number[] => {
      const x = tensor(values);
      const outer = new GradientTape();
      outer.watch(x);
      const dx = outer.record(() => {
        const inner = new GradientTape();
        inner.watch(x);
        return inner.gradient(inner.record(() => f(x)), x)!;
      });
      return valuesOf(outer.gradient(dx, x));
    };
    expectClose(secondDerivative(atan, [1, 0.5]), [-0.5, -0.64]);
    expectClose(secondDerivative(sinh, [1, 0.5]), [Math.sinh(1), Math.sinh(0.5)]);
  });

  test('isNaN, isInf and isFinite answer bool and carry no gradient', () => {
    for (const check of [isNaN, isInf, isFinite]) {
      const x = tensor([NaN, Infinity, 1]);
      const tape = new GradientTape();
      tape.watch(x);
      const y = tape.record(() => check(x));
      expect(y.dtype).toBe('bool');
      expect(tape.gradient(y, x)).toBeNull();
    }
  });
});

reportTally('elementwise boundary gradients');
