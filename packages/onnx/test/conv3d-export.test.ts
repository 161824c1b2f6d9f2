// Trained small 3-D CNNs (Conv3D → MaxPooling3D → AveragePooling3D → GlobalAveragePooling3D →
// Dense) leave as ordinary ONNX ops: each Conv3D one Conv over three spatial axes (its layer's
// call is mapped whole, conv3d-one-node-export.test.ts); each 3-D pooling, a composite, a MaxPool
// or AveragePool on the depth planes folded into the batch, then the window's depth planes combined.
// onnxruntime and the re-imported model agree with predict on every backend.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const SAMPLE = [5, 6, 6, 2];

const CNNS: { name: string; make(): pc.Sequential }[] = [
  {
    name: 'Conv3D 3×3×3 same → MaxPooling3D → AveragePooling3D 3×3×3 strides 2 same → GlobalAveragePooling3D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Conv3D(4, 3, { padding: 'same', activation: 'relu' }),
      new pc.MaxPooling3D(),
      new pc.AveragePooling3D({ poolSize: 3, strides: 2, padding: 'same' }),
      new pc.GlobalAveragePooling3D(),
      new pc.Dense(3, { activation: 'softmax' }),
    ]),
  },
  {
    // Strides along depth gather the depth planes; 'same' max pooling pads depth with −∞.
    name: 'Conv3D 2×3×3 strides [2,1,1] → MaxPooling3D 3×2×2 strides [1,2,2] same → AveragePooling3D [1,2,2] valid → GlobalAveragePooling3D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Conv3D(4, [2, 3, 3], { strides: [2, 1, 1], activation: 'tanh' }),
      new pc.MaxPooling3D({ poolSize: [3, 2, 2], strides: [1, 2, 2], padding: 'same' }),
      new pc.AveragePooling3D({ poolSize: [1, 2, 2] }),
      new pc.GlobalAveragePooling3D(),
      new pc.Dense(3),
    ]),
  },
  {
    name: 'Conv3D 3×3×3 dilation [2,1,1] same in 2 groups → MaxPooling3D [1,2,2] → AveragePooling3D 2×2×2 same → GlobalAveragePooling3D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Conv3D(4, 3, { padding: 'same', dilationRate: [2, 1, 1], groups: 2, activation: 'relu' }),
      new pc.MaxPooling3D({ poolSize: [1, 2, 2] }),
      new pc.AveragePooling3D({ padding: 'same' }),
      new pc.GlobalAveragePooling3D(),
      new pc.Dense(3),
    ]),
  },
];

const logs = CNNS.map((c) => new DifferenceLog(c.name));
afterAll(() => logs.forEach((log) => log.print()));

const { onnx } = pkg;
interface Node { opType: string; attribute: { name: string; ints: number[]; i: number }[] }

it('each Conv3D is one Conv over three spatial axes, each pooling one MaxPool or AveragePool on the depth planes', async () => {
  await pc.setBackend('naive');
  const model = CNNS[0]!.make();
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(exportOnnx(model)), { longs: Number, arrays: true }) as { graph: { node: Node[] } };
  const settings = (types: string[]) => decoded.graph.node.filter((n) => types.includes(n.opType))
    .map((n) => [n.opType, Object.fromEntries(n.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints : a.i]))]);
  expect(settings(['Conv'])).toEqual([['Conv', { kernel_shape: [3, 3, 3], strides: [1, 1, 1], dilations: [1, 1, 1], pads: [1, 1, 1, 1, 1, 1], group: 1 }]]);
  // 5×6×6 pooled 2×2×2 'valid' is 2×3×3; pooled 3×3×3 strides 2 'same', 1×2×2, padded 1 all round in the planes.
  expect(settings(['MaxPool', 'AveragePool'])).toEqual([
    ['MaxPool', { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }],
    ['AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 0 }],
  ]);
  model.dispose();
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CNNS.map((c, i) => ({ ...c, log: logs[i]! })))('$name: after a little training, onnxruntime and the imported model match predict', async ({ make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(37);
    await expectTrainedExportMatchesPredict(make, SAMPLE, 3, log, backend);
  });
});
