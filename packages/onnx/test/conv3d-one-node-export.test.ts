// Each Conv3D layer leaves as one ONNX Conv over three spatial axes and each Conv3DTranspose as
// one ConvTranspose (its full scatter, then cut to Keras's window by a Slice, or padded), the
// volumes transposed NDHWC → NCDHW around them and the kernels to ONNX's layout, although core
// computes both as 2-D convolutions of depth planes. Trained, onnxruntime and the re-imported
// model agree with predict on every backend at batch sizes the exporter did not trace.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const SAMPLE = [4, 5, 6, 2];

const CASES: { title: string; make(): pc.Sequential }[] = [
  {
    // The depth planes of a strided Conv3D are gathered by an index range; its volumes come from a layer before it.
    title: 'Dense (per voxel) → Conv3D 3×3×3 same strides 2 → Conv3DTranspose 2×2×2 strides 2 → GlobalAveragePooling3D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Dense(3, { activation: 'tanh' }),
      new pc.Conv3D(4, 3, { padding: 'same', strides: 2, activation: 'relu' }),
      new pc.Conv3DTranspose(3, 2, { strides: 2, activation: 'tanh' }),
      new pc.GlobalAveragePooling3D(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'Conv3D [2,3,3] same dilation [2,1,2] in 2 groups, no bias → Conv3DTranspose 3×3×3 strides [1,2,3] outputPadding [0,1,2] → Flatten → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Conv3D(4, [2, 3, 3], { padding: 'same', dilationRate: [2, 1, 2], groups: 2, useBias: false }),
      new pc.Conv3DTranspose(2, 3, { strides: [1, 2, 3], outputPadding: [0, 1, 2] }),
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'Conv3D [3,2,2] valid strides [1,2,3] → Conv3DTranspose [2,3,2] same dilation [2,1,2] → GlobalMaxPooling3D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Conv3D(3, [3, 2, 2], { strides: [1, 2, 3], activation: 'sigmoid' }),
      new pc.Conv3DTranspose(3, [2, 3, 2], { padding: 'same', dilationRate: [2, 1, 2] }),
      new pc.GlobalMaxPooling3D(),
      new pc.Dense(2),
    ]),
  },
];

const logs = CASES.map((c) => new DifferenceLog(c.title));
afterAll(() => logs.forEach((log) => log.print()));

const { onnx } = pkg;
interface Node { opType: string; input: string[]; output: string[]; attribute: { name: string; ints: number[]; i: number }[] }
const nodesOf = (bytes: Uint8Array) => (onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, arrays: true }) as { graph: { node: Node[] } }).graph.node;
const settingsOf = (node: Node) => Object.fromEntries(node.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints : a.i]));

describe('the exported graph', () => {
  it("holds one Conv per Conv3D and one ConvTranspose per Conv3DTranspose, with the layer's settings, on channels-first volumes", async () => {
    await pc.setBackend('naive');
    const model = CASES[1]!.make();
    const nodes = nodesOf(exportOnnx(model));
    const convolutions = nodes.filter((n) => n.opType === 'Conv' || n.opType === 'ConvTranspose');
    // 'same' along depth with a 2-tap kernel dilated 2: (2 − 1)·2 + 1 − 1 = 2 rows, 1 before and 1
    // after; along width a 3-tap kernel dilated 2 needs 4, 2 and 2; along height 2, 1 and 1.
    expect(convolutions.map((n) => [n.opType, settingsOf(n)])).toEqual([
      ['Conv', { kernel_shape: [2, 3, 3], strides: [1, 1, 1], dilations: [2, 1, 2], pads: [1, 1, 2, 1, 1, 2], group: 2 }],
      ['ConvTranspose', { kernel_shape: [3, 3, 3], strides: [1, 2, 3], dilations: [1, 1, 1] }],
    ]);
    const producer = (name: string) => nodes.find((n) => n.output.includes(name))!;
    for (const convolution of convolutions) {
      const [volumes, filter] = convolution.input.map(producer);
      expect([volumes!.opType, settingsOf(volumes!)]).toEqual(['Transpose', { perm: [0, 4, 1, 2, 3] }]);
      expect([filter!.opType, settingsOf(filter!), filter!.input[0]]).toEqual(['Transpose', { perm: [4, 3, 0, 1, 2] }, expect.stringMatching(/^conv3d(_transpose)?(_\d+)?\/kernel$/)]);
      const after = nodes.find((n) => n.input.includes(convolution.output[0]!))!;
      expect([after.opType, settingsOf(after)]).toEqual(['Transpose', { perm: [0, 2, 3, 4, 1] }]);
    }
    model.dispose();
  });

  it.each(CASES)('$title: one Conv and one ConvTranspose, over three spatial axes (strided depth read by a gather, too)', async ({ make }) => {
    await pc.setBackend('naive');
    const model = make();
    const nodes = nodesOf(exportOnnx(model)).filter((n) => n.opType === 'Conv' || n.opType === 'ConvTranspose');
    expect(nodes.map((n) => [n.opType, (settingsOf(n).kernel_shape as number[]).length])).toEqual([['Conv', 3], ['ConvTranspose', 3]]);
    model.dispose();
  });

  it('keeps the 2-D parts for conv3d called outside the layers (ConvLSTM3D), which export too', async () => {
    await pc.setBackend('naive');
    const model = new pc.Sequential([pc.Input({ shape: [2, 3, 4, 4, 1] }), new pc.ConvLSTM3D(2, 2)]);
    const convs = nodesOf(exportOnnx(model)).filter((n) => n.opType === 'Conv');
    expect(convs.length).toBeGreaterThan(2);
    expect(convs.map((n) => (settingsOf(n).kernel_shape as number[]).length)).toEqual(convs.map(() => 2));
    model.dispose();
  });
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES.map((c, i) => ({ ...c, log: logs[i]! })))('$title: after a little training, onnxruntime and the imported model match predict', async ({ make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(43);
    await expectTrainedExportMatchesPredict(make, SAMPLE, 2, log, backend);
  });
});
