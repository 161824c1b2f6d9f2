import { GradientTape, avgPool2d, maxPool2d, mul, square, sum, tensor, tidy, type Tensor } from '@perceptron/core';
import { avgPool2dBackprop, maxPool2dBackprop, ndarray, type PoolingSettings } from '../src/reference/index.js';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';
import { centralDifferences, draw, squaredNorm } from './support/second-order.js';

// Second derivatives through a pooling. With L = Σ w·pool(x), the inner tape gives dL/dx, which
// is the pooling's backprop op of w; the outer tape differentiates ‖dL/dx‖² through that op's
// own gradient: with respect to w (avgPool2d for the average; for the max, w read back at each
// window's pick), checked against central differences of the same norm on the float64 oracle;
// with respect to x, zero for the max (its picks stay put under small moves, as TensorFlow
// answers) and null for the average (its gradient does not depend on x at all).

const SETTINGS: PoolingSettings = { poolSize: [3, 3], strides: [2, 2], padding: 'same' };
const X_SHAPE = [2, 5, 6, 2];
const Y_SHAPE = [2, 3, 3, 2];

// Random floats tie with probability ~0, so every window has one maximum.
const [xValues, wValues] = [draw(X_SHAPE, 1), draw(Y_SHAPE, 2)];

const POOLS = {
  max: { op: maxPool2d, norm: (w: number[]) => squaredNorm(maxPool2dBackprop(ndarray(Y_SHAPE, w), ndarray(X_SHAPE, xValues), SETTINGS)) },
  average: { op: avgPool2d, norm: (w: number[]) => squaredNorm(avgPool2dBackprop(ndarray(Y_SHAPE, w), X_SHAPE, SETTINGS)) },
};

/** The gradients of ‖dL/dx‖² (L = Σ w·pool(x)) with respect to w and x, through two tapes. */
function secondOrder(pool: (x: Tensor, settings: PoolingSettings) => Tensor): [number[], number[] | null] {
  return tidy(() => {
    const x = tensor(xValues, X_SHAPE);
    const w = tensor(wValues, Y_SHAPE);
    const outer = new GradientTape();
    outer.watch([x, w]);
    const norm = outer.record(() => {
      const inner = new GradientTape();
      inner.watch(x);
      const loss = inner.record(() => sum(mul(pool(x, SETTINGS), w)));
      return sum(square(inner.gradient(loss, x) as Tensor));
    });
    const [dw, dx] = outer.gradient(norm, [w, x]);
    return [valuesOf(dw!), dx ? valuesOf(dx) : null];
  });
}

forEachBackend('pooling second order', (backend) => {
  for (const [name, { op, norm }] of Object.entries(POOLS)) {
    backendIt(backend, `${name} pooling: d/dw ‖dL/dx‖² (through its backprop op's gradient) matches central differences`, () => {
      expectClose(secondOrder(op)[0], centralDifferences(wValues, norm), 1e-4, 1e-4);
    });
  }

  backendIt(backend, 'd/dx ‖dL/dx‖² is zero through the max pooling\'s backprop, and null through the average\'s, which does not read x', () => {
    expect(secondOrder(maxPool2d)[1]).toEqual(new Array<number>(xValues.length).fill(0));
    expect(secondOrder(avgPool2d)[1]).toBeNull();
  });
});

reportTally('pooling-second-order');
