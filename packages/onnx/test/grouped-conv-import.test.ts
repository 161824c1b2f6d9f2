// ONNX Conv with groups, which Perceptron's exporter writes for depthwise convolutions (one
// group per channel) and Conv2D's groups: every grouping imports and agrees with onnxruntime on the same graph,
// and a group that does not split the channels is an error naming the node.
import * as pc from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { expectImportMatchesOnnxruntime, int, ints, singleNodeGraph, uniform, type Attribute } from './single-node-graph.js';

const INPUT_SHAPE = [2, 4, 7, 6];
const CHANNELS = INPUT_SHAPE[1]!;

/** A graph of one Conv node on INPUT_SHAPE by a 3×2 weight [outChannels, inputsPerGroup, 3, 2] and a bias. */
function convGraph(group: number, outChannels: number, attribute: Attribute[], inputsPerGroup = CHANNELS / group): Uint8Array {
  const weightShape = [outChannels, inputsPerGroup, 3, 2];
  return singleNodeGraph({
    opType: 'Conv', attribute: [ints('kernel_shape', [3, 2]), int('group', group), ...attribute], inputShape: INPUT_SHAPE, outputChannels: outChannels,
    weights: [
      { name: 'W', shape: weightShape, values: uniform(weightShape.reduce((a, b) => a * b, 1), 5) },
      { name: 'B', shape: [outChannels], values: uniform(outChannels, 6) },
    ],
  });
}

const CASES: { name: string; group: number; outChannels: number; attribute: Attribute[] }[] = [
  { name: 'group 1 (a full convolution), pads [1,0,1,1]', group: 1, outChannels: 3, attribute: [ints('pads', [1, 0, 1, 1])] },
  { name: 'group 4 of one channel each, 2 outputs per group (depthwise, multiplier 2), strides 2', group: 4, outChannels: 8, attribute: [ints('strides', [2, 2])] },
  { name: 'group 4, one output per group (depthwise), dilations [2,1]', group: 4, outChannels: 4, attribute: [ints('dilations', [2, 1])] },
  { name: 'group 2 of two channels each, 3 outputs per group, pads [0,1,0,1]', group: 2, outChannels: 6, attribute: [ints('pads', [0, 1, 0, 1])] },
];

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: the imported node matches onnxruntime', async ({ group, outChannels, attribute }) => {
    await pc.setBackend(backend);
    await expectImportMatchesOnnxruntime(convGraph(group, outChannels, attribute), INPUT_SHAPE);
  });
});

it('a group that does not divide the channels is an error naming the node and the shapes, and leaks nothing', async () => {
  await pc.setBackend('naive');
  const x = pc.zeros(INPUT_SHAPE);
  const before = pc.memory().numTensors;
  const imported = importOnnx(convGraph(3, 3, [], 1));
  expect(() => imported.predict(x)).toThrow(
    "importOnnx: node 'Conv_1' (Conv): group 3 must divide X's 4 channels and W's 3 output channels, with W [3,1,3,2] holding 4/3 input channels per group",
  );
  imported.dispose();
  expect(pc.memory().numTensors).toBe(before);
  x.dispose();
});
