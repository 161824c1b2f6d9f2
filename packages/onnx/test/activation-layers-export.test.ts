// Trained models using Keras 3's activation layers leave as ONNX through the ops they are made of
// (ReLU and LeakyReLU as Relu / Min / Greater / Where, ELU with Exp, PReLU as Relu + Mul·Min,
// Softmax on a middle axis as Transpose → Softmax → Transpose); onnxruntime and the re-imported
// model agree with predict on every backend, at batch sizes other than the traced ones.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { graphOf } from './decoded-graph.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

interface ActivationModelCase {
  title: string;
  /** Each sample's shape. */
  sample: number[];
  /** The width of the output, for the training targets. */
  outputs: number;
  make: () => pc.Sequential;
  /** ONNX node types the layers must have become. */
  opTypes: string[];
}

const CASES: ActivationModelCase[] = [
  {
    title: 'Dense → ReLU(max, slope, threshold) → Dense → LeakyReLU → Dense → ELU(0.5) → Dense → ELU → Dense → ReLU → Dense → Softmax',
    sample: [4],
    outputs: 3,
    make: () => new pc.Sequential([
      pc.Input({ shape: [4] }),
      new pc.Dense(6),
      new pc.ReLU({ maxValue: 1.2, negativeSlope: 0.2, threshold: 0.1 }),
      new pc.Dense(6),
      new pc.LeakyReLU(),
      new pc.Dense(6),
      new pc.ELU({ alpha: 0.5 }),
      new pc.Dense(6),
      new pc.ELU(),
      new pc.Dense(6),
      new pc.ReLU({ maxValue: 6 }),
      new pc.Dense(3),
      new pc.Softmax(),
    ]),
    opTypes: ['Relu', 'Min', 'Greater', 'Where', 'Exp', 'Softmax'],
  },
  {
    title: 'Dense → PReLU(sharedAxes [1]) → Softmax(axis 1) → Dense → PReLU → Flatten → Dense',
    sample: [3, 4],
    outputs: 2,
    make: () => new pc.Sequential([
      pc.Input({ shape: [3, 4] }),
      new pc.Dense(4),
      new pc.PReLU({ sharedAxes: [1], alphaInitializer: new pc.Constant({ value: 0.25 }) }),
      new pc.Softmax({ axis: 1 }),
      new pc.Dense(5),
      new pc.PReLU({ alphaInitializer: new pc.Constant({ value: -0.5 }) }),
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
    opTypes: ['Relu', 'Min', 'Mul', 'Transpose', 'Softmax'],
  },
];

describe.each(CASES)('$title', ({ title, sample, outputs, make, opTypes }) => {
  const log = new DifferenceLog(title);
  afterAll(() => log.print());

  it.each(BACKENDS)('after a little training on %s, onnxruntime and the imported model match predict', async (backend) => {
    await pc.setBackend(backend);
    pc.setSeed(29);
    await expectTrainedExportMatchesPredict(make, sample, outputs, log, backend, (model) => {
      expect(graphOf(exportOnnx(model)).node.map((n) => n.opType)).toEqual(expect.arrayContaining(opTypes));
    });
  });
});
