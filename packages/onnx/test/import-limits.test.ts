// What importOnnx used to refuse, now imported and held to onnxruntime on every backend: dilated
// MaxPool and AveragePool, MaxPool's Indices (row- and column-major, ties going to the first
// tap), MaxUnpool, LpPool and GlobalLpPool, BatchNormalization in training mode with its running
// statistics, LayerNormalization's Mean and InvStdDev, GroupNormalization, MeanVarianceNormalization,
// LpNormalization, Softmax, LogSoftmax and Hardmax over any axis by either opset's rule
// (before 13 the input is flattened to 2-D around the axis), ArgMax's select_last_index and
// TopK's largest 0. Gradients through them agree with central finite differences.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { expectGraphMatchesOnnxruntime, graphBytes, type NodeAttribute } from './onnx-graph.js';
import { caseBytes, expectGradientsMatchDifferences, runCase, seeded, sizeOf, type CaseInput, type ImportCase } from './import-case.js';
import { float, int, ints, text } from './single-node-graph.js';

/** Whole numbers in [-2, 2]: windows and rows with ties. */
const ties = (name: string, shape: number[], seed = 5): CaseInput => ({ name, shape, values: seeded(shape, seed, 2.5).map(Math.round) });
const images = (shape: number[], scale = 1): CaseInput => ({ name: 'x', shape, scale });
const y: { name: string } = { name: 'y' };
const indices = { name: 'indices', type: 'int64' as const };

const POOLING: ImportCase[] = [
  { name: 'MaxPool 3×3 dilations [2,2], strides [2,1], pads [1,2,2,1], ceil_mode 1', opType: 'MaxPool', inputs: [images([2, 3, 9, 8])], outputs: [y],
    attribute: [ints('kernel_shape', [3, 3]), ints('dilations', [2, 2]), ints('strides', [2, 1]), ints('pads', [1, 2, 2, 1]), int('ceil_mode', 1)] },
  { name: 'MaxPool 2×2 dilations [1,3], auto_pad VALID', opType: 'MaxPool', inputs: [images([2, 3, 7, 8])], outputs: [y],
    attribute: [ints('kernel_shape', [2, 2]), ints('dilations', [1, 3]), text('auto_pad', 'VALID')] },
  { name: 'AveragePool 3×2 dilations [2,2], pads [1,1,2,0], ceil_mode 1, padding left out of the count', opType: 'AveragePool', inputs: [images([2, 3, 9, 8])], outputs: [y], opset: 19,
    attribute: [ints('kernel_shape', [3, 2]), ints('dilations', [2, 2]), ints('strides', [2, 2]), ints('pads', [1, 1, 2, 0]), int('ceil_mode', 1)] },
  { name: 'AveragePool 3×3 dilations [2,1], pads [2,1,1,2] counted', opType: 'AveragePool', inputs: [images([2, 3, 8, 7])], outputs: [y], opset: 19,
    attribute: [ints('kernel_shape', [3, 3]), ints('dilations', [2, 1]), ints('pads', [2, 1, 1, 2]), int('count_include_pad', 1)] },
  { name: 'AveragePool 1-D kernel 3 dilations 2 strides 2, ceil_mode 1', opType: 'AveragePool', inputs: [images([2, 3, 12])], outputs: [y], opset: 19,
    attribute: [ints('kernel_shape', [3]), ints('dilations', [2]), ints('strides', [2]), ints('pads', [1, 0]), int('ceil_mode', 1)] },
  { name: 'MaxPool 2×2 with Indices, ties, storage_order 0', opType: 'MaxPool', inputs: [ties('x', [2, 3, 6, 7])], outputs: [y, indices],
    attribute: [ints('kernel_shape', [2, 2])] },
  { name: 'MaxPool 3×3 strides 2, pads [1,1,1,1], ceil_mode 1, with Indices, ties, storage_order 1', opType: 'MaxPool', inputs: [ties('x', [2, 3, 6, 7])], outputs: [y, indices],
    attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), int('ceil_mode', 1), int('storage_order', 1)] },
  { name: 'MaxPool 2×3 dilations [2,1], pads [1,0,0,2], with Indices, ties, storage_order 1', opType: 'MaxPool', inputs: [ties('x', [2, 2, 7, 6], 7)], outputs: [y, indices],
    attribute: [ints('kernel_shape', [2, 3]), ints('dilations', [2, 1]), ints('pads', [1, 0, 0, 2]), int('storage_order', 1)] },
  { name: 'MaxPool 1-D kernel 3 dilations 2, pads [2,1], with Indices', opType: 'MaxPool', inputs: [ties('x', [2, 3, 11], 9)], outputs: [y, indices],
    attribute: [ints('kernel_shape', [3]), ints('dilations', [2]), ints('pads', [2, 1])] },
  { name: 'MaxPool 3-D [2,2,2] strides [1,2,2] dilations [1,1,2], with Indices, storage_order 0', opType: 'MaxPool', inputs: [ties('x', [2, 2, 4, 5, 6], 11)], outputs: [y, indices],
    attribute: [ints('kernel_shape', [2, 2, 2]), ints('strides', [1, 2, 2]), ints('dilations', [1, 1, 2])] },
  { name: 'LpPool 3×3 strides 2, pads [1,1,1,1], p 2 (the default)', opType: 'LpPool', inputs: [images([2, 3, 7, 8])], outputs: [y], opset: 18,
    attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])] },
  { name: 'LpPool 2×2 p 3, dilations [2,1], ceil_mode 1, strides 2', opType: 'LpPool', inputs: [images([2, 3, 7, 8])], outputs: [y], opset: 18,
    attribute: [ints('kernel_shape', [2, 2]), int('p', 3), ints('dilations', [2, 1]), int('ceil_mode', 1), ints('strides', [2, 2])] },
  { name: 'LpPool 1-D kernel 3, p 1, opset 11', opType: 'LpPool', inputs: [images([2, 3, 9])], outputs: [y], opset: 11, attribute: [ints('kernel_shape', [3]), int('p', 1)] },
  { name: 'GlobalLpPool p 2 (the default) on images', opType: 'GlobalLpPool', inputs: [images([2, 3, 4, 5])], outputs: [y] },
  { name: 'GlobalLpPool p 3 on volumes', opType: 'GlobalLpPool', inputs: [images([2, 3, 2, 3, 4])], outputs: [y], attribute: [int('p', 3)] },
];

const perChannel = (prefix: string, channels: number, seed: number) => [
  { name: `${prefix}scale`, shape: [channels], values: seeded([channels], seed) },
  { name: `${prefix}B`, shape: [channels], values: seeded([channels], seed + 1) },
];
const runningStatistics = (channels: number, seed: number) => [
  { name: 'mean', shape: [channels], values: seeded([channels], seed) },
  { name: 'var', shape: [channels], values: seeded([channels], seed + 1).map((v) => Math.abs(v) + 0.2) },
];

const NORMALIZATION: ImportCase[] = [
  { name: 'BatchNormalization training_mode 1 on images, momentum 0.8, epsilon 0.01: Y and the running statistics', opType: 'BatchNormalization', opset: 15,
    inputs: [images([4, 3, 5, 2], 2)], constants: [...perChannel('', 3, 21), ...runningStatistics(3, 23)], outputs: [y, { name: 'running_mean' }, { name: 'running_var' }],
    attribute: [int('training_mode', 1), float('momentum', 0.8), float('epsilon', 0.01)] },
  // onnxruntime takes training_mode 1 only with all three outputs.
  { name: 'BatchNormalization training_mode 1 on features [N,C], momentum 0.9 (the default), opset 14', opType: 'BatchNormalization', opset: 14,
    inputs: [images([6, 3], 3)], constants: [...perChannel('', 3, 25), ...runningStatistics(3, 27)], outputs: [y, { name: 'running_mean' }, { name: 'running_var' }], attribute: [int('training_mode', 1)] },
  { name: 'BatchNormalization training_mode 1 on sequences, momentum 0: the running statistics are the batch\'s', opType: 'BatchNormalization', opset: 15,
    inputs: [images([3, 2, 7])], constants: [...perChannel('', 2, 29), ...runningStatistics(2, 31)], outputs: [y, { name: 'running_mean' }, { name: 'running_var' }], attribute: [int('training_mode', 1), float('momentum', 0)] },
  { name: 'LayerNormalization over the last axis with Mean and InvStdDev', opType: 'LayerNormalization',
    inputs: [images([2, 3, 4, 5], 2)], constants: perChannel('', 5, 41), outputs: [y, { name: 'mean' }, { name: 'inv_std_dev' }] },
  { name: 'LayerNormalization from axis 1, epsilon 0.001, InvStdDev only', opType: 'LayerNormalization', attribute: [int('axis', 1), float('epsilon', 0.001)],
    inputs: [images([2, 3, 4])], constants: [{ name: 'scale', shape: [3, 4], values: seeded([3, 4], 43) }], outputs: [y, { name: '' }, { name: 'inv_std_dev' }] },
  { name: 'GroupNormalization, 2 groups of 3 channels, scale and bias per group (opset 18)', opType: 'GroupNormalization', opset: 18, attribute: [int('num_groups', 2)],
    inputs: [images([2, 6, 3, 4], 2)], constants: [{ name: 'scale', shape: [2], values: [1.5, -0.5] }, { name: 'bias', shape: [2], values: [0.25, 1] }], outputs: [y] },
  { name: 'GroupNormalization, 3 groups, epsilon 0.01, scale and bias per channel (opset 21)', opType: 'GroupNormalization', opset: 21, attribute: [int('num_groups', 3), float('epsilon', 0.01)],
    inputs: [images([2, 6, 5])], constants: perChannel('', 6, 45), outputs: [y] },
  { name: 'MeanVarianceNormalization over [0,2,3] (the default)', opType: 'MeanVarianceNormalization', inputs: [images([2, 3, 4, 5], 2)], outputs: [y] },
  { name: 'MeanVarianceNormalization over axes [1,-1]', opType: 'MeanVarianceNormalization', inputs: [images([2, 3, 4])], outputs: [y], attribute: [ints('axes', [1, -1])] },
  { name: 'LpNormalization p 2, axis -1 (the defaults), a zero row', opType: 'LpNormalization', inputs: [{ name: 'x', shape: [3, 4], values: [1, -2, 3, 0.5, 0, 0, 0, 0, -0.25, 4, 2, -1] }], outputs: [y] },
  { name: 'LpNormalization p 1 along axis 1', opType: 'LpNormalization', inputs: [images([2, 3, 4])], outputs: [y], attribute: [int('p', 1), int('axis', 1)] },
];

const softmaxLike = (opType: string, opset: number, shape: number[], axis?: number, input: CaseInput = images(shape, 3)): ImportCase => ({
  name: `${opType}, opset ${opset}, ${axis === undefined ? 'the default axis' : `axis ${axis}`} of [${shape.join(',')}]`,
  opType, opset, inputs: [input], outputs: [y], attribute: axis === undefined ? [] : [int('axis', axis)],
});

const SOFTMAX: ImportCase[] = [
  softmaxLike('Softmax', 13, [2, 3, 4, 5], 1),
  softmaxLike('Softmax', 13, [2, 3, 4, 5], -3),
  softmaxLike('Softmax', 13, [2, 3, 4], 0),
  softmaxLike('Softmax', 13, [2, 3, 4]),
  softmaxLike('LogSoftmax', 13, [2, 3, 4, 5], 2),
  softmaxLike('Softmax', 11, [2, 3, 4, 5]),
  softmaxLike('Softmax', 11, [2, 3, 4, 5], 2),
  softmaxLike('Softmax', 11, [2, 3, 4, 5], -1),
  softmaxLike('LogSoftmax', 12, [2, 3, 4, 5], 0),
  softmaxLike('LogSoftmax', 11, [2, 3, 4]),
  softmaxLike('Hardmax', 13, [2, 3, 4, 5], 1, ties('x', [2, 3, 4, 5])),
  softmaxLike('Hardmax', 13, [2, 3, 4, 5], undefined, ties('x', [2, 3, 4, 5], 6)),
  softmaxLike('Hardmax', 11, [2, 3, 4, 5], undefined, ties('x', [2, 3, 4, 5], 7)),
  softmaxLike('Hardmax', 11, [2, 3, 4, 5], 2, ties('x', [2, 3, 4, 5], 8)),
];

const k = (value: number) => ({ name: 'k', shape: [1], type: 'int64' as const, values: [value] });

const SELECTION: ImportCase[] = [
  { name: 'ArgMax, select_last_index 1, ties, axis 1', opType: 'ArgMax', opset: 13, inputs: [ties('x', [2, 5, 3], 12)], outputs: [indices], attribute: [int('axis', 1), int('select_last_index', 1)] },
  { name: 'ArgMax, select_last_index 1, ties, axis -1, keepdims 0', opType: 'ArgMax', opset: 13, inputs: [ties('x', [3, 6], 13)], outputs: [indices],
    attribute: [int('axis', -1), int('select_last_index', 1), int('keepdims', 0)] },
  { name: 'ArgMax, the first of ties (the default), axis 0', opType: 'ArgMax', opset: 13, inputs: [ties('x', [5, 4], 14)], outputs: [indices] },
  { name: 'TopK largest 0: the 3 smallest along the last axis, ties', opType: 'TopK', opset: 11, inputs: [ties('x', [2, 3, 6], 15)], constants: [k(3)], outputs: [y, indices], attribute: [int('largest', 0)] },
  { name: 'TopK largest 0: the 2 smallest along axis 1', opType: 'TopK', opset: 11, inputs: [images([2, 5, 3])], constants: [k(2)], outputs: [y, indices], attribute: [int('largest', 0), int('axis', 1)] },
];

const largest = new Map<string, number>();

describe.each(BACKENDS)('on %s', (backend) => {
  // Titles by %s: vitest shortens a $name to 40 characters.
  it.each([...POOLING, ...NORMALIZATION, ...SOFTMAX, ...SELECTION].map((c) => [c.name, c] as const))('%s matches onnxruntime', async (_, importCase) => {
    await pc.setBackend(backend);
    const difference = await runCase(importCase);
    largest.set(importCase.opType, Math.max(largest.get(importCase.opType) ?? 0, difference));
  });
});

afterAll(() => {
  if (process.env['REPORT_DIFFERENCES']) console.info([...largest].map(([op, d]) => `${op}: ${d.toExponential(2)}`).join('\n'));
});

/** MaxPool's Y and Indices into MaxUnpool, as torch.onnx writes max_unpool2d: `windows` the pooling's attributes, `shape` a known output_shape. */
function unpoolGraph(inputShape: number[], windows: NodeAttribute[], shape?: number[]): Uint8Array {
  return graphBytes({
    opset: 11,
    nodes: [
      { opType: 'MaxPool', inputs: ['x'], outputs: ['pooled', 'indices'], attribute: windows },
      { opType: 'MaxUnpool', inputs: ['pooled', 'indices', ...(shape ? ['shape'] : [])], outputs: ['y'], attribute: windows.filter((a) => a.name !== 'ceil_mode') },
    ],
    inputs: [{ name: 'x', shape: inputShape }],
    outputs: [{ name: 'y' }],
    initializers: shape ? [{ name: 'shape', shape: [4], values: shape, type: 'int64' }] : [],
  });
}

describe.each(BACKENDS)('on %s, MaxUnpool', (backend) => {
  it.each([
    { name: '2×2 strides 2 (the default output shape)', input: [2, 3, 6, 8], windows: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
    { name: '3×3 strides 2, pads [1,1,1,1]: overlapping windows repeat indices', input: [2, 3, 7, 7], windows: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])] },
    { name: '2×2 strides 2 into a given output_shape [2,3,6,7]', input: [2, 3, 6, 7], windows: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])], shape: [2, 3, 6, 7] },
  ])('$name matches onnxruntime', async ({ input, windows, shape }) => {
    await pc.setBackend(backend);
    const x = pc.tensor(seeded(input, 91, 3).map(Math.round), input);
    largest.set('MaxUnpool', Math.max(largest.get('MaxUnpool') ?? 0, await expectGraphMatchesOnnxruntime(unpoolGraph(input, windows, shape), [x])));
    x.dispose();
  });
});

/**
 * A graph of the new paths in a row, its weights the float initializers: x·w → MaxPool dilated →
 * BatchNormalization (training) → Softmax over the channels → LpPool, then y·target summed.
 */
function chainGraph(): Uint8Array {
  return graphBytes({
    opset: 18,
    nodes: [
      { opType: 'Mul', inputs: ['x', 'w'], outputs: ['scaled'] },
      { opType: 'MaxPool', inputs: ['scaled'], outputs: ['pooled'], attribute: [ints('kernel_shape', [2, 2]), ints('dilations', [2, 1]), ints('pads', [1, 0, 0, 1])] },
      { opType: 'BatchNormalization', inputs: ['pooled', 'scale', 'B', 'mean', 'var'], outputs: ['normalized'], attribute: [int('training_mode', 1)] },
      { opType: 'Softmax', inputs: ['normalized'], outputs: ['probabilities'], attribute: [int('axis', 1)] },
      { opType: 'LpPool', inputs: ['probabilities'], outputs: ['y'], attribute: [ints('kernel_shape', [2, 2]), int('p', 3)] },
    ],
    inputs: [{ name: 'x', shape: [3, 2, 5, 4] }],
    outputs: [{ name: 'y' }],
    initializers: [{ name: 'w', shape: [1, 2, 1, 1], values: [0.7, -1.3] }, ...perChannel('', 2, 51), ...runningStatistics(2, 53)],
  });
}

describe.each(BACKENDS)('on %s, gradients', (backend) => {
  it('through dilated MaxPool, training BatchNormalization, Softmax over axis 1 and LpPool agree with central differences', async () => {
    await pc.setBackend(backend);
    const x = pc.tensor(seeded([3, 2, 5, 4], 61, 2), [3, 2, 5, 4]);
    expectGradientsMatchDifferences(chainGraph(), x, ['w', 'scale', 'B'], 1e-2, 2e-3);
    x.dispose();
  });
});

describe('malformed attributes are errors naming the node and what was expected, and leak nothing', () => {
  const ERRORS: { importCase: ImportCase; message: string }[] = [
    { importCase: { name: '', opType: 'MaxPool', inputs: [images([1, 1, 4, 4])], outputs: [y, indices], attribute: [ints('kernel_shape', [2, 2]), int('storage_order', 2)] },
      message: "importOnnx: node 'MaxPool_1' (MaxPool): storage_order 2 must be 0 (row-major) or 1 (column-major)" },
    { importCase: { name: '', opType: 'LpPool', inputs: [images([1, 1, 4, 4])], outputs: [y], attribute: [ints('kernel_shape', [2, 2]), int('p', 0)] },
      message: "importOnnx: node 'LpPool_1' (LpPool): p 0 must be positive" },
    { importCase: { name: '', opType: 'BatchNormalization', opset: 15, inputs: [images([2, 3])], constants: [...perChannel('', 3, 1), ...runningStatistics(3, 3)], outputs: [y], attribute: [int('training_mode', 2)] },
      message: "importOnnx: node 'BatchNormalization_1' (BatchNormalization): training_mode 2 must be 0 or 1" },
    { importCase: { name: '', opType: 'BatchNormalization', opset: 15, inputs: [images([2, 3])], constants: [...perChannel('', 3, 1), ...runningStatistics(3, 3)], outputs: [y, { name: 'running_mean' }] },
      message: "importOnnx: node 'BatchNormalization_1' (BatchNormalization): the outputs running_mean and running_var are only given in training (training_mode 1)" },
    { importCase: { name: '', opType: 'BatchNormalization', opset: 9, inputs: [images([2, 3])], constants: [...perChannel('', 3, 1), ...runningStatistics(3, 3)], outputs: [y, { name: 'mean' }] },
      message: "importOnnx: node 'BatchNormalization_1' (BatchNormalization): the outputs beyond Y (training in opset 9) are not supported; only Y, or opset 14 on with training_mode 1" },
    { importCase: { name: '', opType: 'LpNormalization', inputs: [images([2, 3])], outputs: [y], attribute: [int('p', 3)] },
      message: "importOnnx: node 'LpNormalization_1' (LpNormalization): p 3 must be 1 or 2" },
    { importCase: softmaxLike('Softmax', 13, [2, 3], 2),
      message: "importOnnx: node 'Softmax_1' (Softmax): axis 2 is out of range for rank 2; expected [-2, 1]" },
  ];
  it.each(ERRORS)('$message', async ({ importCase, message }) => {
    await pc.setBackend('naive');
    const x = pc.zeros(importCase.inputs[0]!.shape);
    const before = pc.memory().numTensors;
    const imported = importOnnx(caseBytes(importCase));
    expect(() => imported.predict(x)).toThrow(message);
    imported.dispose();
    expect(pc.memory().numTensors).toBe(before);
    x.dispose();
  });
});

it('the cases cover each op on inputs of the sizes they name', () => {
  for (const importCase of [...POOLING, ...NORMALIZATION, ...SOFTMAX, ...SELECTION]) {
    for (const input of importCase.inputs) expect(input.values?.length ?? sizeOf(input.shape)).toBe(sizeOf(input.shape));
  }
});
