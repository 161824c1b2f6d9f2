// The neural-network ops graphs from torch.onnx and tf2onnx carry besides convolutions —
// activations, normalizations, global poolings — import with ONNX's attribute defaults and
// agree with onnxruntime on the same graph, defaults and other values alike; what the importer
// cannot run, or a malformed input, is an error naming the node, the op and what was expected.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS, maxRelativeDifference } from './models.js';
import { expectImportMatchesOnnxruntime, float, int, singleNodeGraph, text, uniform, type Attribute, type Weight } from './single-node-graph.js';

interface NodeCase {
  name: string;
  opType: string;
  inputShape: number[];
  attribute?: Attribute[];
  weights?: Weight[];
  /** The opset the op needs (Mish 18, Gelu 20); 17 unless given. */
  opset?: number;
  /** The input's values lie in [-scale, scale); 1 unless given. */
  scale?: number;
  extraOutputs?: string[];
}

const IMAGES = [2, 3, 4, 5];
const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const weight = (name: string, shape: number[], seed: number): Weight => ({ name, shape, values: uniform(sizeOf(shape), seed) });
/** Values in [0.1, 1.1), for variances. */
const positive = (name: string, shape: number[], seed: number): Weight => ({ name, shape, values: uniform(sizeOf(shape), seed).map((v) => Math.abs(v) + 0.1) });
const batchNormWeights = (channels: number): Weight[] => [weight('scale', [channels], 11), weight('B', [channels], 12), weight('mean', [channels], 13), positive('var', [channels], 14)];

/** Activations see inputs in [-3, 3), both branches of each kink and the saturations. */
const activation = (name: string, opType: string, attribute: Attribute[] = [], opset?: number): NodeCase => ({ name, opType, inputShape: IMAGES, attribute, scale: 3, ...(opset ? { opset } : {}) });

const ACTIVATIONS: NodeCase[] = [
  activation('LeakyRelu, alpha 0.01 (the default)', 'LeakyRelu'),
  activation('LeakyRelu, alpha 0.3', 'LeakyRelu', [float('alpha', 0.3)]),
  activation('Elu, alpha 1 (the default)', 'Elu'),
  activation('Elu, alpha 0.5', 'Elu', [float('alpha', 0.5)]),
  activation('Selu, ONNX\'s alpha and gamma (the defaults)', 'Selu'),
  activation('Selu, alpha 1.2, gamma 2', 'Selu', [float('alpha', 1.2), float('gamma', 2)]),
  activation('Celu, alpha 1 (the default)', 'Celu'),
  activation('Celu, alpha 2', 'Celu', [float('alpha', 2)]),
  { name: 'PRelu, a slope per channel [3,1,1]', opType: 'PRelu', inputShape: IMAGES, scale: 3, weights: [weight('slope', [3, 1, 1], 21)] },
  { name: 'PRelu, a slope along the last axis [5]', opType: 'PRelu', inputShape: IMAGES, scale: 3, weights: [weight('slope', [5], 22)] },
  { name: 'PRelu, one slope [1]', opType: 'PRelu', inputShape: IMAGES, scale: 3, weights: [weight('slope', [1], 23)] },
  activation('HardSigmoid, alpha 0.2, beta 0.5 (the defaults)', 'HardSigmoid'),
  activation('HardSigmoid, alpha 0.3, beta 0.4', 'HardSigmoid', [float('alpha', 0.3), float('beta', 0.4)]),
  { ...activation('HardSwish', 'HardSwish'), scale: 5 },
  activation('Softplus', 'Softplus'),
  activation('Softsign', 'Softsign'),
  activation('Mish', 'Mish', [], 18),
  activation('ThresholdedRelu, alpha 1 (the default)', 'ThresholdedRelu'),
  activation('ThresholdedRelu, alpha -0.5', 'ThresholdedRelu', [float('alpha', -0.5)]),
  activation('Erf', 'Erf'),
  activation('Gelu, approximate \'none\' (the default)', 'Gelu', [], 20),
  activation('Gelu, approximate \'tanh\'', 'Gelu', [text('approximate', 'tanh')], 20),
];

const NORMALIZATIONS: NodeCase[] = [
  { name: 'BatchNormalization on images, epsilon 1e-5 (the default)', opType: 'BatchNormalization', inputShape: IMAGES, weights: batchNormWeights(3) },
  { name: 'BatchNormalization on sequences [N,C,L], epsilon 0.01, momentum given', opType: 'BatchNormalization', inputShape: [2, 3, 7], attribute: [float('epsilon', 0.01), float('momentum', 0.8)], weights: batchNormWeights(3) },
  { name: 'BatchNormalization on features [N,C]', opType: 'BatchNormalization', inputShape: [4, 3], weights: batchNormWeights(3) },
  { name: 'InstanceNormalization on images', opType: 'InstanceNormalization', inputShape: IMAGES, weights: [weight('scale', [3], 31), weight('B', [3], 32)] },
  { name: 'InstanceNormalization on volumes, epsilon 0.001', opType: 'InstanceNormalization', inputShape: [2, 3, 2, 3, 4], attribute: [float('epsilon', 0.001)], weights: [weight('scale', [3], 33), weight('B', [3], 34)] },
  { name: 'LayerNormalization over the last axis (the default), Scale and B [5]', opType: 'LayerNormalization', inputShape: IMAGES, weights: [weight('scale', [5], 41), weight('B', [5], 42)] },
  { name: 'LayerNormalization from axis 1, Scale [3,4,5], no B', opType: 'LayerNormalization', inputShape: IMAGES, attribute: [int('axis', 1)], weights: [weight('scale', [3, 4, 5], 43)] },
  { name: 'LayerNormalization over the last axis, its Mean asked for too (import-limits.test.ts checks Mean and InvStdDev)', opType: 'LayerNormalization', inputShape: IMAGES, weights: [weight('scale', [5], 46)], extraOutputs: ['mean'] },
  { name: 'LayerNormalization from axis -2, epsilon 0.001, Scale [1,5] broadcast, B [4,5]', opType: 'LayerNormalization', inputShape: IMAGES, attribute: [int('axis', -2), float('epsilon', 0.001)], weights: [weight('scale', [1, 5], 44), weight('B', [4, 5], 45)] },
  { name: 'LRN size 3, the defaults', opType: 'LRN', inputShape: [2, 6, 3, 4], attribute: [int('size', 3)], scale: 4 },
  { name: 'LRN size 5, alpha 0.05, beta 0.6, bias 2', opType: 'LRN', inputShape: [2, 7, 3, 4], attribute: [int('size', 5), float('alpha', 0.05), float('beta', 0.6), float('bias', 2)], scale: 4 },
];

const GLOBAL_POOLINGS: NodeCase[] = [[2, 3, 7], IMAGES, [2, 3, 2, 3, 4]].flatMap((inputShape) => ['GlobalAveragePool', 'GlobalMaxPool'].map((opType) => ({
  name: `${opType} of rank ${inputShape.length}`, opType, inputShape,
})));

function nodeGraph({ opType, inputShape, attribute = [], weights = [], opset, extraOutputs }: NodeCase): Uint8Array {
  return singleNodeGraph({ opType, attribute, inputShape, outputChannels: inputShape[1]!, weights, ...(opset ? { opset } : {}), ...(extraOutputs ? { extraOutputs } : {}) });
}

/** The largest difference to onnxruntime per op, for the record. */
const largest = new Map<string, number>();

describe.each(BACKENDS)('on %s', (backend) => {
  it.each([...ACTIVATIONS, ...NORMALIZATIONS, ...GLOBAL_POOLINGS])('$name: the imported node matches onnxruntime and leaks nothing', async (nodeCase) => {
    await pc.setBackend(backend);
    const before = pc.memory().numTensors;
    const difference = await expectImportMatchesOnnxruntime(nodeGraph(nodeCase), nodeCase.inputShape, { scale: nodeCase.scale ?? 1 });
    expect(pc.memory().numTensors).toBe(before);
    largest.set(nodeCase.opType, Math.max(largest.get(nodeCase.opType) ?? 0, difference));
  });
});

afterAll(() => {
  if (process.env['REPORT_DIFFERENCES']) console.info([...largest].map(([op, d]) => `${op}: ${d.toExponential(2)}`).join('\n'));
});

/**
 * ONNX's LRN in float64 on x [N, C, ...]: x / (bias + alpha / size · Σ x²)^beta, the sum over
 * channels c − ⌊(size − 1)/2⌋ … c + ⌈(size − 1)/2⌉ that exist.
 */
function lrnReference(x: Float32Array, shape: number[], size: number, alpha: number, beta: number, bias: number): Float64Array {
  const [batch, channels] = [shape[0]!, shape[1]!];
  const inner = sizeOf(shape.slice(2));
  const y = new Float64Array(x.length);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      for (let k = 0; k < inner; k++) {
        let sum = 0;
        for (let j = Math.max(0, c - Math.floor((size - 1) / 2)); j <= Math.min(channels - 1, c + Math.ceil((size - 1) / 2)); j++) sum += x[(n * channels + j) * inner + k]! ** 2;
        const i = (n * channels + c) * inner + k;
        y[i] = x[i]! / (bias + (alpha / size) * sum) ** beta;
      }
    }
  }
  return y;
}

// onnxruntime's LRN takes only odd sizes and X of rank 4; ONNX defines the rest, which the
// importer follows, so those are held to the ONNX formula in float64 instead.
describe.each(BACKENDS)('on %s, LRN beyond what onnxruntime runs', (backend) => {
  it.each([
    { name: 'size 4 (the window one longer after), alpha 0.05, beta 0.6, bias 2', shape: [2, 6, 3, 4], size: 4, alpha: 0.05, beta: 0.6, bias: 2 },
    { name: 'size 5 on sequences [N,C,L], alpha 0.1', shape: [2, 6, 5], size: 5, alpha: 0.1, beta: 0.75, bias: 1 },
  ])('$name matches ONNX\'s formula', async ({ shape, size, alpha, beta, bias }) => {
    await pc.setBackend(backend);
    const attribute = [int('size', size), float('alpha', alpha), float('beta', beta), float('bias', bias)];
    const imported = importOnnx(nodeGraph({ name: '', opType: 'LRN', inputShape: shape, attribute }));
    const values = uniform(sizeOf(shape), 3).map((v) => 4 * v);
    const x = pc.tensor(values, shape);
    const got = imported.predict(x) as pc.Tensor;
    const want = lrnReference(values, shape, Math.fround(size), Math.fround(alpha), Math.fround(beta), Math.fround(bias));
    expect(got.shape).toEqual(shape);
    expect(maxRelativeDifference(got.dataSync(), want)).toBeLessThan(1e-6);
    pc.dispose([x, got]);
    imported.dispose();
  });
});

describe('what the importer cannot run, or a malformed input, is an error naming the node and what was expected, and leaks nothing', () => {
  const ERRORS: { name: string; nodeCase: NodeCase; message: string }[] = [
    {
      name: 'a PRelu slope that does not broadcast to X',
      nodeCase: { name: '', opType: 'PRelu', inputShape: IMAGES, weights: [weight('slope', [4], 1)] },
      message: "importOnnx: node 'PRelu_1' (PRelu): slope [4] must broadcast to X [2,3,4,5] (each of its sizes, aligned from the last, 1 or X's)",
    },
    {
      name: 'a Gelu approximation ONNX does not define',
      nodeCase: { name: '', opType: 'Gelu', inputShape: IMAGES, attribute: [text('approximate', 'fast')], opset: 20 },
      message: "importOnnx: node 'Gelu_1' (Gelu): approximate 'fast' is not one of 'none' and 'tanh'",
    },
    {
      name: 'BatchNormalization with a training_mode ONNX does not define',
      nodeCase: { name: '', opType: 'BatchNormalization', inputShape: IMAGES, attribute: [int('training_mode', 2)], weights: batchNormWeights(3) },
      message: "importOnnx: node 'BatchNormalization_1' (BatchNormalization): training_mode 2 must be 0 or 1",
    },
    {
      name: 'BatchNormalization statistics of the wrong size',
      nodeCase: { name: '', opType: 'BatchNormalization', inputShape: IMAGES, weights: batchNormWeights(4) },
      message: "importOnnx: node 'BatchNormalization_1' (BatchNormalization): scale must be [C] for X [2,3,4,5], [3], got [4]",
    },
    {
      name: 'LayerNormalization along an axis X lacks',
      nodeCase: { name: '', opType: 'LayerNormalization', inputShape: IMAGES, attribute: [int('axis', 4)], weights: [weight('scale', [5], 1)] },
      message: "importOnnx: node 'LayerNormalization_1' (LayerNormalization): axis 4 is out of range for X [2,3,4,5]; expected -4 to 3",
    },
    {
      name: 'LRN without its size',
      nodeCase: { name: '', opType: 'LRN', inputShape: IMAGES },
      message: "importOnnx: node 'LRN_1' (LRN): size 0 must be a positive integer (the attribute is required)",
    },
    {
      name: 'a global pooling of features without spatial axes',
      nodeCase: { name: '', opType: 'GlobalAveragePool', inputShape: [2, 3] },
      message: "importOnnx: node 'GlobalAveragePool_1' (GlobalAveragePool): expected X of rank 3 or more ([N, C, ...spatial]), got X [2,3]",
    },
  ];
  it.each(ERRORS)('$name', async ({ nodeCase, message }) => {
    await pc.setBackend('naive');
    const x = pc.zeros(nodeCase.inputShape);
    const before = pc.memory().numTensors;
    const imported = importOnnx(nodeGraph(nodeCase));
    expect(() => imported.predict(x)).toThrow(message);
    imported.dispose();
    expect(pc.memory().numTensors).toBe(before);
    x.dispose();
  });
});
