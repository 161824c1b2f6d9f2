import { GradientTape, conv2d, depthwiseConv2d, mul, square, sum, tensor, tidy, type Conv2DSettings, type Tensor } from '@perceptron/core';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dOutputShape, ndarray, type Connection, type ConvolutionSettings } from '../src/reference/index.js';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';
import { centralDifferences, draw, squaredNorm } from './support/second-order.js';

// Second derivatives through a convolution, full and depthwise. Its gradients are the backward
// convolution ops, which an outer tape records and differentiates in turn (as the convolution
// and the other backward op). With L = Σ w·convolution(x, filter), the inner tape gives dL/dx and
// dL/dfilter; the outer one the gradient of their squared norms, checked against central
// differences of the same norms computed by the float64 oracle's backward convolutions.

const SETTINGS: ConvolutionSettings = { strides: [2, 1], padding: 'same', dilations: [1, 1] };
const X_SHAPE = [2, 5, 4, 2];
const FILTER_SHAPE = [3, 2, 2, 3];

const KINDS: { op: (x: Tensor, filter: Tensor, settings: Conv2DSettings) => Tensor; connection: Connection }[] = [
  { op: conv2d, connection: 'full' },
  { op: depthwiseConv2d, connection: 'depthwise' },
];

for (const { op: convolution, connection } of KINDS) {
  const Y_SHAPE = conv2dOutputShape(X_SHAPE, FILTER_SHAPE, SETTINGS, connection);
  const [xValues, filterValues, wValues] = [draw(X_SHAPE, 1), draw(FILTER_SHAPE, 2), draw(Y_SHAPE, 3)];

  /** The gradient with respect to `source` of ‖d L / d wrt‖², L = Σ w·convolution(x, filter), through two tapes. */
  function secondOrder(wrt: 'x' | 'filter', source: 'x' | 'filter'): number[] {
    return tidy(() => {
      const x = tensor(xValues, X_SHAPE);
      const filter = tensor(filterValues, FILTER_SHAPE);
      const w = tensor(wValues, Y_SHAPE);
      const outer = new GradientTape();
      outer.watch([x, filter]);
      const norm = outer.record(() => {
        const inner = new GradientTape();
        inner.watch([x, filter]);
        const loss = inner.record(() => sum(mul(convolution(x, filter, SETTINGS), w)));
        const [first] = inner.gradient(loss, [wrt === 'x' ? x : filter]) as [Tensor];
        return sum(square(first));
      });
      return valuesOf(outer.gradient(norm, source === 'x' ? x : filter));
    });
  }

  const oracle = (x: number[], filter: number[]) => ({
    // dL/dx and dL/dfilter of L = Σ w·convolution(x, filter) are the two backward convolutions of w.
    x: () => squaredNorm(conv2dBackpropInput(ndarray(Y_SHAPE, wValues), ndarray(FILTER_SHAPE, filter), X_SHAPE, SETTINGS, connection)),
    filter: () => squaredNorm(conv2dBackpropFilter(ndarray(X_SHAPE, x), ndarray(Y_SHAPE, wValues), FILTER_SHAPE, SETTINGS, connection)),
  });

  forEachBackend(`${convolution.name} second order`, (backend) => {
    backendIt(backend, `d/dfilter ‖dL/dx‖² (through ${convolution.name}BackpropInput's gradient) matches central differences`, () => {
      const want = centralDifferences(filterValues, (moved) => oracle(xValues, moved).x());
      expectClose(secondOrder('x', 'filter'), want, 1e-4, 1e-4);
    });

    backendIt(backend, `d/dx ‖dL/dfilter‖² (through ${convolution.name}BackpropFilter's gradient) matches central differences`, () => {
      const want = centralDifferences(xValues, (moved) => oracle(moved, filterValues).filter());
      expectClose(secondOrder('filter', 'x'), want, 1e-4, 1e-4);
    });

    backendIt(backend, '‖dL/dx‖² does not depend on x, nor ‖dL/dfilter‖² on the filter: the tape says so with null', () => {
      tidy(() => {
        const x = tensor(xValues, X_SHAPE);
        const filter = tensor(filterValues, FILTER_SHAPE);
        const outer = new GradientTape({ persistent: true });
        outer.watch([x, filter]);
        const [dxNorm, dFilterNorm] = outer.record(() => {
          const inner = new GradientTape();
          inner.watch([x, filter]);
          const loss = inner.record(() => sum(mul(convolution(x, filter, SETTINGS), tensor(wValues, Y_SHAPE))));
          const [dx, dFilter] = inner.gradient(loss, [x, filter]) as [Tensor, Tensor];
          return [sum(square(dx)), sum(square(dFilter))];
        });
        expect(outer.gradient(dxNorm!, x)).toBeNull();
        expect(outer.gradient(dFilterNorm!, filter)).toBeNull();
        outer.dispose();
      });
    });
  });
}

reportTally('convolution-second-order');
