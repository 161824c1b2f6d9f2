// ONNX Conv, ConvTranspose, MaxPool and AveragePool over one spatial axis (X [N, C, L], as
// torch.nn.Conv1d exports) and three (X [N, C, D, H, W]), and the 2-D attributes the exporter does
// not write (SAME_LOWER, dilations with strides, ceil_mode, grouped or dilated ConvTranspose,
// output_shape), import and agree with onnxruntime on the same graph (which refuses dilations with
// auto_pad SAME_*, so those take explicit pads); what core cannot compute,
// or a malformed attribute, is an error naming the node, the attribute and its value.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { expectImportMatchesOnnxruntime, int, ints, singleNodeGraph, text, uniform, type Attribute } from './single-node-graph.js';

type OpType = 'Conv' | 'ConvTranspose' | 'MaxPool' | 'AveragePool';

interface WindowCase {
  name: string;
  opType: OpType;
  inputShape: number[];
  attribute: Attribute[];
  /** Conv: [M, C / group, ...kernel]; ConvTranspose: [C, M / group, ...kernel]. Poolings have none. */
  weightShape?: number[];
  /** The convolution's output channels, given a bias B of that many. */
  bias?: number;
}

const SEQUENCES = [2, 4, 11];
const IMAGES = [2, 4, 7, 6];
const VOLUMES = [2, 4, 5, 6, 4];

const CASES: WindowCase[] = [
  // 1-D
  { name: 'Conv 1-D, pads [2,1], strides 2, bias', opType: 'Conv', inputShape: SEQUENCES, weightShape: [3, 4, 3], bias: 3, attribute: [ints('pads', [2, 1]), ints('strides', [2])] },
  { name: 'Conv 1-D, group 2, dilations 2, pads [3,1]', opType: 'Conv', inputShape: SEQUENCES, weightShape: [6, 2, 3], attribute: [int('group', 2), ints('dilations', [2]), ints('pads', [3, 1])] },
  { name: 'Conv 1-D depthwise (group 4, 2 per group), strides 2 with dilations 2, pads [1,2]', opType: 'Conv', inputShape: SEQUENCES, weightShape: [8, 1, 3], bias: 8, attribute: [int('group', 4), ints('strides', [2]), ints('dilations', [2]), ints('pads', [1, 2])] },
  { name: 'Conv 1-D, strides 2, auto_pad SAME_LOWER (an odd pad, before)', opType: 'Conv', inputShape: SEQUENCES, weightShape: [2, 4, 4], attribute: [ints('strides', [2]), text('auto_pad', 'SAME_LOWER')] },
  { name: 'ConvTranspose 1-D, strides 2, pads [1,0], output_padding 1, bias', opType: 'ConvTranspose', inputShape: SEQUENCES, weightShape: [4, 3, 3], bias: 3, attribute: [ints('strides', [2]), ints('pads', [1, 0]), ints('output_padding', [1])] },
  { name: 'ConvTranspose 1-D, group 2, dilations 2', opType: 'ConvTranspose', inputShape: SEQUENCES, weightShape: [4, 3, 2], attribute: [int('group', 2), ints('dilations', [2])] },
  { name: 'MaxPool 1-D 3, strides 2, pads [1,1], ceil_mode 1', opType: 'MaxPool', inputShape: SEQUENCES, attribute: [ints('kernel_shape', [3]), ints('strides', [2]), ints('pads', [1, 1]), int('ceil_mode', 1)] },
  { name: 'AveragePool 1-D 3, pads [2,0], the padding left out of the count', opType: 'AveragePool', inputShape: SEQUENCES, attribute: [ints('kernel_shape', [3]), ints('pads', [2, 0])] },
  { name: 'AveragePool 1-D 2, strides 2, auto_pad SAME_LOWER (an odd pad, before, left out of the count)', opType: 'AveragePool', inputShape: SEQUENCES, attribute: [ints('kernel_shape', [2]), ints('strides', [2]), text('auto_pad', 'SAME_LOWER')] },
  { name: 'AveragePool 1-D 4, strides 3, pads [1,1] counted, ceil_mode 1', opType: 'AveragePool', inputShape: SEQUENCES, attribute: [ints('kernel_shape', [4]), ints('strides', [3]), ints('pads', [1, 1]), int('count_include_pad', 1), int('ceil_mode', 1)] },
  // 2-D, beyond what the exporter writes
  { name: 'Conv 2-D, strides [2,1], auto_pad SAME_LOWER (an odd pad, before)', opType: 'Conv', inputShape: IMAGES, weightShape: [3, 4, 3, 2], bias: 3, attribute: [ints('strides', [2, 1]), text('auto_pad', 'SAME_LOWER')] },
  { name: 'Conv 2-D, strides [2,1] with dilations [1,2], pads [1,0,0,1]', opType: 'Conv', inputShape: IMAGES, weightShape: [5, 4, 2, 2], attribute: [ints('strides', [2, 1]), ints('dilations', [1, 2]), ints('pads', [1, 0, 0, 1])] },
  { name: 'ConvTranspose 2-D, group 2, dilations [2,1], strides 2, auto_pad SAME_UPPER, bias', opType: 'ConvTranspose', inputShape: IMAGES, weightShape: [4, 3, 3, 2], bias: 6, attribute: [int('group', 2), ints('dilations', [2, 1]), ints('strides', [2, 2]), text('auto_pad', 'SAME_UPPER')] },
  { name: 'ConvTranspose 2-D, strides 2, output_shape [14,11]', opType: 'ConvTranspose', inputShape: IMAGES, weightShape: [4, 2, 3, 3], attribute: [ints('strides', [2, 2]), ints('output_shape', [14, 11])] },
  { name: 'MaxPool 2-D 2×3, strides 2, ceil_mode 1', opType: 'MaxPool', inputShape: IMAGES, attribute: [ints('kernel_shape', [2, 3]), ints('strides', [2, 2]), int('ceil_mode', 1)] },
  { name: 'AveragePool 2-D 2×3, strides 2, ceil_mode 1, the overhang left out of the count', opType: 'AveragePool', inputShape: IMAGES, attribute: [ints('kernel_shape', [2, 3]), ints('strides', [2, 2]), int('ceil_mode', 1)] },
  { name: 'AveragePool 2-D 2×2, pads [1,1,0,1] left out of the count (not TensorFlow\'s \'same\')', opType: 'AveragePool', inputShape: IMAGES, attribute: [ints('kernel_shape', [2, 2]), ints('pads', [1, 1, 0, 1])] },
  // 3-D
  { name: 'Conv 3-D 2×3×2, pads [1,0,1,0,1,1], strides [2,1,2], bias', opType: 'Conv', inputShape: VOLUMES, weightShape: [3, 4, 2, 3, 2], bias: 3, attribute: [ints('pads', [1, 0, 1, 0, 1, 1]), ints('strides', [2, 1, 2])] },
  { name: 'Conv 3-D, group 2, strides [2,1,2], auto_pad SAME_UPPER', opType: 'Conv', inputShape: VOLUMES, weightShape: [4, 2, 2, 3, 2], attribute: [int('group', 2), ints('strides', [2, 1, 2]), text('auto_pad', 'SAME_UPPER')] },
  { name: 'Conv 3-D, dilations [2,1,2], pads [2,0,1,1,1,0]', opType: 'Conv', inputShape: VOLUMES, weightShape: [3, 4, 2, 2, 2], attribute: [ints('dilations', [2, 1, 2]), ints('pads', [2, 0, 1, 1, 1, 0])] },
  { name: 'Conv 3-D depthwise (group 4), strides 2 with dilations 2, bias', opType: 'Conv', inputShape: VOLUMES, weightShape: [4, 1, 2, 2, 2], bias: 4, attribute: [int('group', 4), ints('strides', [2, 2, 2]), ints('dilations', [2, 2, 2])] },
  { name: 'ConvTranspose 3-D, strides [2,1,2], pads [1,0,0,0,1,1], output_padding [1,0,0], bias', opType: 'ConvTranspose', inputShape: VOLUMES, weightShape: [4, 3, 2, 2, 3], bias: 3, attribute: [ints('strides', [2, 1, 2]), ints('pads', [1, 0, 0, 0, 1, 1]), ints('output_padding', [1, 0, 0])] },
  { name: 'ConvTranspose 3-D, group 2, dilations [1,2,1], auto_pad SAME_LOWER', opType: 'ConvTranspose', inputShape: VOLUMES, weightShape: [4, 2, 2, 2, 2], attribute: [int('group', 2), ints('dilations', [1, 2, 1]), text('auto_pad', 'SAME_LOWER')] },
  { name: 'MaxPool 3-D 2×3×2, strides 2, pads [0,1,1,1,1,0], ceil_mode 1', opType: 'MaxPool', inputShape: VOLUMES, attribute: [ints('kernel_shape', [2, 3, 2]), ints('strides', [2, 2, 2]), ints('pads', [0, 1, 1, 1, 1, 0]), int('ceil_mode', 1)] },
  { name: 'AveragePool 3-D 2×2×2, strides 2, auto_pad SAME_UPPER, the padding left out of the count', opType: 'AveragePool', inputShape: VOLUMES, attribute: [ints('kernel_shape', [2, 2, 2]), ints('strides', [2, 2, 2]), text('auto_pad', 'SAME_UPPER')] },
  { name: 'AveragePool 3-D 3×2×2, strides 2, pads [1,1,0,1,0,1] counted, ceil_mode 1', opType: 'AveragePool', inputShape: VOLUMES, attribute: [ints('kernel_shape', [3, 2, 2]), ints('strides', [2, 2, 2]), ints('pads', [1, 1, 0, 1, 0, 1]), int('count_include_pad', 1), int('ceil_mode', 1)] },
];

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** The graph of one case's node, with seeded weights W (and B). */
function windowGraph({ opType, inputShape, attribute, weightShape, bias }: WindowCase): Uint8Array {
  const weights = weightShape ? [{ name: 'W', shape: weightShape, values: uniform(sizeOf(weightShape), 5) }] : [];
  if (bias) weights.push({ name: 'B', shape: [bias], values: uniform(bias, 6) });
  const outputChannels = bias ?? (!weightShape ? inputShape[1]! : opType === 'Conv' ? weightShape[0]! : weightShape[1]! * (attribute.find((a) => a.name === 'group')?.i ?? 1));
  return singleNodeGraph({ opType, attribute, inputShape, outputChannels, weights });
}

/** The largest difference to onnxruntime per op type and spatial rank, for the record. */
const largest = new Map<string, number>();

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: the imported node matches onnxruntime and leaks nothing', async (windowCase) => {
    await pc.setBackend(backend);
    const before = pc.memory().numTensors;
    const difference = await expectImportMatchesOnnxruntime(windowGraph(windowCase), windowCase.inputShape);
    expect(pc.memory().numTensors).toBe(before);
    const family = `${windowCase.opType} ${windowCase.inputShape.length - 2}-D`;
    largest.set(family, Math.max(largest.get(family) ?? 0, difference));
  });
});

afterAll(() => {
  if (process.env['REPORT_DIFFERENCES']) console.info([...largest].map(([family, d]) => `${family}: ${d.toExponential(2)}`).join('\n'));
});

describe('what the importer cannot run, or a malformed attribute, is an error naming the node and the value, and leaks nothing', () => {
  const ERRORS: { name: string; windowCase: WindowCase; message: string }[] = [
    {
      name: 'strides of the wrong length for a 1-D convolution',
      windowCase: { name: '', opType: 'Conv', inputShape: SEQUENCES, weightShape: [3, 4, 3], attribute: [ints('strides', [1, 1])] },
      message: "importOnnx: node 'Conv_1' (Conv): strides [1,1] must be 1 positive integer, one per spatial axis",
    },
    {
      name: 'W of another rank than X',
      windowCase: { name: '', opType: 'ConvTranspose', inputShape: VOLUMES, weightShape: [4, 3, 2, 2], attribute: [] },
      message: "importOnnx: node 'ConvTranspose_1' (ConvTranspose): expected W of X's rank 5, got X [2,4,5,6,4] and W [4,3,2,2]",
    },
    {
      name: 'pads of the wrong length for a 3-D pooling',
      windowCase: { name: '', opType: 'AveragePool', inputShape: VOLUMES, attribute: [ints('kernel_shape', [2, 2, 2]), ints('pads', [1, 1, 1, 1])] },
      message: "importOnnx: node 'AveragePool_1' (AveragePool): pads [1,1,1,1] must be 6 non-negative integers (the starts of the 3 spatial axes, then their ends)",
    },
    {
      name: 'a max pooling dilated by 0',
      windowCase: { name: '', opType: 'MaxPool', inputShape: SEQUENCES, attribute: [ints('kernel_shape', [2]), ints('dilations', [0])] },
      message: "importOnnx: node 'MaxPool_1' (MaxPool): dilations [0] must be 1 positive integer, one per spatial axis",
    },
    {
      name: 'an unknown auto_pad',
      windowCase: { name: '', opType: 'Conv', inputShape: VOLUMES, weightShape: [3, 4, 2, 2, 2], attribute: [text('auto_pad', 'SAME')] },
      message: "importOnnx: node 'Conv_1' (Conv): auto_pad 'SAME' is not one of NOTSET, VALID, SAME_UPPER and SAME_LOWER",
    },
  ];
  it.each(ERRORS)('$name', async ({ windowCase, message }) => {
    await pc.setBackend('naive');
    const x = pc.zeros(windowCase.inputShape);
    const before = pc.memory().numTensors;
    const imported = importOnnx(windowGraph(windowCase));
    expect(() => imported.predict(x)).toThrow(message);
    imported.dispose();
    expect(pc.memory().numTensors).toBe(before);
    x.dispose();
  });
});
