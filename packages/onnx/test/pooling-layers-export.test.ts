// Trained models with the 1D poolings (each one MaxPool or AveragePool node on a one-row image,
// with core's resolved 'same' padding as explicit pads) and the global poolings (1D and 2D, max
// and average, with and without keepdims) leave as ONNX; onnxruntime and the re-imported model
// agree with predict on every backend.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

interface Case {
  name: string;
  /** One sample's shape. */
  sample: number[];
  make(): pc.Sequential;
}

const CASES: Case[] = [
  {
    name: 'Conv1D same → MaxPooling1D 3 strides 2 same → AveragePooling1D → GlobalMaxPooling1D → Dense',
    sample: [10, 3],
    make: () => new pc.Sequential([
      pc.Input({ shape: [10, 3] }),
      new pc.Conv1D(4, 3, { padding: 'same', activation: 'relu' }),
      new pc.MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same' }),
      new pc.AveragePooling1D(),
      new pc.GlobalMaxPooling1D(),
      new pc.Dense(2),
    ]),
  },
  {
    name: 'AveragePooling1D 4 strides 1 same (pads 1 before, 2 after) → MaxPooling1D 2 strides 3 → GlobalAveragePooling1D keepdims → Flatten → Dense',
    sample: [9, 2],
    make: () => new pc.Sequential([
      pc.Input({ shape: [9, 2] }),
      new pc.AveragePooling1D({ poolSize: 4, strides: 1, padding: 'same' }),
      new pc.MaxPooling1D({ poolSize: 2, strides: 3 }),
      new pc.GlobalAveragePooling1D({ keepdims: true }),
      new pc.Flatten(),
      new pc.Dense(2, { activation: 'tanh' }),
    ]),
  },
  {
    name: 'Conv2D → GlobalMaxPooling2D keepdims → Conv2D 1×1 → GlobalMaxPooling2D → Dense',
    sample: [6, 5, 2],
    make: () => new pc.Sequential([
      pc.Input({ shape: [6, 5, 2] }),
      new pc.Conv2D(3, 3, { activation: 'relu' }),
      new pc.GlobalMaxPooling2D({ keepdims: true }),
      new pc.Conv2D(4, 1),
      new pc.GlobalMaxPooling2D(),
      new pc.Dense(2),
    ]),
  },
];

const logs = CASES.map((c) => new DifferenceLog(c.name));
afterAll(() => logs.forEach((log) => log.print()));

const { onnx } = pkg;
interface PoolNode { opType: string; attribute: { name: string; ints: number[]; i: number }[] }

it('each 1D pooling is one MaxPool or AveragePool node over a one-row image, with the resolved pads', async () => {
  await pc.setBackend('naive');
  const model = CASES[1]!.make();
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(exportOnnx(model)), { longs: Number, arrays: true }) as { graph: { node: PoolNode[] } };
  const pools = decoded.graph.node.filter((n) => n.opType === 'MaxPool' || n.opType === 'AveragePool');
  const settings = pools.map((n) => [n.opType, Object.fromEntries(n.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints : a.i]))]);
  // 9 steps pooled 4 'same' with strides 1: 9 outputs, 3 padded steps (1 before, 2 after); then 2 'valid' strides 3: 3 outputs.
  // ONNX pads are [rowBegin, stepBegin, rowEnd, stepEnd].
  expect(settings).toEqual([
    ['AveragePool', { kernel_shape: [1, 4], strides: [1, 1], pads: [0, 1, 0, 2], count_include_pad: 0 }],
    ['MaxPool', { kernel_shape: [1, 2], strides: [1, 3], pads: [0, 0, 0, 0] }],
  ]);
  model.dispose();
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES.map((c, i) => ({ ...c, log: logs[i]! })))('$name: after a little training, onnxruntime and the imported model match predict', async ({ sample, make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(31);
    await expectTrainedExportMatchesPredict(make, sample, 2, log, backend);
  });
});
