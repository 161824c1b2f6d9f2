import { GradientTape, memory, mul, sum, tensor, tidy, variable, type Tensor } from '@perceptron/core';
import { expect, vi } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { valuesOf } from './support/values.js';

// tf.GradientTape records the gradient a persistent tape computes inside its own context, so one
// tape gives higher-order derivatives (nested tapes are the efficient route, tested in
// tape-semantics). Closed forms: y = Σx³, dy/dx = 3x², d²y/dx² = 6x, d³y/dx³ = 6.
// Every test runs in tidy and disposes its variables, on every backend.

const cube = (x: Tensor): Tensor => mul(mul(x, x), x);
const NON_PERSISTENT = 'A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)';

// The warning is given once per process, and vitest gives each test file its own module graph,
// so this file sees it exactly once however many backends it runs on. The warning test is the
// first test of each backend, so its run on the first backend is the file's first recorded
// playback: that run must see exactly one warning (and none from the non-recording and
// non-persistent cases before it). Its runs on later backends must see none at all, since the
// process has already warned: together, exactly one warning over the whole file. The "only when
// recording and persistent" checks are therefore only meaningful on the first backend; on the
// others they hold trivially, and what they check there is that the warning is not repeated.
let warningRuns = 0;

forEachBackend('recorded gradient of a persistent tape', (backend) => {
  const test = (title: string, body: () => void): void => backendIt(backend, title, () => tidy(body));

  test('warns once that it is less efficient, and only when the tape is recording and persistent', () => {
    const firstRun = warningRuns++ === 0;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const x = tensor(2);
      const oneUse = new GradientTape();
      oneUse.watch(x);
      oneUse.record(() => oneUse.gradient(cube(x), x));
      const outside = new GradientTape({ persistent: true });
      outside.watch(x);
      outside.gradient(outside.record(() => cube(x)), x);
      outside.dispose();
      expect(warn).not.toHaveBeenCalled();

      for (let i = 0; i < 2; i++) {
        const tape = new GradientTape({ persistent: true });
        tape.watch(x);
        tape.record(() => tape.gradient(cube(x), x));
        tape.dispose();
      }
      // Once in the file: on the first backend here, never again on the later ones.
      expect(warn).toHaveBeenCalledTimes(firstRun ? 1 : 0);
      if (firstRun) {
        expect(String(warn.mock.calls[0]![0])).toMatch(/^GradientTape\.gradient: .*persistent tape inside its own record\(\) is less efficient than nested tapes/);
      }
    } finally {
      warn.mockRestore();
    }
  });

  for (const secondCall of ['inside', 'after'] as const) {
    test(`Variable x = 3, y = x³: dy/dx = 27, then d²y/dx² = 18 from the same tape (second call ${secondCall} record)`, () => {
      const x = variable(3);
      tidy(() => {
        const tape = new GradientTape({ persistent: true });
        let d2ydx2: Tensor | null = null;
        const dydx = tape.record(() => {
          const dydx = tape.gradient(cube(x), x)!;
          if (secondCall === 'inside') d2ydx2 = tape.gradient(dydx, x);
          return dydx;
        });
        if (secondCall === 'after') d2ydx2 = tape.gradient(dydx, x);
        expect(valuesOf(dydx)).toEqual([3 * 3 ** 2]);
        expect(valuesOf(d2ydx2)).toEqual([6 * 3]);
        tape.dispose();
      });
      x.dispose();
    });
  }

  test('y = Σx³ on a watched vector: 3x², 6x inside record, and 6 from a third call after it', () => {
    const xs = [-1.5, 0.5, 2];
    const x = tensor(xs);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const [d1, d2] = tape.record(() => {
      const d1 = tape.gradient(sum(cube(x)), x)!;
      return [d1, tape.gradient(d1, x)!];
    });
    const d3 = tape.gradient(d2, x);
    expect(valuesOf(d1)).toEqual(xs.map((v) => 3 * v * v));
    expect(valuesOf(d2)).toEqual(xs.map((v) => 6 * v));
    expect(valuesOf(d3)).toEqual(xs.map(() => 6));
    tape.dispose();
  });

  test('leaks no tensor: the results outlive dispose() of the tape, and everything is freed after', () => {
    // memory() is read before and after on this backend, inside this test.
    const x = variable([0.5, -2]);
    const before = memory();
    const [d1, d2] = tidy(() => {
      const tape = new GradientTape({ persistent: true });
      const grads = tape.record(() => {
        const d1 = tape.gradient(sum(cube(x)), x)!;
        return [d1, tape.gradient(d1, x)!];
      });
      expect(memory().numTensors - before.numTensors).toBeGreaterThan(2);
      tape.dispose();
      return grads;
    });
    expect(memory().numTensors).toBe(before.numTensors + 2);
    expect(valuesOf(d1)).toEqual([3 * 0.25, 3 * 4]);
    expect(valuesOf(d2)).toEqual([6 * 0.5, 6 * -2]);
    d1.dispose();
    d2.dispose();
    expect(memory()).toEqual(before);
    x.dispose();
  });

  test('a non-persistent tape stays one-use inside its record(): its gradient is not recorded', () => {
    const x = variable(3);
    tidy(() => {
      const tape = new GradientTape();
      tape.record(() => {
        const dydx = tape.gradient(cube(x), x)!;
        expect(valuesOf(dydx)).toEqual([27]);
        expect(tape.isRecording).toBe(false);
        expect(() => tape.gradient(dydx, x)).toThrow(NON_PERSISTENT);
      });
    });
    x.dispose();
  });
});

reportTally('tape-recorded-gradient');
