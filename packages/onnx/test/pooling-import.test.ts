// ONNX MaxPool and AveragePool that Perceptron's exporter does not write (pads other than
// TensorFlow's 'same', auto_pad, count_include_pad 1) import and agree with onnxruntime on the
// same graph; a malformed one is an error naming the node. (conv-ranks-import.test.ts
// has the 1-D and 3-D poolings, ceil_mode, and pads left out of the count.)
import * as pc from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { expectImportMatchesOnnxruntime, int, ints, singleNodeGraph, text, type Attribute } from './single-node-graph.js';

const INPUT_SHAPE = [2, 3, 7, 6];

/** A graph of one pooling node on channels-first images of INPUT_SHAPE (the batch symbolic). */
const poolingGraph = (opType: 'MaxPool' | 'AveragePool', attribute: Attribute[]): Uint8Array =>
  singleNodeGraph({ opType, attribute, inputShape: INPUT_SHAPE, outputChannels: INPUT_SHAPE[1]! });

const CASES: { name: string; opType: 'MaxPool' | 'AveragePool'; attribute: Attribute[] }[] = [
  { name: 'MaxPool 3×3, pads [1,0,0,2] (not \'same\'): −∞ padding, then valid', opType: 'MaxPool', attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 0, 0, 2])] },
  { name: 'MaxPool 2×2 strides 2, auto_pad SAME_UPPER', opType: 'MaxPool', attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2]), text('auto_pad', 'SAME_UPPER')] },
  { name: 'AveragePool 3×2 strides [2,1], auto_pad VALID', opType: 'AveragePool', attribute: [ints('kernel_shape', [3, 2]), ints('strides', [2, 1]), text('auto_pad', 'VALID')] },
  { name: 'AveragePool 3×3 strides 2, the \'same\' pads, the padding left out of the count', opType: 'AveragePool', attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 0, 1, 1])] },
  { name: 'AveragePool 2×2, pads [1,1,0,1] counted (count_include_pad 1)', opType: 'AveragePool', attribute: [ints('kernel_shape', [2, 2]), ints('pads', [1, 1, 0, 1]), int('count_include_pad', 1)] },
  { name: 'AveragePool 3×3 strides 2, auto_pad SAME_UPPER counted', opType: 'AveragePool', attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), text('auto_pad', 'SAME_UPPER'), int('count_include_pad', 1)] },
];

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: the imported node matches onnxruntime', async ({ opType, attribute }) => {
    await pc.setBackend(backend);
    await expectImportMatchesOnnxruntime(poolingGraph(opType, attribute), INPUT_SHAPE);
  });
});

it('a malformed pooling is an error naming the node, and leaks nothing', async () => {
  await pc.setBackend('naive');
  const x = pc.zeros(INPUT_SHAPE);
  const before = pc.memory().numTensors;
  const run = (opType: 'MaxPool' | 'AveragePool', attribute: Attribute[]) => () => {
    const imported = importOnnx(poolingGraph(opType, attribute));
    try {
      imported.predict(x);
    } finally {
      imported.dispose();
    }
  };
  expect(run('AveragePool', [ints('kernel_shape', [2, 2]), ints('dilations', [1, 2, 1])])).toThrow(
    "importOnnx: node 'AveragePool_1' (AveragePool): dilations [1,2,1] must be 2 positive integers, one per spatial axis",
  );
  expect(run('MaxPool', [ints('kernel_shape', [2, 2]), int('ceil_mode', 2)])).toThrow("importOnnx: node 'MaxPool_1' (MaxPool): ceil_mode 2 must be 0 or 1");
  expect(pc.memory().numTensors).toBe(before);
  x.dispose();
});
