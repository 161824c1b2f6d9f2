// Keras's numeric preprocessing layers inside trained models leave as ordinary ONNX ops:
// Discretization's bucket count (Less, Cast, ReduceSum, Sub) and CategoryEncoding's one-hot,
// multi-hot and count encodings; onnxruntime and the re-imported model agree with predict on
// every backend, at batch sizes the exporter did not trace.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const BOUNDARIES = [-0.5, -0.1, 0.2, 0.6];

const CASES = [
  {
    title: 'Discretization (int) → CategoryEncoding (multi_hot) and (count) → Concatenate → Dense',
    make: () => {
      const x = pc.Input({ shape: [6] });
      const buckets = new pc.Discretization({ binBoundaries: BOUNDARIES }).apply(x) as pc.SymbolicTensor;
      const present = new pc.CategoryEncoding({ numTokens: 5, outputMode: 'multi_hot' }).apply(buckets) as pc.SymbolicTensor;
      const counted = new pc.CategoryEncoding({ numTokens: 5, outputMode: 'count' }).apply(buckets) as pc.SymbolicTensor;
      const joined = new pc.Concatenate().apply([present, counted]) as pc.SymbolicTensor;
      return new pc.Model({ inputs: x, outputs: new pc.Dense(2).apply(joined) as pc.SymbolicTensor });
    },
  },
  {
    title: 'Discretization (one_hot) → Flatten → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: [6] }),
      new pc.Discretization({ binBoundaries: BOUNDARIES, outputMode: 'one_hot' }), // [6, 5]
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
];

describe.each(CASES)('$title', ({ title, make }) => {
  const log = new DifferenceLog(title);
  afterAll(() => log.print());

  it.each(BACKENDS)('after a little training on %s, onnxruntime and the imported model match predict', async (backend) => {
    await pc.setBackend(backend);
    pc.setSeed(31);
    await expectTrainedExportMatchesPredict(make, [6], 2, log, backend);
  });
});
