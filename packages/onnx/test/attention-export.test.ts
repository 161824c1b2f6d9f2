// Trained models with Attention, AdditiveAttention, MultiHeadAttention and EinsumDense leave as
// ONNX through the ops they are made of (MatMul, Softmax, Transpose and Reshape for the heads, and
// for 'concat' Add, Tanh and ReduceSum; the causal mask a constant, an attention mask given by an
// Input a bool graph input); onnxruntime and the re-imported model agree with predict on every
// backend, at batch sizes other than the traced ones.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { elemTypes, graphOf } from './decoded-graph.js';
import { expectExportMatchesPredict, expectTrainedExportMatchesPredict, sampleBatch } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const CASES: { title: string; make: () => pc.Model; sample?: number[] }[] = [
  {
    title: "EinsumDense per-head projection 'abc,cde->abde' → EinsumDense 'abcd,cde->abe' (heads contracted) → Flatten → Dense",
    make: () => {
      const input = pc.Input({ shape: [4, 3] });
      const heads = new pc.EinsumDense('abc,cde->abde', [null, 2, 3], { biasAxes: 'de', activation: 'tanh' }).apply(input);
      const merged = new pc.EinsumDense('abcd,cde->abe', [null, 5], { biasAxes: 'e' }).apply(heads);
      return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(new pc.Flatten().apply(merged)) });
    },
  },
  {
    title: 'self-attention (dot, scaled, causal) → Flatten → Dense',
    make: () => {
      const input = pc.Input({ shape: [4, 3] });
      const attended = new pc.Attention({ useScale: true }).apply([input, input], { useCausalMask: true });
      return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(new pc.Flatten().apply(attended)) });
    },
  },
  {
    title: 'Dense query → Attention(concat) over the input as value and key → GlobalAveragePooling1D → Dense',
    make: () => {
      const input = pc.Input({ shape: [4, 3] });
      const query = new pc.Dense(3, { activation: 'tanh' }).apply(input);
      const attended = new pc.Attention({ scoreMode: 'concat' }).apply([query, input, input]);
      return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(new pc.GlobalAveragePooling1D().apply(attended)) });
    },
  },
  {
    title: 'Dense query → AdditiveAttention (a learned scale per feature) over the input → GlobalAveragePooling1D → Dense',
    make: () => {
      const input = pc.Input({ shape: [4, 3] });
      const query = new pc.Dense(3, { activation: 'tanh' }).apply(input);
      const attended = new pc.AdditiveAttention().apply([query, input]);
      return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(new pc.GlobalAveragePooling1D().apply(attended)) });
    },
  },
  {
    title: 'MultiHeadAttention (2 heads, causal) → MultiHeadAttention (query from a Dense, outputShape 4) → Flatten → Dense',
    make: () => {
      const input = pc.Input({ shape: [4, 3] });
      const first = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([input, input], { useCausalMask: true });
      const query = new pc.Dense(5, { activation: 'tanh' }).apply(first);
      const second = new pc.MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 3, outputShape: 4 }).apply([query, input]);
      return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(new pc.Flatten().apply(second)) });
    },
  },
  {
    title: 'MultiHeadAttention over axis 2 of [3, 2, 4] (attentionAxes: each of the 3 rows apart, through rank-5 Transposes) → Flatten → Dense',
    sample: [3, 2, 4],
    make: () => {
      const input = pc.Input({ shape: [3, 2, 4] });
      const attended = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] }).apply([input, input]);
      return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(new pc.Flatten().apply(attended)) });
    },
  },
];

describe.each(CASES)('$title', ({ title, make, sample = [4, 3] }) => {
  const log = new DifferenceLog(title);
  afterAll(() => log.print());

  it.each(BACKENDS)('after a little training on %s, onnxruntime and the imported model match predict', async (backend) => {
    await pc.setBackend(backend);
    pc.setSeed(53);
    await expectTrainedExportMatchesPredict(make, sample, 2, log, backend);
  });
});

/** Input [4, 3] and Input bool [4, 4] → MultiHeadAttention(self, attentionMask: the second Input) → Flatten → Dense(2). */
function maskedAttention(): pc.Model {
  const steps = pc.Input({ shape: [4, 3], name: 'steps' });
  const allowed = pc.Input({ shape: [4, 4], dtype: 'bool', name: 'allowed' });
  const attended = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([steps, steps], { attentionMask: allowed });
  return new pc.Model({ inputs: [steps, allowed], outputs: new pc.Dense(2).apply(new pc.Flatten().apply(attended)) });
}

const { FLOAT, BOOL } = pkg.onnx.TensorProto.DataType;

/** Each query step may attend to itself and to the steps a seeded draw allows. */
function allowedSteps(batch: number, seed: number): pc.Tensor {
  const draws = randomBatch(batch, 16, seed);
  const values = Array.from(draws.dataSync(), (v, i) => (v > 0 || (i % 16) % 5 === 0 ? 1 : 0));
  draws.dispose();
  return pc.tensor(values, [batch, 4, 4], 'bool');
}

describe('MultiHeadAttention with its attentionMask an Input of the model', () => {
  const log = new DifferenceLog('MultiHeadAttention(attentionMask: a bool Input) → Flatten → Dense');
  afterAll(() => log.print());

  it('the graph takes the mask as a second input, of element type bool', async () => {
    await pc.setBackend('naive');
    const model = maskedAttention();
    expect(elemTypes(graphOf(exportOnnx(model)).input)).toEqual({ steps: FLOAT, allowed: BOOL });
    model.dispose();
  });

  it.each(BACKENDS)('after a little training on %s, onnxruntime and the imported model match predict', async (backend) => {
    await pc.setBackend(backend);
    pc.setSeed(53);
    const model = maskedAttention();
    const [x, mask, y] = [sampleBatch([4, 3], 32, 1), allowedSteps(32, 2), randomBatch(32, 2, 3)];
    try {
      model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await model.fit([x, mask], y, { epochs: 2, batchSize: 8, verbose: 0 });
      await expectExportMatchesPredict(model, (batch) => [sampleBatch([4, 3], batch, 100 + batch), allowedSteps(batch, 200 + batch)], [1, 37], log, backend);
    } finally {
      model.dispose();
      pc.dispose([x, mask, y]);
    }
  });
});
