import {
  BinaryCrossentropy, binaryCrossentropy, CategoricalCrossentropy, categoricalCrossentropy, dense, getLoss,
  GradientTape, Loss, MeanAbsoluteError, meanAbsoluteError, MeanSquaredError, meanSquaredError, memory,
  RootMeanSquaredError, rootMeanSquaredError, setBackend, softmax, SparseCategoricalCrossentropy,
  sparseCategoricalCrossentropy, tensor, tidy, traceOps, variable, type Tensor,
} from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, expectClose } from './training-api-helpers.js';

// Float64 references. Values are [batch, classes] row-major; every loss is the mean over the
// batch of a per-sample value, so d(loss)/d(yPred) carries a 1/batch (and 1/classes for the
// elementwise losses, which average over the last axis).

const EPS = 1e-7;
const rows = (v: number[], c: number): number[][] => Array.from({ length: v.length / c }, (_, i) => v.slice(i * c, i * c + c));
const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);

function softmaxRow(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Runs `loss(yTrue, p)` under a tape watching p; returns the value and d/dp as float64 arrays. */
function valueAndGradient(yPred: number[], shape: number[], loss: (p: Tensor) => Tensor): { value: number; grad: number[] } {
  return tidy(() => {
    const p = variable(tensor(yPred, shape));
    const tape = new GradientTape();
    const value = tape.record(() => loss(p));
    const grad = tape.gradient(value, [p])[0]!;
    const out = { value: value.dataSync()[0]!, grad: Array.from(grad.dataSync()) };
    p.dispose();
    return out;
  });
}

for (const backend of BACKENDS) {
  describe(`losses on ${backend}`, () => {
    beforeEach(async () => {
      await setBackend(backend);
    });

    it("reproduces the lab's MAE / MSE / RMSE tables", () => {
      for (const [errors, mae, mse, rmse] of [[[1, 1, 3, 3], 2, 5, Math.sqrt(5)], [[0, 0, 0, 10], 2.5, 25, 5]] as const) {
        tidy(() => {
          const yTrue = tensor([[0], [0], [0], [0]]);
          const yPred = tensor(errors.map((e) => [e]));
          expectClose(new MeanAbsoluteError().call(yTrue, yPred).dataSync(), [mae]);
          expectClose(new MeanSquaredError().call(yTrue, yPred).dataSync(), [mse]);
          expectClose(new RootMeanSquaredError().call(yTrue, yPred).dataSync(), [rmse]);
        });
      }
      expect(Math.round(Math.sqrt(5) * 100) / 100).toBe(2.24);
    });

    const yTrueReg = [0.5, -1, 2, 0, 1.5, 3];
    const yPredReg = [1, -1.5, 2.5, 0.25, 0.5, 1];
    const n = yTrueReg.length;
    const diff = yPredReg.map((p, i) => p - yTrueReg[i]!);

    it('MAE, MSE, RMSE values and gradients match float64 closed forms', () => {
      const mae = valueAndGradient(yPredReg, [3, 2], (p) => new MeanAbsoluteError().call(tensor(yTrueReg, [3, 2]), p));
      expectClose([mae.value], [meanOf(diff.map(Math.abs))]);
      expectClose(mae.grad, diff.map((d) => Math.sign(d) / n));

      const mse = valueAndGradient(yPredReg, [3, 2], (p) => new MeanSquaredError().call(tensor(yTrueReg, [3, 2]), p));
      const mseValue = meanOf(diff.map((d) => d * d));
      expectClose([mse.value], [mseValue]);
      expectClose(mse.grad, diff.map((d) => (2 * d) / n));

      const rmse = valueAndGradient(yPredReg, [3, 2], (p) => new RootMeanSquaredError().call(tensor(yTrueReg, [3, 2]), p));
      expectClose([rmse.value], [Math.sqrt(mseValue)]);
      expectClose(rmse.grad, diff.map((d) => d / (n * Math.sqrt(mseValue))));
    });

    it('RMSE has a zero (not NaN) gradient when every prediction is exact', () => {
      const exact = valueAndGradient([1, 2, 3], [3, 1], (p) => new RootMeanSquaredError().call(tensor([[1], [2], [3]]), p));
      expect(exact.value).toBe(0);
      expect(exact.grad).toEqual([0, 0, 0]);
    });

    it('function forms return one loss per sample, as Keras functions', () => {
      tidy(() => {
        const t = tensor(yTrueReg, [3, 2]);
        const p = tensor(yPredReg, [3, 2]);
        const perSample = (f: (d: number[]) => number): number[] => rows(diff, 2).map(f);
        expect(meanSquaredError(t, p).shape).toEqual([3]);
        expectClose(meanSquaredError(t, p).dataSync(), perSample((r) => meanOf(r.map((d) => d * d))));
        expectClose(meanAbsoluteError(t, p).dataSync(), perSample((r) => meanOf(r.map(Math.abs))));
        expectClose(rootMeanSquaredError(t, p).dataSync(), perSample((r) => Math.sqrt(meanOf(r.map((d) => d * d)))));
      });
    });

    const labels01 = [1, 0, 1, 1, 0, 0];

    it('binary cross-entropy on probabilities: clipped log loss and its gradient', () => {
      const probs = [0.9, 0.2, 0.35, 0.6, 0.01, 0.75];
      const r = valueAndGradient(probs, [3, 2], (p) => new BinaryCrossentropy().call(tensor(labels01, [3, 2]), p));
      expectClose([r.value], [meanOf(probs.map((p, i) => -(labels01[i]! * Math.log(p) + (1 - labels01[i]!) * Math.log(1 - p))))], 1e-5);
      expectClose(r.grad, probs.map((p, i) => ((p - labels01[i]!) / (p * (1 - p))) / n), 1e-5);
    });

    it('binary cross-entropy clips probabilities 0 and 1 to [1e-7, 1 - 1e-7]', () => {
      tidy(() => {
        const value = new BinaryCrossentropy().call(tensor([[1], [0]]), tensor([[0], [1]])).dataSync()[0]!;
        // The bounds as float32 holds them: 1 − 1e-7 rounds to 1 − 1.19e-7.
        const low = Math.fround(1e-7);
        const high = Math.fround(1 - 1e-7);
        expectClose([value], [(-Math.log(low) - Math.log(1 - high)) / 2], 1e-4);
      });
    });

    it('binary cross-entropy from logits is stable for large |x| and exact at x = 0', () => {
      const logits = [0, 0, 60, -75, 2.5, -1];
      const r = valueAndGradient(logits, [3, 2], (p) => new BinaryCrossentropy({ fromLogits: true }).call(tensor(labels01, [3, 2]), p));
      const perElement = logits.map((x, i) => Math.max(x, 0) - x * labels01[i]! + Math.log1p(Math.exp(-Math.abs(x))));
      expectClose([r.value], [meanOf(perElement)], 1e-6);
      expectClose(r.grad, logits.map((x, i) => (sigmoid(x) - labels01[i]!) / n), 1e-6, 1e-8);
    });

    it('binary cross-entropy from logits keeps the tail of a confident right answer (log1p, not log(1 + ·))', () => {
      for (const x of [10, 20, 40]) {
        const loss = new BinaryCrossentropy({ fromLogits: true }).call(tensor([[1]]), tensor([[x]]));
        expectClose(loss.dataSync(), [Math.log1p(Math.exp(-x))], 1e-6, 0);
        loss.dispose();
      }
    });

    const oneHot = [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    const sparse = [2, 0, 3];

    it('categorical cross-entropy on probabilities rescales rows to sum 1 first', () => {
      const probs = [0.1, 0.2, 0.6, 0.1, 0.5, 0.3, 0.1, 0.3, 0.25, 0.25, 0.25, 0.05]; // last row sums to 0.8
      const r = valueAndGradient(probs, [3, 4], (p) => new CategoricalCrossentropy().call(tensor(oneHot, [3, 4]), p));
      const probRows = rows(probs, 4);
      const yRows = rows(oneHot, 4);
      const sums = probRows.map((row) => row.reduce((a, b) => a + b, 0));
      expectClose([r.value], [meanOf(probRows.map((row, i) => -row.reduce((acc, p, j) => acc + yRows[i]![j]! * Math.log(p / sums[i]!), 0)))], 1e-6);
      // d/dp_j of −Σ_k y_k (log p_k − log s) = −y_j/p_j + Σ_k y_k / s
      expectClose(r.grad, probRows.flatMap((row, i) => row.map((p, j) => (-yRows[i]![j]! / p + 1 / sums[i]!) / 3)), 1e-5);
    });

    it('categorical and sparse categorical cross-entropy from logits: stable for huge logits, gradient softmax − y', () => {
      const logits = [1, 2, 3, 0.5, 1000, -1000, 0, 1, -2, 0, 2, 4];
      const probs = rows(logits, 4).map(softmaxRow);
      const logProbs = rows(logits, 4).map((row) => {
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
        return row.map((v) => v - lse);
      });
      const expectedValue = meanOf(sparse.map((c, i) => -logProbs[i]![c]!));
      const expectedGrad = probs.flatMap((row, i) => row.map((p, j) => (p - (j === sparse[i] ? 1 : 0)) / 3));

      const dense1 = valueAndGradient(logits, [3, 4], (p) => new CategoricalCrossentropy({ fromLogits: true }).call(tensor(oneHot, [3, 4]), p));
      expectClose([dense1.value], [expectedValue], 1e-6);
      expectClose(dense1.grad, expectedGrad, 1e-5, 1e-8);

      const sparseInt = valueAndGradient(logits, [3, 4], (p) => new SparseCategoricalCrossentropy({ fromLogits: true }).call(tensor(sparse, [3], 'int32'), p));
      expectClose([sparseInt.value], [expectedValue], 1e-6);
      expectClose(sparseInt.grad, expectedGrad, 1e-5, 1e-8);

      const sparseFloat = valueAndGradient(logits, [3, 4], (p) => new SparseCategoricalCrossentropy({ fromLogits: true }).call(tensor(sparse.map((c) => [c])), p));
      expectClose([sparseFloat.value], [expectedValue], 1e-6);
    });

    it('cross-entropy from logits is one softmaxCrossEntropyWithLogits op, its gradient the closed form', () => {
      const logits = variable(tensor([1, 2, 3, 0.5, 0, 1], [2, 3]));
      const tape = new GradientTape();
      const names: string[] = [];
      traceOps(() => {
        const loss = tape.record(() => new CategoricalCrossentropy({ fromLogits: true }).call(tensor([0, 0, 1, 1, 0, 0], [2, 3]), logits));
        tape.gradient(loss, [logits]);
      }, (op) => names.push(op.name));
      // The backward pass computes softmax·Σy − y directly: no logSoftmax and its gradient.
      expect(names.filter((name) => name === 'softmaxCrossEntropyWithLogits')).toHaveLength(1);
      expect(names).not.toContain('logSoftmax');
      expect(names).toContain('softmax');
      logits.dispose();
    });

    it('sparse categorical cross-entropy on probabilities, with a zero probability clipped to 1e-7', () => {
      const probs = [0.1, 0.2, 0.6, 0.1, 0.5, 0.3, 0.1, 0.1, 0.5, 0.5, 0, 0];
      const r = valueAndGradient(probs, [3, 4], (p) => new SparseCategoricalCrossentropy().call(tensor(sparse, [3], 'int32'), p));
      const picked = sparse.map((c, i) => clip(probs[i * 4 + c]!));
      expectClose([r.value], [meanOf(picked.map((p) => -Math.log(p)))], 1e-5);
      // −1/p_j·[j = label] + 1/s (s = 1 here) over the batch; a row whose labelled probability is
      // clipped gets no gradient at all, since its loss no longer depends on the row.
      const expectedGrad = rows(probs, 4).flatMap((row, i) => row.map((p, j) => {
        if (row[sparse[i]!]! < EPS) return 0;
        return (-(j === sparse[i] ? 1 : 0) / p + 1) / 3;
      }));
      expectClose(r.grad, expectedGrad, 1e-5);
    });

    it('sample weights: sum(loss · w) / batch', () => {
      tidy(() => {
        const t = tensor(yTrueReg, [3, 2]);
        const p = tensor(yPredReg, [3, 2]);
        const perSample = rows(diff, 2).map((r) => meanOf(r.map((d) => d * d)));
        const w = [1, 0, 2];
        const expected = [perSample.reduce((a, l, i) => a + l * w[i]!, 0) / 3];
        expectClose(new MeanSquaredError().call(t, p, tensor(w)).dataSync(), expected);
        // A weight per sample given as a column [batch, 1] means the same, as in Keras.
        expectClose(new MeanSquaredError().call(t, p, tensor(w, [3, 1])).dataSync(), expected);
        expect(() => new MeanSquaredError().call(t, p, tensor([1, 2], [2, 1])))
          .toThrow('mean_squared_error: sampleWeight [2,1] does not fit the per-sample losses [3]; expected [3], a trailing 1 more, or a shape that broadcasts to it');
      });
    });

    it('rejects bad sparse labels naming the value and its position', () => {
      tidy(() => {
        const logits = tensor(new Array(12).fill(0), [3, 4]);
        const loss = new SparseCategoricalCrossentropy({ fromLogits: true });
        expect(() => loss.call(tensor([0, 1, 4], [3], 'int32'), logits)).toThrow(/label 4 at position 2 is outside \[0, 4\)/);
        expect(() => loss.call(tensor([-1, 1, 2], [3], 'int32'), logits)).toThrow(/label -1 at position 0 is outside \[0, 4\)/);
        expect(() => loss.call(tensor([0, 1.5, 2]), logits)).toThrow(/label 1.5 at position 1 is not an integer/);
        expect(() => loss.call(tensor([0, 1], [2], 'int32'), logits)).toThrow(/expected labels of shape \[3\] or \[3,1\] .*got \[2\]/);
        expect(() => sparseCategoricalCrossentropy(tensor([[0, 1, 2]]), logits)).toThrow(/got \[1,3\]/);
      });
    });

    it('rejects mismatched shapes naming both', () => {
      tidy(() => {
        expect(() => new MeanSquaredError().call(tensor([[1, 2]]), tensor([[1, 2, 3]]))).toThrow(/yTrue \[1,2\] and yPred \[1,3\]/);
        expect(() => categoricalCrossentropy(tensor([[1, 0]]), tensor([[0.5, 0.25, 0.25]]))).toThrow(/categoricalCrossentropy/);
      });
    });

    it('accepts labels [batch] against predictions [batch, 1]', () => {
      tidy(() => {
        expectClose(new MeanSquaredError().call(tensor([1, 2]), tensor([[2], [4]])).dataSync(), [2.5]);
        expectClose(binaryCrossentropy(tensor([1, 0]), tensor([[0.5], [0.5]])).dataSync(), [Math.log(2), Math.log(2)]);
      });
    });

    it('works through the fused dense and softmax ops: dL/dW = xᵀ(p − y)/batch', () => {
      const x = [[1, 2], [-1, 0.5], [0.3, -0.7]];
      const w0 = [[0.1, -0.2, 0.3], [0.05, 0.2, -0.1]];
      const b0 = [0.01, 0, -0.02];
      const labels = [2, 0, 1];
      const z = x.map((row) => w0[0]!.map((_, j) => row[0]! * w0[0]![j]! + row[1]! * w0[1]![j]! + b0[j]!));
      const p = z.map(softmaxRow);
      const dz = p.map((row, i) => row.map((v, j) => (v - (j === labels[i] ? 1 : 0)) / 3));
      const expectedDW = [0, 1].flatMap((k) => [0, 1, 2].map((j) => x.reduce((acc, row, i) => acc + row[k]! * dz[i]![j]!, 0)));
      const expectedLoss = meanOf(p.map((row, i) => -Math.log(row[labels[i]!]!)));

      for (const fromLogits of [false, true]) {
        const w = variable(tensor(w0));
        const b = variable(tensor(b0));
        const before = memory().numTensors;
        tidy(() => {
          const tape = new GradientTape();
          const loss = tape.record(() => {
            const logits = dense(tensor(x), w, b);
            const yPred = fromLogits ? logits : softmax(logits);
            return new SparseCategoricalCrossentropy({ fromLogits }).call(tensor(labels, [3], 'int32'), yPred);
          });
          const [dW] = tape.gradient(loss, [w, b]);
          expectClose(loss.dataSync(), [expectedLoss], 1e-6);
          expectClose(dW!.dataSync(), expectedDW, 1e-5, 1e-7);
        });
        expect(memory().numTensors).toBe(before);
        w.dispose();
        b.dispose();
      }
    });

    it('leaks nothing: a loss and its gradient inside tidy leave memory().numTensors unchanged', () => {
      const p = variable(tensor([[0.2, 0.8], [0.6, 0.4]]));
      const before = memory().numTensors;
      for (const loss of [new CategoricalCrossentropy(), new BinaryCrossentropy({ fromLogits: true }), new RootMeanSquaredError(), new MeanAbsoluteError()]) {
        tidy(() => {
          const tape = new GradientTape();
          const value = tape.record(() => loss.call(tensor([[0, 1], [1, 0]]), p));
          tape.gradient(value, [p]);
        });
      }
      // Outside tidy, only the returned scalar is left.
      const value = new SparseCategoricalCrossentropy().call([1, 0], p);
      expect(memory().numTensors).toBe(before + 1);
      value.dispose();
      expect(memory().numTensors).toBe(before);
      p.dispose();
    });
  });
}

describe('loss names, configs and getLoss', () => {
  it('carry the Keras names and configs', () => {
    const cases: [Loss, string][] = [
      [new MeanAbsoluteError(), 'mean_absolute_error'], [new MeanSquaredError(), 'mean_squared_error'],
      [new RootMeanSquaredError(), 'root_mean_squared_error'], [new BinaryCrossentropy(), 'binary_crossentropy'],
      [new CategoricalCrossentropy(), 'categorical_crossentropy'], [new SparseCategoricalCrossentropy(), 'sparse_categorical_crossentropy'],
    ];
    for (const [loss, name] of cases) expect(loss.name).toBe(name);
    expect(new SparseCategoricalCrossentropy({ fromLogits: true }).getConfig()).toEqual({ name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', fromLogits: true });
    expect(new MeanSquaredError({ name: 'l2' }).getConfig()).toEqual({ name: 'l2', reduction: 'sum_over_batch_size' });
  });

  it('getLoss accepts camelCase, snake_case, class and short names, and instances', () => {
    const cases: [string, abstract new (...args: never[]) => Loss][] = [
      ['mse', MeanSquaredError], ['MSE', MeanSquaredError], ['mean_squared_error', MeanSquaredError], ['meanSquaredError', MeanSquaredError],
      ['mae', MeanAbsoluteError], ['mean_absolute_error', MeanAbsoluteError], ['rmse', RootMeanSquaredError],
      ['root_mean_squared_error', RootMeanSquaredError], ['binary_crossentropy', BinaryCrossentropy], ['binaryCrossentropy', BinaryCrossentropy],
      ['categorical_crossentropy', CategoricalCrossentropy], ['sparse_categorical_crossentropy', SparseCategoricalCrossentropy],
      ['sparseCategoricalCrossentropy', SparseCategoricalCrossentropy], ['SparseCategoricalCrossentropy', SparseCategoricalCrossentropy],
    ];
    for (const [name, cls] of cases) expect(getLoss(name), name).toBeInstanceOf(cls);
    const loss = new BinaryCrossentropy({ fromLogits: true });
    expect(getLoss(loss)).toBe(loss);
    expect(() => getLoss('focal')).toThrow(/getLoss: unknown loss 'focal'; expected one of meanAbsoluteError \(mae\), meanSquaredError \(mse\).*sparseCategoricalCrossentropy.*categoricalHinge/);
  });

  it('refuse an option they do not know, listing theirs, and a reduction other than the mean over the batch', () => {
    expect(() => new SparseCategoricalCrossentropy({ fromlogits: true } as never)).toThrow(
      "sparse_categorical_crossentropy: unknown option 'fromlogits'; expected one of fromLogits, name, reduction",
    );
    expect(() => new CategoricalCrossentropy({ labelSmoothing: 0.1, axis: -1 } as never)).toThrow(
      "categorical_crossentropy: unknown option 'axis'; expected one of fromLogits, labelSmoothing, name, reduction",
    );
    expect(() => new MeanSquaredError({ delta: 1 } as never)).toThrow("mean_squared_error: unknown option 'delta'; expected one of name, reduction");
    expect(() => getLoss({ className: 'RootMeanSquaredError', config: { name: 'rmse', reduction: 'sum' } })).toThrow(
      "root_mean_squared_error: reduction must be 'sum_over_batch_size' (the mean over the batch, the only one Perceptron's losses compute), got \"sum\"",
    );
    // What getConfig writes comes back.
    const smoothed = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    expect(getLoss({ className: 'BinaryCrossentropy', config: smoothed.getConfig() }).getConfig()).toEqual(smoothed.getConfig());
  });
});
