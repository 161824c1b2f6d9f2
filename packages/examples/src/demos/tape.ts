import { GradientTape, mul, ones, scalar, sum, tidy, variable, type Tensor } from '@perceptron/core';
import { asInt, type Print } from './print.js';

function value(t: Tensor): number {
  return t.dataSync()[0]!;
}

/** Slide 66: y = sum(x) over a 2×2 of ones, z = y²; dz/dx = 2y = 8 everywhere. */
function watchedInput(print: Print): void {
  tidy(() => {
    const x = ones([2, 2]);
    print(x.toString());
    const t = new GradientTape();
    const z = t.record(() => {
      t.watch(x); // x is a plain tensor, not a Variable: watch it explicitly
      const y = sum(x);
      print(y.toString());
      const z = mul(y, y);
      print(z.toString());
      return z;
    });
    const dzDx = t.gradient(z, x)!;
    print(dzDx.toString());
    const rows = dzDx.arraySync() as number[][];
    for (const i of [0, 1]) for (const j of [0, 1]) print(`dz_dx = ${asInt(rows[i]![j]!)}`);
  });
}

/** Slide 67: a persistent tape answers several gradient calls: d(x²)/dx = 10, d(x⁴)/dx = 500 at x = 5. */
function persistentTape(print: Print): void {
  tidy(() => {
    const x = scalar(5);
    const t = new GradientTape({ persistent: true });
    const [y, z] = t.record(() => {
      t.watch(x);
      const y = mul(x, x);
      return [y, mul(y, y)] as const;
    });
    print(`dy_dx = ${asInt(value(t.gradient(y, x)!))}`);
    print(`dz_dx = ${asInt(value(t.gradient(z, x)!))}`);
    t.dispose(); // the lab's `del t`: release what the persistent tape kept
  });
}

/**
 * Slides 68–69: nested tapes give d²y/dx² of y = x³ at x = 1. The inner gradient is taken
 * while the outer tape still records, so the gradient computation itself is differentiable.
 */
function nestedTapes(print: Print, trainable: boolean): void {
  const x = variable(1, { trainable, name: 'x' });
  try {
    tidy(() => {
      print(x.toString());
      const outer = new GradientTape();
      const inner = new GradientTape();
      const dyDx = outer.record(() => {
        const y = inner.record(() => mul(mul(x, x), x));
        return inner.gradient(y, x);
      });
      if (dyDx === null) {
        print('dy_dx = null');
        print(
          'x is a Variable created with trainable: false, so neither tape watched it and there is no gradient with respect to it.',
        );
        print(
          "TensorFlow fails at this point (AttributeError: 'NoneType' object has no attribute 'dtype'); Perceptron returns null instead.",
        );
        print('Make it trainable, or call tape.watch(x) inside each tape, to get dy_dx = 3 and d2y_dx2 = 6.');
        return;
      }
      const d2yDx2 = outer.gradient(dyDx, x)!;
      print(`dy_dx = ${asInt(value(dyDx))}`);
      print(`d2y_dx2 = ${asInt(value(d2yDx2))}`);
    });
  } finally {
    x.dispose();
  }
}

/** The lab's GradientTape slides, printing the same numbers. Needs an active backend. */
export function runTapeDemo(print: Print): void {
  print('--- Gradient tape: watching an input tensor ---');
  watchedInput(print);
  print('');
  print('--- Persistent gradient tape ---');
  persistentTape(print);
  print('');
  print('--- Higher-order derivatives with nested tapes ---');
  nestedTapes(print, true);
  print('');
  print('--- The same with a non-trainable Variable ---');
  nestedTapes(print, false);
}
