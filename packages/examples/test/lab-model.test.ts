import { deserializeLayer, memory, serializeLayer, setBackend, setSeed, tensor, tidy } from '@perceptron/core';
import '@perceptron/backend-naive';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultilayerPerceptron } from '../src/lab/multilayer-perceptron.js';
import { PerceptronLayer } from '../src/lab/perceptron-layer.js';

beforeAll(async () => {
  await setBackend('naive');
  setSeed(1);
});

describe('PerceptronLayer', () => {
  it('builds w [inputs, neurons] and b [neurons] on the first call and computes x·w + b', () => {
    const layer = new PerceptronLayer({ neurons: 2 });
    const x = tensor([[1, 2, 3]]);
    tidy(() => layer.apply(x));
    expect(layer.w.shape).toEqual([3, 2]);
    expect(layer.b.shape).toEqual([2]);
    expect(layer.weights).toEqual([layer.w, layer.b]);
    layer.w.assign(tensor([[1, 0], [0, 1], [1, 1]]));
    layer.b.assign(tensor([0.5, -1]));
    // [1+3+0.5, 2+3-1]
    expect(tidy(() => layer.apply(x)).arraySync()).toEqual([[4.5, 4]]);
    x.dispose();
    layer.dispose();
  });

  it("draws w and b from Keras's random_normal (mean 0, stddev 0.05), as the lab's add_weight build", () => {
    const layer = new PerceptronLayer({ neurons: 4000 });
    const x = tensor([[1]]);
    tidy(() => layer.apply(x));
    for (const weight of [layer.w, layer.b]) {
      const values = Array.from(weight.dataSync());
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      // 4000 draws: the mean's standard error is 0.05/√4000 ≈ 7.9e-4, the std's ≈ 5.6e-4
      expect(Math.abs(mean)).toBeLessThan(4e-3);
      expect(Math.abs(std - 0.05)).toBeLessThan(3e-3);
    }
    x.dispose();
    layer.dispose();
  });

  it('serializes its neurons and is rebuilt from the class registry', () => {
    const layer = new PerceptronLayer({ neurons: 7, name: 'p7' });
    const rebuilt = deserializeLayer(serializeLayer(layer));
    expect(rebuilt).toBeInstanceOf(PerceptronLayer);
    expect((rebuilt as PerceptronLayer).neurons).toBe(7);
    expect(serializeLayer(layer)).toMatchObject({ className: 'PerceptronLayer', config: { neurons: 7, name: 'p7' } });
  });
});

describe('MultilayerPerceptron', () => {
  it('softmax matches exp(z)/Σexp(z) and stays finite for huge logits', () => {
    const mlp = new MultilayerPerceptron();
    const probs = tidy(() => mlp.softmax(tensor([[1, 2, 3], [1000, 1001, 1000]])).arraySync()) as number[][];
    const z = [1, 2, 3];
    const denom = z.reduce((s, v) => s + Math.exp(v), 0);
    z.forEach((v, i) => expect(probs[0]![i]).toBeCloseTo(Math.exp(v) / denom, 6));
    // exp(1000) overflows; shifted by the row max it is e^0 / (2 + e) etc.
    const e = Math.E;
    expect(probs[1]![0]).toBeCloseTo(1 / (2 + e), 6);
    expect(probs[1]![1]).toBeCloseTo(e / (2 + e), 6);
  });

  it('tracks 2 weights per layer for --hidden sizes, outputs probabilities [batch, 10], and leaks nothing', () => {
    const mlp = new MultilayerPerceptron({ hidden: [5, 4, 3] });
    const x = tensor(new Float32Array(2 * 6).fill(0.5), [2, 6]);
    const before = memory().numTensors;
    const probs = tidy(() => mlp.apply(x));
    expect(probs.shape).toEqual([2, 10]);
    const rows = probs.arraySync() as number[][];
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    probs.dispose();
    // the weights are new Variables; nothing else may remain
    expect(memory().numTensors - before).toBe(mlp.weights.length);
    expect(mlp.trainableWeights.map((w) => w.shape)).toEqual([[6, 5], [5], [5, 4], [4], [4, 3], [3], [3, 10], [10]]);
    const lines: string[] = [];
    mlp.printTrainableWeights((l) => lines.push(l));
    expect(lines).toEqual(['Weights: 8', 'Trainable weights: 8', 'Non-trainable weights: 0']);
    x.dispose();
    mlp.dispose();
  });
});
