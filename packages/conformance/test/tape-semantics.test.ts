import {
  GradientTape, add, div, exp, greater, log, mul, ones, relu, runOp, scalar, sigmoid, square, stopGradient, sub, sum,
  tanh, tensor, tidy, variable, where, zeros, type Tensor,
} from '@perceptron/core';
import { expect, vi } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';

// Each numbered case of gradient-tape-semantics.md, on every backend. Every test runs in tidy
// and disposes its variables, so the leak checks elsewhere start from a clean slate.

forEachBackend('tape semantics', (backend) => {
  const test = (title: string, body: () => void): void => backendIt(backend, title, () => tidy(body));

  test('1. lab: z = (Σx)² on ones(2,2) gives dz/dx = 8 everywhere and dz/dy = 8', () => {
    const x = ones([2, 2]);
    const tape = new GradientTape();
    tape.watch(x);
    let y!: Tensor;
    const z = tape.record(() => {
      y = sum(x);
      return mul(y, y);
    });
    expect(valuesOf(y)).toEqual([4]);
    expect(valuesOf(z)).toEqual([16]);
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(valuesOf(dx)).toEqual([8, 8, 8, 8]);
    expect(valuesOf(dy)).toEqual([8]);
  });

  for (const [x0, dy, dz] of [[3, 6, 108], [5, 10, 500]] as const) {
    test(`2. persistent tape at x = ${x0}: dy/dx = ${dy}, dz/dx = ${dz}`, () => {
      const x = scalar(x0);
      const tape = new GradientTape({ persistent: true });
      tape.watch(x);
      let y!: Tensor;
      const z = tape.record(() => {
        y = mul(x, x);
        return mul(y, y);
      });
      expect(valuesOf(tape.gradient(y, x))).toEqual([dy]);
      expect(valuesOf(tape.gradient(z, x))).toEqual([dz]);
      tape.dispose();
    });
  }

  test('3. a second gradient call on a non-persistent tape fails with TF\'s message', () => {
    const x = scalar(3);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.record(() => mul(x, x));
    expect(valuesOf(tape.gradient(y, x))).toEqual([6]);
    expect(() => tape.gradient(y, x)).toThrow('A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)');
  });

  test('4. lab: nested tapes on Variable x = 1, y = x³: dy/dx = 3, d²y/dx² = 6', () => {
    const x = variable(1);
    const outer = new GradientTape();
    const inner = new GradientTape();
    let dydx: Tensor | null = null;
    let d2ydx2: Tensor | null = null;
    outer.record(() => {
      const y = inner.record(() => mul(mul(x, x), x));
      dydx = inner.gradient(y, x);
      d2ydx2 = outer.gradient(dydx!, x);
    });
    expect(valuesOf(dydx)).toEqual([3]);
    expect(valuesOf(d2ydx2)).toEqual([6]);
    x.dispose();
  });

  test('4. nested tapes, outer gradient after the outer block: d²(Σx³)/dx² = 6x', () => {
    const x = tensor([-1.5, 0.5, 2]);
    const outer = new GradientTape();
    outer.watch(x);
    const dydx = outer.record(() => {
      const inner = new GradientTape();
      inner.watch(x);
      const y = inner.record(() => sum(mul(mul(x, x), x)));
      return inner.gradient(y, x)!;
    });
    expect(valuesOf(dydx)).toEqual([6.75, 0.75, 12]);
    expect(valuesOf(outer.gradient(dydx, x))).toEqual([-9, 3, 12]);
  });

  test('5. lab: a trainable=false Variable gets null (TF fails on None)', () => {
    const x = variable(1, { trainable: false });
    const inner = new GradientTape();
    const y = inner.record(() => mul(mul(x, x), x));
    expect(inner.gradient(y, x)).toBeNull();
    x.dispose();
  });

  test('5. constants and results like variable + 1 are not watched', () => {
    const v = variable(2);
    const c = scalar(3);
    const tape = new GradientTape();
    let w!: Tensor;
    const y = tape.record(() => {
      w = add(v, 1);
      return mul(mul(w, c), v);
    });
    // y = (v+1)·3·v: dy/dv = 3(2v+1) = 15; w and c were never watched as sources.
    const [dv, dc] = tape.gradient(y, [v, c]);
    expect(valuesOf(dv)).toEqual([15]);
    expect(dc).toBeNull();
    v.dispose();
  });

  test('6. watch() makes a constant a source; watchAccessedVariables: false watches only those', () => {
    const x0 = variable(0);
    const x1 = variable(10);
    const tape = new GradientTape({ watchAccessedVariables: false });
    tape.watch(x1);
    const y = tape.record(() => add(square(x0), log(add(exp(x1), 1))));
    const [d0, d1] = tape.gradient(y, [x0, x1]);
    expect(d0).toBeNull();
    expectClose(valuesOf(d1), [1 / (1 + Math.exp(-10))]);
    x0.dispose();
    x1.dispose();
  });

  test('7. an unconnected source gets null, or zeros with unconnectedGradients: zero', () => {
    const x = variable([1, 2]);
    const u = variable([[5, 6, 7]]);
    const tape = new GradientTape({ persistent: true });
    const y = tape.record(() => sum(square(x)));
    expect(tape.gradient(y, u)).toBeNull();
    const z = tape.gradient(y, u, { unconnectedGradients: 'zero' });
    expect(z!.shape).toEqual([1, 3]);
    expect(valuesOf(z)).toEqual([0, 0, 0]);
    tape.dispose();
    x.dispose();
    u.dispose();
  });

  test('7. a Variable only used in a condition gets null', () => {
    const x = variable(2);
    const tape = new GradientTape();
    const y = tape.record(() => where(greater(x, 0), scalar(1), scalar(-1)));
    expect(tape.gradient(y, x)).toBeNull();
    x.dispose();
  });

  test('7. a Variable replaced by a tensor (x = x + 1) is no longer a source', () => {
    const v = variable(2);
    let x: Tensor = v;
    const grads: (number[] | null)[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const tape = new GradientTape();
      const y = tape.record(() => add(x, 1));
      const g = tape.gradient(y, x);
      grads.push(g ? valuesOf(g) : null);
      x = add(x, 1);
    }
    expect(grads).toEqual([[1], null]);
    v.dispose();
  });

  test('7. values computed outside the framework carry no gradient', () => {
    const x = variable([1, 2]);
    const tape = new GradientTape();
    const y = tape.record(() => sum(tensor(Float32Array.from(x.dataSync(), (v) => v * v))));
    expect(tape.gradient(y, x)).toBeNull();
    x.dispose();
  });

  test('7. reads after an assign: the assigned value is not connected to its inputs', () => {
    const x0 = variable(3);
    const x1 = variable(0);
    const tape = new GradientTape();
    const y = tape.record(() => {
      x1.assign(add(x1, x0));
      return square(x1);
    });
    const [d0, d1] = tape.gradient(y, [x0, x1]);
    expect(d0).toBeNull();
    expect(valuesOf(d1)).toEqual([6]);
    x0.dispose();
    x1.dispose();
  });

  test('8. a non-scalar target means the gradient of its sum: x = 2, [x², 1/x] → 3.75; x·[3,4] → 7', () => {
    const x = scalar(2);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const [a, b, c] = tape.record(() => [mul(x, x), div(1, x), mul(x, tensor([3, 4]))]);
    expect(valuesOf(tape.gradient([a!, b!], x))).toEqual([3.75]);
    expect(valuesOf(tape.gradient(c!, x))).toEqual([7]);
    tape.dispose();
  });

  test('9. sources as a list and as a record come back in the same structure', () => {
    const w = variable([[1, 2], [3, 4]]);
    const b = variable([10, 20]);
    const x = tensor([[1, -1]]);
    const tape = new GradientTape({ persistent: true });
    const loss = tape.record(() => sum(add(mul(x, w), b)));
    const list = tape.gradient(loss, [w, b]);
    expect(list).toHaveLength(2);
    expect(valuesOf(list[0])).toEqual([1, -1, 1, -1]);
    expect(valuesOf(list[1])).toEqual([2, 2]);
    const record = tape.gradient(loss, { kernel: w, bias: b });
    expect(Object.keys(record)).toEqual(['kernel', 'bias']);
    expect(valuesOf(record.kernel)).toEqual([1, -1, 1, -1]);
    expect(valuesOf(record.bias)).toEqual([2, 2]);
    tape.dispose();
    w.dispose();
    b.dispose();
  });

  test('10. an int32 source warns "The dtype of the watched tensor must be floating" and gets null', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const n = tensor([1, 2], [2], 'int32');
      const tape = new GradientTape();
      tape.watch(n);
      const y = tape.record(() => sum(n));
      expect(tape.gradient(y, n)).toBeNull();
      expect(warn).toHaveBeenCalled();
      expect(warn.mock.calls.some((args) => String(args[0]).includes('The dtype of the watched tensor must be floating'))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  test('10. an int32 target warns and gives null', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const x = variable([1.5, 2.5]);
      const tape = new GradientTape();
      const y = tape.record(() => sum(tensor([1, 2], [2], 'int32')));
      expect(tape.gradient(y, x)).toBeNull();
      expect(warn.mock.calls.some((args) => String(args[0]).includes('must be floating'))).toBe(true);
      x.dispose();
    } finally {
      warn.mockRestore();
    }
  });

  test('11. an op with no registered gradient raises, naming the op', () => {
    const x = variable([1, 2]);
    const tape = new GradientTape();
    const y = tape.record(() => sum(runOp({
      name: 'opWithoutGradient', inputs: [x], shape: x.shape, dtype: 'float32', kernel: (b) => b.neg(x),
    })));
    expect(() => tape.gradient(y, x)).toThrow(/no gradient is registered for op 'opWithoutGradient'/);
    x.dispose();
  });

  test('12. stopRecording: ops inside are not recorded (dz/dx = 4, dz/dy = null)', () => {
    const x = scalar(2);
    const y = scalar(3);
    const tape = new GradientTape();
    tape.watch([x, y]);
    const z = tape.record(() => add(mul(x, x), tape.stopRecording(() => mul(y, y))));
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(valuesOf(dx)).toEqual([4]);
    expect(dy).toBeNull();
  });

  test('12. reset() forgets what was recorded', () => {
    const x = variable(2);
    const y = variable(3);
    const tape = new GradientTape();
    const z = tape.record(() => {
      const ySquared = mul(y, y);
      tape.reset();
      return add(mul(x, x), ySquared);
    });
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(valuesOf(dx)).toEqual([4]);
    expect(dy).toBeNull();
    x.dispose();
    y.dispose();
  });

  test('12. stopGradient(y²) blocks the path (dz/dy = null)', () => {
    const x = scalar(2);
    const y = scalar(3);
    const tape = new GradientTape();
    tape.watch([x, y]);
    const z = tape.record(() => add(mul(x, x), stopGradient(mul(y, y))));
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(valuesOf(dx)).toEqual([4]);
    expect(dy).toBeNull();
  });

  test('13. two tapes recording at once, each watching its own input, are independent', () => {
    // TF's example uses sin; cos(0) = 1 is tanh'(0) as well.
    const x0 = scalar(0);
    const x1 = scalar(0);
    const tape0 = new GradientTape();
    const tape1 = new GradientTape();
    tape0.watch(x0);
    tape1.watch(x1);
    const ys = tape0.record(() => tape1.record(() => sum(add(tanh(x0), sigmoid(x1)))));
    const g0 = tape0.gradient(ys, [x0, x1]);
    const g1 = tape1.gradient(ys, [x0, x1]);
    expect(valuesOf(g0[0])).toEqual([1]);
    expect(g0[1]).toBeNull();
    expect(g1[0]).toBeNull();
    expect(valuesOf(g1[1])).toEqual([0.25]);
  });

  test('14. relu\'(0) = 0, relu\'(±1) = 1 / 0', () => {
    const x = tensor([0, 1, -1]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.record(() => sum(relu(x)));
    expect(valuesOf(tape.gradient(y, x))).toEqual([0, 1, 0]);
  });

  test('15. TF\'s linear model: W = 5, b = 0 → model(3) = 15; ten epochs of assignSub approach W = 3, b = 2', () => {
    const W = variable(5);
    const b = variable(0);
    const model = (x: Tensor): Tensor => add(mul(W, x), b);
    expect(valuesOf(model(scalar(3)))).toEqual([15]);

    // Data from W = 3, b = 2; inputs a fixed spread with mean 0 and mean square 1.
    const xs = Array.from({ length: 20 }, (_, i) => Math.fround((i - 9.5) / 5.766281297335398));
    const x = tensor(xs);
    const y = add(mul(x, 3), 2);
    const learningRate = 0.1;
    const losses: number[] = [];
    let [w64, b64] = [5, 0];
    for (let epoch = 0; epoch < 10; epoch++) {
      tidy(() => {
        const tape = new GradientTape();
        const loss = tape.record(() => sum(div(square(sub(model(x), y)), xs.length)));
        losses.push(valuesOf(loss)[0]!);
        const [dW, db] = tape.gradient(loss, [W, b]);
        W.assign(sub(W, mul(dW!, learningRate)));
        b.assign(sub(b, mul(db!, learningRate)));
      });
      // The same gradient descent in float64.
      const r = xs.map((v) => w64 * v + b64 - (3 * v + 2));
      const gW = (2 / xs.length) * r.reduce((s, ri, i) => s + ri * xs[i]!, 0);
      const gb = (2 / xs.length) * r.reduce((s, ri) => s + ri, 0);
      [w64, b64] = [w64 - learningRate * gW, b64 - learningRate * gb];
    }
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]!);
    expectClose(valuesOf(W), [w64], 1e-5);
    expectClose(valuesOf(b), [b64], 1e-5, 1e-6);
    expect(Math.abs(w64 - 3)).toBeLessThan(0.25);
    expect(Math.abs(b64 - 2)).toBeLessThan(0.25);
    W.dispose();
    b.dispose();
  });

  // Second order against closed forms, through nested tapes.
  const secondOrder: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
    ['x³', (x) => mul(mul(x, x), x), (x) => 6 * x],
    ['exp', exp, Math.exp],
    ['log', log, (x) => -1 / (x * x)],
    ['tanh', tanh, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ['sigmoid', sigmoid, (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s) * (1 - 2 * s);
    }],
  ];
  for (const [name, f, second] of secondOrder) {
    test(`second derivative of ${name} matches its closed form`, () => {
      const points = [0.3, 0.9, 1.7];
      const x = tensor(points);
      const outer = new GradientTape();
      outer.watch(x);
      const first = outer.record(() => {
        const inner = new GradientTape();
        inner.watch(x);
        const y = inner.record(() => sum(f(x)));
        return inner.gradient(y, x)!;
      });
      expectClose(valuesOf(outer.gradient(first, x)), points.map((p) => second(Math.fround(p))), 1e-5, 1e-6);
    });
  }

  test('each source gets its own gradient tensor, even where two share one value', () => {
    const a = tensor([1]);
    const b = tensor([2]);
    const tape = new GradientTape({ persistent: true });
    tape.watch([a, b]);
    const y = tape.record(() => add(a, b));
    const [ga, gb] = tape.gradient(y, [a, b]);
    expect(ga).not.toBe(gb);
    ga!.dispose();
    expect(Array.from(gb!.dataSync())).toEqual([1]);
    const [first, again] = tape.gradient(y, [a, a]);
    first!.dispose();
    expect(Array.from(again!.dataSync())).toEqual([1]);
    tape.dispose();
  });

  test('a zero-filled Variable still gets a gradient of the right shape', () => {
    const v = variable(zeros([2, 3]));
    const tape = new GradientTape();
    const y = tape.record(() => sum(mul(v, 2)));
    const g = tape.gradient(y, v);
    expect(g!.shape).toEqual([2, 3]);
    expect(valuesOf(g)).toEqual([2, 2, 2, 2, 2, 2]);
    v.dispose();
  });
});

reportTally('tape-semantics');
