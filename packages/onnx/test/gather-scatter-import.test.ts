// The element-wise gathers and scatters and the other ops torch.onnx writes that importOnnx
// lacked — GatherElements, ScatterElements (every reduction, duplicates included, and opset 9's
// Scatter), ReverseSequence, NonZero, Compress, EyeLike, CastLike, Shrink, and the losses
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss — held to onnxruntime on every backend;
// gradients through the gathers, scatters and losses agree with central differences.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { constant, expectGraphMatchesOnnxruntime, graphBytes } from './onnx-graph.js';
import { caseBytes, expectGradientsMatchDifferences, runCase, seeded, type ImportCase } from './import-case.js';
import { float, int, text } from './single-node-graph.js';

const y = { name: 'y' };
const DATA = { name: 'data', shape: [3, 4, 5], scale: 2 };

/** Indices in [-size, size), negative ones counting from the end, seeded. */
const indexValues = (shape: number[], size: number, seed: number): number[] => seeded(shape, seed).map((v) => Math.min(Math.floor((v + 1) * size), 2 * size - 1) - size);

const gatherElements = (axis: number, indexShape: number[], seed: number, known = false): ImportCase => {
  const size = DATA.shape.at(axis)!;
  const index = { name: 'indices', shape: indexShape, type: 'int64' as const, values: indexValues(indexShape, size, seed) };
  return {
    name: `GatherElements axis ${axis}, indices [${indexShape.join(',')}]${known ? ' (an initializer)' : ''}`, opType: 'GatherElements', attribute: [int('axis', axis)], outputs: [y],
    inputs: known ? [DATA] : [DATA, index], ...(known ? { constants: [index] } : {}),
  };
};

/** Duplicates on purpose: every update of a row lands on one of two places. */
const scatterElements = (reduction: string, axis: number, indexShape: number[], opset = 18): ImportCase => {
  const size = DATA.shape.at(axis)!;
  const values = seeded(indexShape, 70 + axis).map((v) => (v < 0 ? 1 : -size));
  return {
    name: `ScatterElements reduction '${reduction}', axis ${axis}, indices [${indexShape.join(',')}] with duplicates`, opType: 'ScatterElements', opset, outputs: [y],
    attribute: [int('axis', axis), ...(reduction === 'none' ? [] : [text('reduction', reduction)])],
    inputs: [DATA, { name: 'indices', shape: indexShape, type: 'int64', values }, { name: 'updates', shape: indexShape, seed: 9, scale: 3 }],
  };
};

const CASES: ImportCase[] = [
  gatherElements(0, [2, 4, 5], 11),
  gatherElements(1, [3, 6, 2], 12),
  gatherElements(-1, [2, 3, 7], 13),
  gatherElements(2, [3, 4, 3], 14, true),
  ...['none', 'add', 'mul', 'max', 'min'].flatMap((reduction) => [scatterElements(reduction, 1, [3, 6, 5]), scatterElements(reduction, -1, [2, 3, 4])]),
  { ...scatterElements('none', 0, [4, 2, 3], 9), name: 'Scatter (opset 9) axis 0, smaller indices', opType: 'Scatter' },
  { name: 'ReverseSequence, time_axis 0, batch_axis 1', opType: 'ReverseSequence', outputs: [y], opset: 10,
    inputs: [{ name: 'x', shape: [5, 4, 2] }, { name: 'lengths', shape: [4], type: 'int64', values: [5, 1, 3, 0] }] },
  { name: 'ReverseSequence, time_axis 1, batch_axis 0, lengths an initializer', opType: 'ReverseSequence', outputs: [y], opset: 10, attribute: [int('time_axis', 1), int('batch_axis', 0)],
    inputs: [{ name: 'x', shape: [3, 6] }], constants: [{ name: 'lengths', shape: [3], type: 'int64', values: [2, 6, 4] }] },
  { name: 'NonZero of a computed float input', opType: 'NonZero', outputs: [{ name: 'y', type: 'int64' }], inputs: [{ name: 'x', shape: [2, 3, 4], values: seeded([2, 3, 4], 21).map((v) => (v > 0.2 ? v : 0)) }] },
  { name: 'Compress along axis 1', opType: 'Compress', outputs: [y], attribute: [int('axis', 1)],
    inputs: [{ name: 'x', shape: [2, 5, 3] }, { name: 'condition', shape: [5], type: 'bool', values: [1, 0, 1, 1, 0] }] },
  { name: 'Compress along axis -1 with a shorter condition', opType: 'Compress', outputs: [y], attribute: [int('axis', -1)],
    inputs: [{ name: 'x', shape: [2, 5] }, { name: 'condition', shape: [3], type: 'bool', values: [0, 1, 1] }] },
  { name: 'Compress of the flattened input', opType: 'Compress', outputs: [y],
    inputs: [{ name: 'x', shape: [2, 3] }, { name: 'condition', shape: [6], type: 'bool', values: [1, 1, 0, 0, 1, 0] }] },
  { name: 'EyeLike k 1 of a float input', opType: 'EyeLike', outputs: [y], attribute: [int('k', 1)], inputs: [{ name: 'x', shape: [3, 5] }] },
  { name: 'EyeLike k -2, dtype int32', opType: 'EyeLike', outputs: [{ name: 'y', type: 'int32' }], attribute: [int('k', -2), int('dtype', 6)], inputs: [{ name: 'x', shape: [4, 3] }] },
  { name: 'CastLike a float to int32', opType: 'CastLike', opset: 15, outputs: [{ name: 'y', type: 'int32' }],
    inputs: [{ name: 'x', shape: [2, 3], values: [1.5, -2.5, 3.9, -0.2, 7, 0] }, { name: 'like', shape: [1], type: 'int32', values: [0] }] },
  { name: 'CastLike an int64 to float', opType: 'CastLike', opset: 15, outputs: [y],
    inputs: [{ name: 'x', shape: [4], type: 'int64', values: [3, -1, 0, 12] }, { name: 'like', shape: [2], values: [0, 0] }] },
  { name: 'NegativeLogLikelihoodLoss, reduction none, [N,C]', opType: 'NegativeLogLikelihoodLoss', opset: 13, outputs: [y], attribute: [text('reduction', 'none')],
    inputs: [{ name: 'x', shape: [3, 4], scale: 3 }, { name: 'target', shape: [3], type: 'int64', values: [2, 0, 3] }] },
  { name: 'NegativeLogLikelihoodLoss, mean (the default) with class weights and ignore_index -100, [N,C,d]', opType: 'NegativeLogLikelihoodLoss', opset: 13, outputs: [y], attribute: [int('ignore_index', -100)],
    inputs: [{ name: 'x', shape: [2, 4, 3], scale: 3 }, { name: 'target', shape: [2, 3], type: 'int64', values: [1, -100, 3, 0, 2, 2] }], constants: [{ name: 'weight', shape: [4], values: [0.5, 2, 1, 1.5] }] },
  { name: 'NegativeLogLikelihoodLoss, sum, [N,C,d1,d2]', opType: 'NegativeLogLikelihoodLoss', opset: 13, outputs: [y], attribute: [text('reduction', 'sum')],
    inputs: [{ name: 'x', shape: [2, 3, 2, 2], scale: 3 }, { name: 'target', shape: [2, 2, 2], type: 'int64', values: [0, 1, 2, 1, 2, 2, 0, 1] }] },
  { name: 'SoftmaxCrossEntropyLoss, mean (the default)', opType: 'SoftmaxCrossEntropyLoss', opset: 13, outputs: [y],
    inputs: [{ name: 'scores', shape: [4, 5], scale: 3 }, { name: 'labels', shape: [4], type: 'int64', values: [4, 0, 2, 2] }] },
  { name: 'SoftmaxCrossEntropyLoss, weights, ignore_index 1, with log_prob, [N,C,d]', opType: 'SoftmaxCrossEntropyLoss', opset: 13, outputs: [y, { name: 'log_prob' }], attribute: [int('ignore_index', 1)],
    inputs: [{ name: 'scores', shape: [2, 3, 4], scale: 3 }, { name: 'labels', shape: [2, 4], type: 'int64', values: [0, 1, 2, 1, 2, 0, 0, 1] }], constants: [{ name: 'weights', shape: [3], values: [1.5, 0.5, 2] }] },
  { name: 'SoftmaxCrossEntropyLoss, reduction none', opType: 'SoftmaxCrossEntropyLoss', opset: 13, outputs: [y], attribute: [text('reduction', 'none')],
    inputs: [{ name: 'scores', shape: [3, 4], scale: 3 }, { name: 'labels', shape: [3], type: 'int64', values: [3, 3, 0] }] },
  { name: 'Shrink lambd 0.5, bias 0 (the defaults)', opType: 'Shrink', outputs: [y], inputs: [{ name: 'x', shape: [2, 3, 4], scale: 2 }] },
  { name: 'Shrink lambd 1, bias 0.25', opType: 'Shrink', outputs: [y], attribute: [float('lambd', 1), float('bias', 0.25)], inputs: [{ name: 'x', shape: [2, 3, 4], scale: 2 }] },
];

const largest = new Map<string, number>();

describe.each(BACKENDS)('on %s', (backend) => {
  // Titles by %s: vitest shortens a $name to 40 characters.
  it.each(CASES.map((c) => [c.name, c] as const))('%s matches onnxruntime', async (_, importCase) => {
    await pc.setBackend(backend);
    const difference = await runCase(importCase);
    largest.set(importCase.opType, Math.max(largest.get(importCase.opType) ?? 0, difference));
  });
});

afterAll(() => {
  if (process.env['REPORT_DIFFERENCES']) console.info([...largest].map(([op, d]) => `${op}: ${d.toExponential(2)}`).join('\n'));
});

/** NonZero of a known input stays known: Reshape (which needs its shape at import) can take it. */
it.each(BACKENDS)('on %s, NonZero of a Constant is known at import and feeds a Reshape as its shape', async (backend) => {
  await pc.setBackend(backend);
  const bytes = graphBytes({
    nodes: [
      constant({ name: 'mask', shape: [4], values: [0, 1, 0, 3], type: 'float' }),
      constant({ name: 'first', shape: [1], values: [0] }),
      { opType: 'NonZero', inputs: ['mask'], outputs: ['where'] },
      { opType: 'Squeeze', inputs: ['where', 'first'], outputs: ['shape'] },
      { opType: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] },
    ],
    inputs: [{ name: 'x', shape: [3] }],
    outputs: [{ name: 'y' }],
  });
  const x = pc.tensor([1, 2, 3], [3]);
  await expectGraphMatchesOnnxruntime(bytes, [x]);
  x.dispose();
});

/** data → GatherElements → ScatterElements (max) onto a weight, summed against a target. */
function chainGraph(): Uint8Array {
  return graphBytes({
    opset: 18,
    nodes: [
      { opType: 'Mul', inputs: ['x', 'w'], outputs: ['scaled'] },
      { opType: 'GatherElements', inputs: ['scaled', 'gather_at'], outputs: ['picked'], attribute: [int('axis', 1)] },
      { opType: 'ScatterElements', inputs: ['base', 'scatter_at', 'picked'], outputs: ['maxed'], attribute: [int('axis', 1), text('reduction', 'max')] },
      { opType: 'ScatterElements', inputs: ['maxed', 'scatter_at', 'picked'], outputs: ['y'], attribute: [int('axis', 1), text('reduction', 'mul')] },
    ],
    inputs: [{ name: 'x', shape: [2, 4] }],
    outputs: [{ name: 'y' }],
    initializers: [
      { name: 'w', shape: [1, 4], values: [0.5, -1.5, 2, 0.75] },
      { name: 'base', shape: [2, 5], values: seeded([2, 5], 81) },
      { name: 'gather_at', shape: [2, 3], type: 'int64', values: [0, 3, -1, 2, 1, 2] },
      { name: 'scatter_at', shape: [2, 3], type: 'int64', values: [4, 0, 4, 1, 1, 3] },
    ],
  });
}

/** x·w [N, C, d] → SoftmaxCrossEntropyLoss against fixed labels, class weights and ignore_index 2: the loss of a torch classifier. */
function lossGraph(): Uint8Array {
  return graphBytes({
    opset: 13,
    nodes: [
      { opType: 'Mul', inputs: ['x', 'w'], outputs: ['scores'] },
      { opType: 'SoftmaxCrossEntropyLoss', inputs: ['scores', 'labels', 'class_weights'], outputs: ['y'], attribute: [int('ignore_index', 2)] },
    ],
    inputs: [{ name: 'x', shape: [3, 4, 2] }],
    outputs: [{ name: 'y' }],
    initializers: [
      { name: 'w', shape: [1, 4, 1], values: [0.5, -1.5, 2, 0.75] },
      { name: 'labels', shape: [3, 2], type: 'int64', values: [0, 2, 3, 1, 2, 1] },
      { name: 'class_weights', shape: [4], values: [1, 0.5, 3, 2] },
    ],
  });
}

describe.each(BACKENDS)('on %s, gradients', (backend) => {
  it('through GatherElements and ScatterElements (max, mul, duplicates) agree with central differences', async () => {
    await pc.setBackend(backend);
    const x = pc.tensor(seeded([2, 4], 82, 2), [2, 4]);
    expectGradientsMatchDifferences(chainGraph(), x, ['w', 'base'], 1e-3, 5e-3);
    x.dispose();
  });
  it('through SoftmaxCrossEntropyLoss (class weights, an ignored class) agree with central differences', async () => {
    await pc.setBackend(backend);
    const x = pc.tensor(seeded([3, 4, 2], 84, 2), [3, 4, 2]);
    expectGradientsMatchDifferences(lossGraph(), x, ['w'], 1e-3, 5e-3);
    x.dispose();
  });
});

describe('malformed inputs are errors naming the node and what was expected, and leak nothing', () => {
  const ERRORS: { importCase: ImportCase; message: string }[] = [
    { importCase: { ...scatterElements('none', 1, [3, 6, 5]), attribute: [int('axis', 1), text('reduction', 'mean')] },
      message: "importOnnx: node 'ScatterElements_1' (ScatterElements): reduction 'mean' is not one of 'none', 'add', 'mul', 'max', 'min'" },
    { importCase: { ...gatherElements(0, [2, 4, 5], 11), attribute: [int('axis', 3)] },
      message: "importOnnx: node 'GatherElements_1' (GatherElements): axis 3 is out of range for rank 3; expected [-3, 2]" },
    { importCase: gatherElements(1, [3, 6, 7], 12),
      message: "importOnnx: node 'GatherElements_1' (GatherElements): expected indices of data's rank, no larger on the axes but 1, got data [3,4,5] and indices [3,6,7]" },
  ];
  it.each(ERRORS)('$message', async ({ importCase, message }) => {
    await pc.setBackend('naive');
    const inputs = importCase.inputs.map(({ shape, type, values }) => pc.tensor(values ?? new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0), shape, type === 'int64' ? 'int32' : 'float32'));
    const before = pc.memory().numTensors;
    const imported = importOnnx(caseBytes(importCase));
    expect(() => pc.tidy(() => imported.call(inputs))).toThrow(message);
    imported.dispose();
    expect(pc.memory().numTensors).toBe(before);
    pc.dispose(inputs);
  });
});
