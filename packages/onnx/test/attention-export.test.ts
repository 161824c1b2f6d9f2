// Trained models with Attention and MultiHeadAttention leave as ONNX through the ops they are
// made of (MatMul, Softmax, Transpose and Reshape for the heads, and for 'concat' Add, Tanh and
// ReduceSum; the causal mask a constant); onnxruntime and the re-imported model agree with
// predict on every backend, at batch sizes other than the traced ones.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const CASES: { title: string; make: () => pc.Model; sample?: number[] }[] = [
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
