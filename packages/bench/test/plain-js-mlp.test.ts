import { RandomGenerator } from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { PlainMlp, matMulPlain, matMulTransposeA, matMulTransposeB, type FloatArray } from '../src/plain-js-mlp.js';

/** `count` values uniform in [-1, 1) from a seeded generator. */
function uniform(count: number, seed: number): Float64Array {
  const generator = new RandomGenerator(seed);
  return Float64Array.from({ length: count }, () => 2 * generator.nextFloat() - 1);
}

/** The batch's mean loss, computed by the network's own forward pass. */
function meanLoss(mlp: PlainMlp, x: FloatArray, y: Int32Array, rows: number): number {
  return mlp.evaluate(x, y, rows).lossSum / rows;
}

describe('the plain products', () => {
  // a = [[1, 2, 3], [4, 5, 6]], b = [[1, 0], [0, 1], [2, -1]]: a·b = [[7, -1], [16, -1]] by hand.
  const a = Float64Array.of(1, 2, 3, 4, 5, 6);
  const b = Float64Array.of(1, 0, 0, 1, 2, -1);
  const product = [7, -1, 16, -1];

  it('multiplies a·b, aᵀ·b with a stored transposed, and a·bᵀ with b stored transposed', () => {
    const out = new Float64Array(4).fill(99); // stale values must not leak into the sums
    matMulPlain(a, b, out, 2, 3, 2);
    expect([...out]).toEqual(product);
    matMulTransposeA(Float64Array.of(1, 4, 2, 5, 3, 6), b, out.fill(99), 2, 3, 2);
    expect([...out]).toEqual(product);
    matMulTransposeB(a, Float64Array.of(1, 0, 2, 0, 1, -1), out.fill(99), 2, 3, 2);
    expect([...out]).toEqual(product);
  });
});

describe('PlainMlp', () => {
  it('computes relu then softmax and the clipped cross-entropy as written out by hand', () => {
    // 2 inputs → 2 relu units → 2 softmax units, weights set by hand.
    const mlp = new PlainMlp({ inputs: 2, units: [2, 2], learningRate: 0.001, maxBatch: 1, seed: 1, float: Float64Array });
    mlp.weights[0]!.set([1, -1, 2, 0.5]); // W1 = [[1, -1], [2, 0.5]]
    mlp.biases[0]!.set([0, -1]);
    mlp.weights[1]!.set([1, 0, -1, 2]); // W2 = [[1, 0], [-1, 2]]
    mlp.biases[1]!.set([0.5, 0]);
    // x = [1, 2]: hidden = relu([1 + 4, -1 + 1 - 1]) = [5, 0]; logits = [5 + 0.5, 0] = [5.5, 0].
    const probabilities = mlp.forward(Float64Array.of(1, 2), 1);
    const p0 = Math.exp(5.5) / (Math.exp(5.5) + 1);
    expect(probabilities[0]).toBeCloseTo(p0, 14);
    expect(probabilities[1]).toBeCloseTo(1 - p0, 14);
    expect(mlp.evaluate(Float64Array.of(1, 2), Int32Array.of(1), 1)).toEqual({ lossSum: expect.closeTo(-Math.log(1 - p0), 12), correct: 0 });
  });

  it('starts from random normal weights with stddev 0.05 and zero biases', () => {
    const mlp = new PlainMlp({ inputs: 784, units: [64, 10], learningRate: 0.001, maxBatch: 1, seed: 3 });
    const w = Array.from(mlp.weights[0]!);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    // 50,176 draws: the sample mean and stddev are within a few standard errors of 0 and 0.05.
    expect(Math.abs(mean)).toBeLessThan(0.001);
    expect(std).toBeCloseTo(0.05, 3);
    expect(mlp.biases.every((b) => b.every((v) => v === 0))).toBe(true);
  });

  it('has the gradient of the mean loss that central finite differences give (float64)', () => {
    const rows = 4;
    const mlp = new PlainMlp({ inputs: 3, units: [5, 4, 3], learningRate: 0.001, maxBatch: rows, seed: 11, float: Float64Array });
    // Larger weights than the default init so that no gradient is negligibly small.
    for (const [l, w] of mlp.weights.entries()) w.set(uniform(w.length, 20 + l));
    for (const [l, b] of mlp.biases.entries()) b.set(uniform(b.length, 30 + l).map((v) => 0.3 * v));
    const x = uniform(rows * 3, 5).map((v) => 2 * v);
    const y = Int32Array.of(0, 2, 1, 2);
    mlp.gradients(x, y, rows);
    const h = 1e-6;
    const params = [...mlp.weights, ...mlp.biases];
    const analytic = [...mlp.weightGrads, ...mlp.biasGrads].map((g) => Float64Array.from(g));
    let largest = 0;
    for (const [a, theta] of params.entries()) {
      for (let i = 0; i < theta.length; i++) {
        const saved = theta[i]!;
        theta[i] = saved + h;
        const up = meanLoss(mlp, x, y, rows);
        theta[i] = saved - h;
        const down = meanLoss(mlp, x, y, rows);
        theta[i] = saved;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(analytic[a]![i]! - numeric), `parameter array ${a}, element ${i}`).toBeLessThan(1e-8 + 1e-6 * Math.abs(numeric));
        largest = Math.max(largest, Math.abs(numeric));
      }
    }
    // The check means something only if the gradients are not all tiny.
    expect(largest).toBeGreaterThan(0.05);
  });

  it('takes Adam\'s first step as Keras: θ − lr·g / (|g| + ε/√(1 − β₂))', () => {
    const lr = 0.01;
    const mlp = new PlainMlp({ inputs: 3, units: [4, 2], learningRate: lr, maxBatch: 2, seed: 2, float: Float64Array });
    const before = [...mlp.weights, ...mlp.biases].map((p) => Float64Array.from(p));
    mlp.gradients(uniform(6, 9), Int32Array.of(1, 0), 2);
    const grads = [...mlp.weightGrads, ...mlp.biasGrads].map((g) => Float64Array.from(g));
    mlp.adamStep();
    const after = [...mlp.weights, ...mlp.biases];
    // Step 1: m = 0.1·g, v = 0.001·g², α = lr·√0.001 / 0.1, so α·m/(√v + ε) = lr·g/(|g| + ε/√0.001).
    for (const [a, p] of after.entries()) {
      for (let i = 0; i < p.length; i++) {
        const g = grads[a]![i]!;
        expect(p[i]).toBeCloseTo(before[a]![i]! - (lr * g) / (Math.abs(g) + 1e-7 / Math.sqrt(0.001)), 14);
      }
    }
  });

  it('reports the epoch\'s running loss and accuracy from before each update', () => {
    const mlp = new PlainMlp({ inputs: 4, units: [3, 2], learningRate: 0.1, maxBatch: 8, seed: 4, float: Float64Array });
    const x = uniform(8 * 4, 12);
    const y = Int32Array.of(0, 1, 1, 0, 1, 0, 0, 1);
    const before = mlp.evaluate(x, y, 8);
    // One batch of all 8 rows: the running figures are those of the weights before the step.
    const epoch = mlp.trainEpoch(x, y, Int32Array.from({ length: 8 }, (_, i) => i), 8);
    expect(epoch.loss).toBeCloseTo(before.lossSum / 8, 14);
    expect(epoch.accuracy).toBe(before.correct / 8);
  });

  it('lowers the loss of a small synthetic problem in one epoch of float32 training', () => {
    // 3 classes of 20-feature points around three random centres.
    const features = 20;
    const count = 960;
    const centres = uniform(3 * features, 40);
    const noise = uniform(count * features, 41);
    const x = new Float32Array(count * features);
    const y = new Int32Array(count);
    for (let r = 0; r < count; r++) {
      y[r] = r % 3;
      for (let f = 0; f < features; f++) x[r * features + f] = centres[y[r]! * features + f]! + 0.5 * noise[r * features + f]!;
    }
    const mlp = new PlainMlp({ inputs: features, units: [16, 8, 3], learningRate: 0.01, maxBatch: count, seed: 5 });
    const before = mlp.evaluate(x, y, count);
    mlp.trainEpoch(x, y, new RandomGenerator(6).permutation(count), 32);
    const after = mlp.evaluate(x, y, count);
    // Untrained, the loss is about log 3 ≈ 1.10; one epoch of 30 steps takes it well below.
    expect(before.lossSum / count).toBeCloseTo(Math.log(3), 1);
    expect(after.lossSum / count).toBeLessThan(0.5 * (before.lossSum / count));
    expect(after.correct / count).toBeGreaterThan(0.9);
  });

  it('refuses a batch larger than its buffers, naming both', () => {
    const mlp = new PlainMlp({ inputs: 2, units: [2], learningRate: 0.001, maxBatch: 4, seed: 1 });
    expect(() => mlp.forward(new Float32Array(10), 5)).toThrow('PlainMlp.forward: expected 1 to 4 rows (maxBatch), got 5');
  });
});
