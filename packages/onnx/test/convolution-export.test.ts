// Trained small CNNs (each convolution one ONNX Conv and each pooling one MaxPool or AveragePool,
// between transposes, with core's resolved 'same' padding as explicit pads) leave as ordinary
// ONNX ops; onnxruntime and the re-imported model agree with predict on every backend.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const FEATURES = 81;

const CNNS: { name: string; make(): pc.Sequential }[] = [
  {
    name: 'Reshape → Conv2D same → MaxPooling2D → Conv2D valid strides 2 → GlobalAveragePooling2D → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
      new pc.MaxPooling2D(),
      new pc.Conv2D(6, 2, { strides: 2, activation: 'tanh' }),
      new pc.GlobalAveragePooling2D(),
      new pc.Dense(3, { activation: 'softmax' }),
    ]),
  },
  {
    name: 'Reshape → MaxPooling2D same → AveragePooling2D 3×3 strides 2 same → Conv2D [2,3] → Flatten → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.MaxPooling2D({ padding: 'same' }),
      new pc.AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
      new pc.Conv2D(3, [2, 3], { padding: 'same' }),
      new pc.Flatten(),
      new pc.Dense(3),
    ]),
  },
  {
    name: 'Reshape → Conv2D 4×4 same (pads 1 before, 2 after) → Conv2D dilation 2 same → Conv2D [3,2] strides [2,1] → Flatten → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.Conv2D(3, 4, { padding: 'same', activation: 'relu' }),
      new pc.Conv2D(2, 3, { padding: 'same', dilationRate: 2, activation: 'sigmoid' }),
      new pc.Conv2D(2, [3, 2], { strides: [2, 1] }),
      new pc.Flatten(),
      new pc.Dense(3),
    ]),
  },
  {
    // A 1×1 window with strides 2 reaches every other row: ONNX's output_padding gives back the last.
    name: 'Reshape → Conv2DTranspose 3×3 strides 2 same → Conv2D 3×3 strides 2 → Conv2DTranspose 1×1 strides 2 → Conv2DTranspose [2,3] → Conv2DTranspose 4×4 same strides [1,2] → Flatten → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.Conv2DTranspose(3, 3, { strides: 2, padding: 'same', activation: 'relu' }),
      new pc.Conv2D(3, 3, { strides: 2 }),
      new pc.Conv2DTranspose(2, 1, { strides: 2, activation: 'tanh' }),
      new pc.Conv2DTranspose(2, [2, 3]),
      new pc.Conv2DTranspose(2, 4, { strides: [1, 2], padding: 'same' }),
      new pc.Flatten(),
      new pc.Dense(3),
    ]),
  },
  {
    name: 'Reshape → Conv2D same → DepthwiseConv2D ×2 strides 2 same → SeparableConv2D ×2 → Flatten → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.Conv2D(3, 3, { padding: 'same', activation: 'relu' }),
      new pc.DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
      new pc.SeparableConv2D(2, [2, 3], { depthMultiplier: 2 }),
      new pc.Flatten(),
      new pc.Dense(3),
    ]),
  },
  {
    name: 'Reshape → Conv2D same → Conv2D 3×3 strides 2 in 2 groups → Flatten → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
      new pc.Conv2D(6, 3, { strides: 2, groups: 2, activation: 'relu' }),
      new pc.Flatten(),
      new pc.Dense(3),
    ]),
  },
];

const logs = CNNS.map((c) => new DifferenceLog(c.name));
afterAll(() => logs.forEach((log) => log.print()));

const { onnx } = pkg;
interface ConvNode { opType: string; input: string[]; attribute: { name: string; ints: number[] }[] }
interface SettingsNode { opType: string; attribute: { name: string; ints: number[]; i: number }[] }

it('each Conv2D is one Conv node on channels-first images, with the resolved pads, strides and dilations', async () => {
  await pc.setBackend('naive');
  const model = CNNS[2]!.make();
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(exportOnnx(model)), { longs: Number, arrays: true }) as {
    graph: { node: ConvNode[]; initializer: { name: string; dims: number[] }[] };
  };
  const convs = decoded.graph.node.filter((n) => n.opType === 'Conv');
  const settings = convs.map((n) => Object.fromEntries(n.attribute.map((a) => [a.name, a.ints])));
  expect(settings).toEqual([
    { kernel_shape: [4, 4], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 2, 2] },
    { kernel_shape: [3, 3], strides: [1, 1], dilations: [2, 2], pads: [2, 2, 2, 2] },
    { kernel_shape: [3, 2], strides: [2, 1], dilations: [1, 1], pads: [0, 0, 0, 0] },
  ]);
  // The image goes in channels-first and comes back channels-last; the filter becomes [out, in, h, w].
  const producer = (name: string) => decoded.graph.node.find((n) => (n as unknown as { output: string[] }).output.includes(name))!;
  const perms = convs[0]!.input.slice(0, 2).map((name) => producer(name).attribute.find((a) => a.name === 'perm')!.ints);
  expect(perms).toEqual([[0, 3, 1, 2], [3, 2, 0, 1]]);
  // Each layer's bias is Conv's third input, B, the weight itself: no Add node.
  const biases = convs.map((n) => decoded.graph.initializer.find((i) => i.name === n.input[2])?.dims);
  expect(biases).toEqual(model.layers.filter((l) => l instanceof pc.Conv2D).map((l) => [(l as pc.Conv2D).filters]));
  expect(decoded.graph.node.some((n) => n.opType === 'Add')).toBe(false);
  expect(decoded.graph.node.some((n) => n.opType === 'Gather')).toBe(false);
  model.dispose();
});

it('a depthwise convolution is one Conv node with a group per input channel, its filter [channels·M, 1, h, w]', async () => {
  await pc.setBackend('naive');
  const model = CNNS[4]!.make();
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(exportOnnx(model)), { longs: Number, arrays: true }) as { graph: { node: SettingsNode[] } };
  const convs = decoded.graph.node.filter((n) => n.opType === 'Conv');
  const settings = convs.map((n) => Object.fromEntries(n.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints : a.i])));
  // Conv2D (3 channels), DepthwiseConv2D (3 groups, 6 channels out), SeparableConv2D's depthwise (6 groups) and pointwise parts.
  expect(settings).toEqual([
    { kernel_shape: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] },
    { kernel_shape: [3, 3], strides: [2, 2], dilations: [1, 1], pads: [1, 1, 1, 1], group: 3 },
    { kernel_shape: [2, 3], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], group: 6 },
    { kernel_shape: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0] },
  ]);
  model.dispose();
});

it('a Conv2D with groups is one Conv node with its group, the bias as B and the relu after: no Split, Slice or Concat', async () => {
  await pc.setBackend('naive');
  const model = CNNS[5]!.make();
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(exportOnnx(model)), { longs: Number, arrays: true }) as { graph: { node: (SettingsNode & { input: string[]; output: string[] })[] } };
  const convs = decoded.graph.node.filter((n) => n.opType === 'Conv');
  expect(convs.map((n) => Object.fromEntries(n.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints : a.i])))).toEqual([
    { kernel_shape: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] },
    { kernel_shape: [3, 3], strides: [2, 2], dilations: [1, 1], pads: [0, 0, 0, 0], group: 2 },
  ]);
  expect(convs.map((n) => n.input.length)).toEqual([3, 3]);
  expect(decoded.graph.node.filter((n) => ['Split', 'Slice', 'Concat'].includes(n.opType))).toEqual([]);
  expect(decoded.graph.node.filter((n) => n.opType === 'Relu')).toHaveLength(2);
  model.dispose();
});

it('each pooling layer is one MaxPool or AveragePool node, with the resolved pads; the average leaves them out of its count', async () => {
  await pc.setBackend('naive');
  const model = CNNS[1]!.make();
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(exportOnnx(model)), { longs: Number, arrays: true }) as { graph: { node: SettingsNode[] } };
  const pools = decoded.graph.node.filter((n) => n.opType === 'MaxPool' || n.opType === 'AveragePool');
  const settings = pools.map((n) => [n.opType, Object.fromEntries(n.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints : a.i]))]);
  // 9×9 pooled 2×2 'same' is 5×5, padded 1 after; 5×5 pooled 3×3 strides 2 'same' is 3×3, padded 1 all round.
  expect(settings).toEqual([
    ['MaxPool', { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1] }],
    ['AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 0 }],
  ]);
  expect(decoded.graph.node.some((n) => ['Gather', 'ReduceMax', 'ReduceSum', 'Pad'].includes(n.opType))).toBe(false);
  model.dispose();
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CNNS.map((c, i) => ({ ...c, log: logs[i]! })))('$name: after a little training, onnxruntime and the imported model match predict', async ({ make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(23);
    const model = make();
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const [x, y] = [randomBatch(32, FEATURES, 1), randomBatch(32, 3, 2)];
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });

    try {
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, FEATURES, 100 + batch), [1, 13], log, backend, { inputShape: [FEATURES] });
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });
});
