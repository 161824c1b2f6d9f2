// Structural and arithmetic ONNX ops as torch.onnx and tf2onnx write them import and agree with
// onnxruntime on every backend: shape arithmetic at run time (Shape → Gather → Unsqueeze →
// Concat → Reshape, folded in numbers per call), the movement ops on tensors and static values,
// Split, Tile, Range, Dropout, variadic Sum and Mean, logic, Mod, float checks, the composite
// reductions, ArgMin, DepthToSpace / SpaceToDepth and Trilu. Graphs that cannot run are errors
// naming the node, its op and what was expected.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { constant, expectGraphMatchesOnnxruntime, graphBytes, tensorAttribute, type ElementType, type Graph, type GraphNode, type Literal, type NodeAttribute, type Signature } from './onnx-graph.js';
import { int, ints, text, uniform } from './single-node-graph.js';

/** What a case feeds one graph input: seeded floats in [-scale, scale) unless its values are given. */
interface Feed {
  shape: number[];
  type?: ElementType;
  values?: number[];
  scale?: number;
}

interface Case {
  name: string;
  graph: Graph;
  feeds: Feed[];
}

const INT64_MAX = 2 ** 63 - 1;
const node = (opType: string, inputs: string[], attribute: NodeAttribute[] = [], outputs = ['y']): GraphNode => ({ opType, inputs, outputs, attribute });
const x = (shape: (number | string)[] = ['batch', 3, 4], type: ElementType = 'float'): Signature => ({ name: 'x', shape, type });
const out = (name = 'y', type: ElementType = 'float'): Signature => ({ name, type });
const int64 = (name: string, values: number[], shape = [values.length]): Literal => ({ name, shape, values, type: 'int64' });
const floats = (name: string, values: number[], shape = [values.length]): Literal => ({ name, shape, values, type: 'float' });

/** One node reading 'x' then `operands` (initializers; '' leaves one out) and writing `outputs`. */
function oneNode(opType: string, operands: (Literal | '')[], attribute: NodeAttribute[] = [], { input = x(), outputs = [out()], opset = 17 }: { input?: Signature; outputs?: Signature[]; opset?: number } = {}): Graph {
  return {
    nodes: [node(opType, ['x', ...operands.map((o) => (o === '' ? '' : o.name))], attribute, outputs.map((o) => o.name))],
    inputs: [input], outputs, opset, initializers: operands.filter((o): o is Literal => o !== ''),
  };
}

const BATCH_FEED: Feed = { shape: [2, 3, 4] };

/** x.view(x.size(0), -1) as torch.onnx writes it. */
const viewGraph: Graph = {
  nodes: [
    node('Shape', ['x'], [], ['shape']),
    constant(int64('zero', [0], [])),
    node('Gather', ['shape', 'zero'], [int('axis', 0)], ['batch']),
    constant(int64('axes', [0])),
    node('Unsqueeze', ['batch', 'axes'], [], ['batch1']),
    constant(int64('rest', [-1])),
    node('Concat', ['batch1', 'rest'], [int('axis', 0)], ['target']),
    node('Reshape', ['x', 'target']),
  ],
  inputs: [x(['batch', 3, 4])], outputs: [out()],
};

const SHAPE_ARITHMETIC: Case[] = [
  { name: 'x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat → Reshape, batch 2', graph: viewGraph, feeds: [BATCH_FEED] },
  { name: 'the same graph at batch 5', graph: viewGraph, feeds: [{ shape: [5, 3, 4] }] },
  { name: 'Shape start 1, end -1 (opset 15)', graph: oneNode('Shape', [], [int('start', 1), int('end', -1)], { outputs: [out('y', 'int64')], input: x(['batch', 3, 4, 5]) }), feeds: [{ shape: [2, 3, 4, 5] }] },
  { name: 'Shape start -2 (to the end)', graph: oneNode('Shape', [], [int('start', -2)], { outputs: [out('y', 'int64')] }), feeds: [BATCH_FEED] },
  { name: 'Size', graph: oneNode('Size', [], [], { outputs: [out('y', 'int64')] }), feeds: [BATCH_FEED] },
  {
    name: 'Shape → Slice with step -1 (reversed, static) → Reshape to it',
    graph: {
      nodes: [
        node('Shape', ['x'], [], ['shape']),
        node('Slice', ['shape', 'starts', 'ends', 'axes', 'steps'], [], ['reversed']),
        node('Reshape', ['x', 'reversed'], [], ['y']),
        node('Identity', ['reversed'], [], ['dims']),
      ],
      inputs: [x(['batch', 3, 4, 5])], outputs: [out(), out('dims', 'int64')],
      initializers: [int64('starts', [-1]), int64('ends', [-INT64_MAX]), int64('axes', [0]), int64('steps', [-1])],
    },
    feeds: [{ shape: [2, 3, 4, 5] }],
  },
  {
    name: 'Shape → Gather 1, 2 → Mul, Div 2, Sub, Add (int64) → Concat → Reshape',
    graph: {
      nodes: [
        node('Shape', ['x'], [], ['shape']),
        node('Gather', ['shape', 'zero'], [], ['n']),
        node('Gather', ['shape', 'minus1'], [], ['w']),
        node('Gather', ['shape', 'minus2'], [], ['h']),
        node('Mul', ['h', 'w'], [], ['hw']),
        node('Div', ['hw', 'two'], [], ['half']),
        node('Sub', ['n', 'one'], [], ['n1']),
        node('Add', ['n1', 'one'], [], ['n2']),
        node('Unsqueeze', ['n2', 'axes'], [], ['n3']),
        node('Unsqueeze', ['half', 'axes'], [], ['half1']),
        node('Concat', ['n3', 'twoList', 'half1'], [int('axis', -1)], ['target']),
        node('Reshape', ['x', 'target']),
      ],
      inputs: [x(['batch', 3, 4])], outputs: [out()],
      initializers: [int64('zero', [0], []), int64('minus1', [-1], []), int64('minus2', [-2], []), int64('two', [2], []), int64('one', [1], []), int64('axes', [0]), int64('twoList', [2])],
    },
    feeds: [BATCH_FEED],
  },
  {
    name: 'expand(-1, 3, -1): Equal → Where(ConstantOfShape ones) → Expand',
    graph: {
      nodes: [
        constant(int64('sizes', [-1, 3, -1])),
        constant(int64('minus1', [-1])),
        node('Equal', ['sizes', 'minus1'], [], ['free']),
        node('Shape', ['sizes'], [], ['count']),
        node('ConstantOfShape', ['count'], [tensorAttribute('value', int64('one', [1]))], ['ones']),
        node('Where', ['free', 'ones', 'sizes'], [], ['target']),
        node('Expand', ['x', 'target']),
      ],
      inputs: [x(['batch', 1, 4])], outputs: [out()],
    },
    feeds: [{ shape: [2, 1, 4] }],
  },
  {
    name: 'arange(x.size(-1)) → Cast float → Add to x',
    graph: {
      nodes: [
        node('Shape', ['x'], [], ['shape']),
        node('Gather', ['shape', 'last'], [], ['n']),
        node('Range', ['start', 'n', 'delta'], [], ['positions']),
        node('Cast', ['positions'], [int('to', 1)], ['floats']),
        node('Add', ['x', 'floats']),
      ],
      inputs: [x()], outputs: [out()],
      initializers: [int64('last', [-1], []), int64('start', [0], []), int64('delta', [1], [])],
    },
    feeds: [BATCH_FEED],
  },
  {
    name: 'a float Range of Constants, counting down',
    graph: {
      nodes: [constant(floats('start', [2.5], [])), constant(floats('limit', [-1], [])), constant(floats('delta', [-0.75], [])), node('Range', ['start', 'limit', 'delta'], [], ['r']), node('Mul', ['x', 'r'])],
      inputs: [x(['batch', 5])], outputs: [out()],
    },
    feeds: [{ shape: [3, 5] }],
  },
  {
    name: 'Shape → Cast to float → Mul → Cast to int64 (truncating) → Tile repeats',
    graph: {
      nodes: [
        node('Shape', ['x'], [], ['shape']),
        // A float Constant stays static (a float initializer would become a weight).
        constant(floats('scale', [0.75, 1.5, 1])),
        node('Cast', ['shape'], [int('to', 1)], ['f']),
        node('Mul', ['f', 'scale'], [], ['scaled']),
        node('Cast', ['scaled'], [int('to', 7)], ['repeats']),
        node('Tile', ['x', 'repeats']),
      ],
      inputs: [x(['batch', 2, 3])], outputs: [out()],
    },
    feeds: [{ shape: [2, 2, 3] }],
  },
  {
    name: 'Squeeze and Unsqueeze of static values with negative axes, Concat of static values along -1',
    graph: {
      nodes: [
        node('Shape', ['x'], [], ['shape']),
        node('Unsqueeze', ['shape', 'axes'], [], ['column']),
        node('Concat', ['column', 'column'], [int('axis', -1)], ['pairs']),
        node('Squeeze', ['pairs', 'first'], [], ['squeezed']),
        node('Gather', ['squeezed', 'pick'], [int('axis', -1)], ['picked']),
        node('Reshape', ['x', 'picked']),
      ],
      inputs: [x(['batch', 3, 4])], outputs: [out()],
      initializers: [int64('axes', [0, -1]), int64('first', [0]), int64('pick', [-1], [])],
    },
    feeds: [BATCH_FEED],
  },
  {
    name: 'ConstantOfShape, Range and Expand to an activation\'s size (past FOLD_LIMIT) run on the backend',
    graph: {
      nodes: [
        node('Shape', ['x'], [], ['shape']),
        node('ConstantOfShape', ['shape'], [tensorAttribute('value', floats('half', [0.5]))], ['halves']),
        node('Size', ['x'], [], ['n']),
        node('Range', ['zero', 'n', 'one'], [], ['positions']),
        node('Reshape', ['positions', 'shape'], [], ['grid']),
        node('Cast', ['grid'], [int('to', 1)], ['floats']),
        constant(floats('two', [2])),
        node('Expand', ['two', 'shape'], [], ['twos']),
        node('Mul', ['x', 'halves'], [], ['a']),
        node('Add', ['a', 'floats'], [], ['b']),
        node('Mul', ['b', 'twos']),
      ],
      inputs: [x(['batch', 300, 250])], outputs: [out()],
      initializers: [int64('zero', [0], []), int64('one', [1], [])],
    },
    feeds: [{ shape: [2, 300, 250] }],
  },
];

const MOVEMENT: Case[] = [
  { name: 'Reshape [0, -1] (0 copies the batch)', graph: oneNode('Reshape', [int64('shape', [0, -1])]), feeds: [BATCH_FEED] },
  { name: 'Reshape [-1, 0, 2, 2]', graph: oneNode('Reshape', [int64('shape', [-1, 0, 2, 2])]), feeds: [BATCH_FEED] },
  { name: 'Flatten axis 2', graph: oneNode('Flatten', [], [int('axis', 2)]), feeds: [BATCH_FEED] },
  { name: 'Flatten axis -1', graph: oneNode('Flatten', [], [int('axis', -1)]), feeds: [BATCH_FEED] },
  { name: 'Flatten axis 0', graph: oneNode('Flatten', [], [int('axis', 0)]), feeds: [BATCH_FEED] },
  { name: 'Flatten, default axis 1, int64', graph: oneNode('Flatten', [], [], { input: x(['batch', 3, 4], 'int64'), outputs: [out('y', 'int64')] }), feeds: [{ shape: [2, 3, 4], type: 'int64', values: Array.from({ length: 24 }, (_, i) => i - 12) }] },
  { name: 'Squeeze axes [-1, 1]', graph: oneNode('Squeeze', [int64('axes', [-1, 1])], [], { input: x(['batch', 1, 3, 1]) }), feeds: [{ shape: [2, 1, 3, 1] }] },
  { name: 'Squeeze every 1 (no axes)', graph: oneNode('Squeeze', [], [], { input: x(['batch', 1, 3, 1]) }), feeds: [{ shape: [2, 1, 3, 1] }] },
  { name: 'Squeeze axes attribute (opset 11)', graph: oneNode('Squeeze', [], [ints('axes', [1])], { input: x(['batch', 1, 3]), opset: 11 }), feeds: [{ shape: [2, 1, 3] }] },
  { name: 'Unsqueeze axes [-1, 1]', graph: oneNode('Unsqueeze', [int64('axes', [-1, 1])]), feeds: [BATCH_FEED] },
  { name: 'Concat of tensors along -2', graph: { nodes: [node('Exp', ['x'], [], ['e']), node('Concat', ['x', 'e', 'x'], [int('axis', -2)])], inputs: [x()], outputs: [out()] }, feeds: [BATCH_FEED] },
  { name: 'Gather with negative constant indices along -1', graph: oneNode('Gather', [int64('indices', [-1, 0, -3, 2, -1, 1], [2, 3])], [int('axis', -1)]), feeds: [BATCH_FEED] },
  {
    name: 'Gather with computed int64 indices, some negative, along axis 1',
    graph: { nodes: [node('Gather', ['x', 'indices'], [int('axis', 1)])], inputs: [x(), { name: 'indices', shape: [4], type: 'int64' }], outputs: [out()] },
    feeds: [BATCH_FEED, { shape: [4], type: 'int64', values: [2, -1, 0, -3] }],
  },
  { name: 'Slice steps -2 along -1 from the end', graph: oneNode('Slice', [int64('starts', [-1]), int64('ends', [-INT64_MAX]), int64('axes', [-1]), int64('steps', [-2])]), feeds: [BATCH_FEED] },
  { name: 'Slice steps 2 and -1 on two axes, ends past the dimension', graph: oneNode('Slice', [int64('starts', [0, 2]), int64('ends', [100, 0]), int64('axes', [2, 1]), int64('steps', [2, -1])]), feeds: [BATCH_FEED] },
  { name: 'Slice [1:] with INT64_MAX and no axes', graph: oneNode('Slice', [int64('starts', [0, 1]), int64('ends', [INT64_MAX, INT64_MAX])]), feeds: [BATCH_FEED] },
  { name: 'Slice that is empty', graph: oneNode('Slice', [int64('starts', [3]), int64('ends', [1]), int64('axes', [2])]), feeds: [BATCH_FEED] },
  { name: 'Slice starts/ends attributes (opset 9)', graph: oneNode('Slice', [], [ints('starts', [1]), ints('ends', [-1]), ints('axes', [2])], { opset: 9 }), feeds: [BATCH_FEED] },
  { name: 'Expand both ways: [batch, 1, 4] by [3, 1]', graph: oneNode('Expand', [int64('shape', [3, 1])], [], { input: x(['batch', 1, 4]) }), feeds: [{ shape: [2, 1, 4] }] },
  { name: 'Tile [1, 2, 3]', graph: oneNode('Tile', [int64('repeats', [1, 2, 3])]), feeds: [BATCH_FEED] },
  { name: 'Cast float → int64 truncates towards zero', graph: oneNode('Cast', [], [int('to', 7)], { outputs: [out('y', 'int64')] }), feeds: [{ ...BATCH_FEED, scale: 5 }] },
  { name: 'Cast float → bool', graph: oneNode('Cast', [], [int('to', 9)], { input: x(['batch', 3]), outputs: [out('y', 'bool')] }), feeds: [{ shape: [2, 3], values: [0, 1.5, -0, -2, 0, 0.25] }] },
  { name: 'Cast int64 → float', graph: oneNode('Cast', [], [int('to', 1)], { input: x(['batch', 3], 'int64') }), feeds: [{ shape: [2, 3], type: 'int64', values: [-5, 0, 7, 100000, -1, 3] }] },
];

/** Split 'x' into outputs y0, y1, ... */
const splitGraph = (count: number, operands: (Literal | '')[], attribute: NodeAttribute[], { input = x(), opset = 17 }: { input?: Signature; opset?: number } = {}): Graph =>
  oneNode('Split', operands, attribute, { input, opset, outputs: Array.from({ length: count }, (_, i) => out(`y${i}`, input.type)) });

const SPLITS: Case[] = [
  { name: 'Split uneven sizes [1, 3] along -1', graph: splitGraph(2, [int64('split', [1, 3])], [int('axis', -1)]), feeds: [BATCH_FEED] },
  { name: 'Split into 3 equal pieces along 1 (no sizes)', graph: splitGraph(3, [], [int('axis', 1)]), feeds: [BATCH_FEED] },
  { name: 'Split sizes [2, 0, 1] as an attribute (opset 11)', graph: splitGraph(3, [], [int('axis', 1), ints('split', [2, 0, 1])], { opset: 11 }), feeds: [BATCH_FEED] },
  { name: 'Split num_outputs 3 of 7 (opset 18): 3, 3, 1', graph: splitGraph(3, [], [int('axis', 1), int('num_outputs', 3)], { input: x(['batch', 7]), opset: 18 }), feeds: [{ shape: [2, 7] }] },
  { name: 'Split of int64', graph: splitGraph(2, [int64('split', [2, 1])], [int('axis', 1)], { input: x(['batch', 3], 'int64') }), feeds: [{ shape: [2, 3], type: 'int64', values: [1, -2, 3, -4, 5, -6] }] },
  {
    name: 'Split of a static shape, each piece reshaping x',
    graph: {
      nodes: [node('Shape', ['x'], [], ['shape']), node('Split', ['shape', 'split'], [], ['head', 'tail']), node('Concat', ['head', 'minus1'], [int('axis', 0)], ['target']), node('Reshape', ['x', 'target'])],
      inputs: [x()], outputs: [out()], initializers: [int64('split', [1, 2]), int64('minus1', [-1])],
    },
    feeds: [BATCH_FEED],
  },
];

const INTEGERS = { shape: [2, 6], type: 'int64' as const, values: [-7, 7, -7, 7, 9, -9, 0, -1, 13, -13, 5, 6] };
const DIVISORS = int64('b', [3, 3, -3, -3, 4, -4]);

const ELEMENTWISE: Case[] = [
  { name: 'Dropout (inference): identity, the mask all true', graph: oneNode('Dropout', [floats('ratio', [0.5], [])], [], { outputs: [out(), out('mask', 'bool')] }), feeds: [BATCH_FEED] },
  { name: 'Dropout without a mask output', graph: oneNode('Dropout', []), feeds: [BATCH_FEED] },
  { name: 'Sum of three, broadcasting', graph: oneNode('Sum', [floats('a', Array.from(uniform(4, 5))), floats('b', Array.from(uniform(3, 6)), [3, 1])]), feeds: [BATCH_FEED] },
  { name: 'Mean of three, broadcasting', graph: oneNode('Mean', [floats('a', Array.from(uniform(4, 5))), floats('b', Array.from(uniform(3, 6)), [3, 1])]), feeds: [BATCH_FEED] },
  { name: 'Sum of one', graph: oneNode('Sum', []), feeds: [BATCH_FEED] },
  ...(['And', 'Or', 'Xor'] as const).map((op): Case => ({
    name: `${op} of two comparisons`,
    graph: {
      nodes: [node('Greater', ['x', 'zero'], [], ['p']), node('Less', ['x', 'half'], [], ['q']), node(op, ['p', 'q'])],
      inputs: [x()], outputs: [out('y', 'bool')], initializers: [floats('zero', [0], []), floats('half', [0.5], [])],
    },
    feeds: [BATCH_FEED],
  })),
  { name: 'Mod fmod 0 of int64 (the divisor\'s sign)', graph: oneNode('Mod', [DIVISORS], [], { input: x(['batch', 6], 'int64'), outputs: [out('y', 'int64')] }), feeds: [INTEGERS] },
  { name: 'Mod fmod 1 of int64 (the dividend\'s sign)', graph: oneNode('Mod', [DIVISORS], [int('fmod', 1)], { input: x(['batch', 6], 'int64'), outputs: [out('y', 'int64')] }), feeds: [INTEGERS] },
  { name: 'Mod fmod 1 of floats', graph: oneNode('Mod', [floats('b', [0.75, -0.75, 1.25, -0.3])], [int('fmod', 1)]), feeds: [{ ...BATCH_FEED, scale: 4 }] },
  { name: 'Div of int64 rounds towards zero', graph: oneNode('Div', [DIVISORS], [], { input: x(['batch', 6], 'int64'), outputs: [out('y', 'int64')] }), feeds: [INTEGERS] },
  { name: 'Mul and Sub of int64', graph: { nodes: [node('Mul', ['x', 'b'], [], ['p']), node('Sub', ['p', 'x'])], inputs: [x(['batch', 6], 'int64')], outputs: [out('y', 'int64')], initializers: [DIVISORS] }, feeds: [INTEGERS] },
  {
    name: 'Mod of static values, both signs, fmod 0 and 1',
    graph: {
      nodes: [constant(int64('a', [-7, 7, -7, 7])), constant(int64('b', [3, 3, -3, -3])), node('Mod', ['a', 'b'], [], ['m0']), node('Mod', ['a', 'b'], [int('fmod', 1)], ['m1']),
        node('Concat', ['m0', 'm1'], [int('axis', 0)], ['m']), node('Cast', ['m'], [int('to', 1)], ['f']), node('Add', ['x', 'f'])],
      inputs: [x(['batch', 8])], outputs: [out()],
    },
    feeds: [{ shape: [2, 8] }],
  },
  { name: 'Where of tensors, broadcasting', graph: { nodes: [node('Greater', ['x', 'zero'], [], ['p']), node('Where', ['p', 'x', 'other'])], inputs: [x()], outputs: [out()], initializers: [floats('zero', [0], []), floats('other', [-1, -2, -3, -4])] }, feeds: [BATCH_FEED] },
  { name: 'Reciprocal', graph: oneNode('Reciprocal', []), feeds: [BATCH_FEED] },
  ...([['IsNaN', []], ['IsInf', []], ['IsInf', [int('detect_negative', 0)]], ['IsInf', [int('detect_positive', 0)]]] as const).map(([op, attribute]): Case => ({
    name: `${op}${attribute.length ? ` ${attribute[0]!.name} 0` : ''}`,
    graph: oneNode(op, [], [...attribute], { input: x(['batch', 4]), outputs: [out('y', 'bool')] }),
    feeds: [{ shape: [2, 4], values: [NaN, Infinity, -Infinity, 0, 1.5, -Infinity, NaN, Infinity] }],
  })),
  { name: 'Equal of tensors', graph: oneNode('Equal', [floats('b', [0, 1, 2, 3])], [], { input: x(['batch', 4]), outputs: [out('y', 'bool')] }), feeds: [{ shape: [2, 4], values: [0, 2, 2, 3, 1, 1, 0, 3] }] },
];

const POSITIVE = { ...BATCH_FEED, values: Array.from(uniform(24, 11), (v) => v + 1.5) };
const REDUCTIONS: Case[] = [
  ...(['ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSum', 'ReduceLogSumExp'] as const).flatMap((op): Case[] => [
    { name: `${op} over axes [-1, 0], keepdims 0`, graph: oneNode(op, [], [ints('axes', [-1, 0]), int('keepdims', 0)]), feeds: [POSITIVE] },
    { name: `${op} over everything, kept`, graph: oneNode(op, []), feeds: [POSITIVE] },
    { name: `${op} with axes as an input (opset 18)`, graph: oneNode(op, [int64('axes', [1])], [], { opset: 18 }), feeds: [POSITIVE] },
  ]),
  { name: 'ArgMin along -1, keepdims 0', graph: oneNode('ArgMin', [], [int('axis', -1), int('keepdims', 0)], { outputs: [out('y', 'int64')] }), feeds: [BATCH_FEED] },
  { name: 'ArgMin of int64 with ties, first and last', graph: { nodes: [node('ArgMin', ['x'], [int('axis', 1)], ['first']), node('ArgMin', ['x'], [int('axis', 1), int('select_last_index', 1)], ['last'])], inputs: [x(['batch', 5], 'int64')], outputs: [out('first', 'int64'), out('last', 'int64')] }, feeds: [{ shape: [2, 5], type: 'int64', values: [3, 1, 4, 1, 5, -2, 7, -2, -2, 0] }] },
];

const SPACE: Case[] = [
  { name: 'DepthToSpace DCR, blocksize 2', graph: oneNode('DepthToSpace', [], [int('blocksize', 2)], { input: x(['batch', 8, 2, 3]) }), feeds: [{ shape: [2, 8, 2, 3] }] },
  { name: 'DepthToSpace CRD, blocksize 2', graph: oneNode('DepthToSpace', [], [int('blocksize', 2), text('mode', 'CRD')], { input: x(['batch', 8, 2, 3]) }), feeds: [{ shape: [2, 8, 2, 3] }] },
  { name: 'SpaceToDepth, blocksize 2', graph: oneNode('SpaceToDepth', [], [int('blocksize', 2)], { input: x(['batch', 2, 4, 6]) }), feeds: [{ shape: [2, 2, 4, 6] }] },
  { name: 'Trilu upper (default), k 0', graph: oneNode('Trilu', []), feeds: [BATCH_FEED] },
  { name: 'Trilu upper, k 1', graph: oneNode('Trilu', [int64('k', [1], [])]), feeds: [BATCH_FEED] },
  { name: 'Trilu lower, k -1', graph: oneNode('Trilu', [int64('k', [-1], [])], [int('upper', 0)]), feeds: [BATCH_FEED] },
  { name: 'Trilu lower of a static value', graph: { nodes: [constant(int64('m', [1, 2, 3, 4, 5, 6], [2, 3])), node('Trilu', ['m'], [int('upper', 0)], ['t']), node('Cast', ['t'], [int('to', 1)], ['f']), node('Mul', ['x', 'f'])], inputs: [x(['batch', 2, 3])], outputs: [out()] }, feeds: [{ shape: [2, 2, 3] }] },
];

const CASES = [...SHAPE_ARITHMETIC, ...MOVEMENT, ...SPLITS, ...ELEMENTWISE, ...REDUCTIONS, ...SPACE];

const feed = ({ shape, type = 'float', values, scale = 1 }: Feed, seed: number): pc.Tensor => {
  const data = values ?? Array.from(uniform(shape.reduce((a, b) => a * b, 1), seed), (v) => v * scale);
  return pc.tensor(data, shape, type === 'float' ? 'float32' : type === 'bool' ? 'bool' : 'int32');
};

let largest = { difference: 0, name: '' };
describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: the imported graph matches onnxruntime', async ({ graph, feeds }) => {
    await pc.setBackend(backend);
    const inputs = feeds.map((f, i) => feed(f, 3 + i));
    try {
      const difference = await expectGraphMatchesOnnxruntime(graphBytes(graph), inputs);
      if (difference > largest.difference) largest = { difference, name: `${backend}: ${expect.getState().currentTestName}` };
    } finally {
      pc.dispose(inputs);
    }
  });
});

afterAll(() => console.log(`structure ops: largest difference to onnxruntime ${largest.difference.toExponential(2)} (${largest.name || 'all exact'})`));

describe('graphs the importer cannot run are errors naming the node, its op and what was expected', () => {
  const run = (graph: Graph, shape = [2, 3, 4]) => () => {
    const imported = importOnnx(graphBytes(graph));
    const input = pc.zeros(shape);
    try {
      imported.predict(input);
    } finally {
      input.dispose();
      imported.dispose();
    }
  };
  it.each([
    ['Split sizes that do not add up to the axis', splitGraph(2, [int64('split', [1, 2])], [int('axis', -1)]),
      "importOnnx: node 'Split_1' (Split): expected 2 non-negative split sizes adding up to the axis's 4, got [1,2] (sum 3)"],
    ['Split num_outputs other than the outputs', splitGraph(2, [], [int('axis', 1), int('num_outputs', 3)], { opset: 18 }),
      "importOnnx: node 'Split_1' (Split): num_outputs 3 must be the node's 2 outputs"],
    ['a Split into unequal pieces without sizes', splitGraph(2, [], [int('axis', 1)]),
      "importOnnx: node 'Split_1' (Split): the axis's 3 entries do not split evenly into 2 outputs; give the split sizes"],
    ['Reshape to a shape of another size', oneNode('Reshape', [int64('shape', [0, 5, -1])]),
      "importOnnx: node 'Reshape_1' (Reshape): expected a shape of the input's 24 elements (at most one -1), got [0,5,-1] for the input [2,3,4]"],
    ['Reshape with two -1s', oneNode('Reshape', [int64('shape', [-1, -1])]), 'got [-1,-1] for the input [2,3,4]'],
    ['Squeeze of an axis that is not 1', oneNode('Squeeze', [int64('axes', [1])]), "importOnnx: node 'Squeeze_1' (Squeeze): cannot squeeze axis 1 of shape [2,3,4]: it is 3, not 1"],
    ['Gather of a static index out of range', { nodes: [node('Shape', ['x'], [], ['s']), node('Gather', ['s', 'i'], [], ['n']), node('Cast', ['n'], [int('to', 1)], ['f']), node('Add', ['x', 'f'])], inputs: [x()], outputs: [out()], initializers: [int64('i', [3], [])] },
      "importOnnx: node 'Gather_1' (Gather): index 3 is out of range for dimension 0 of [3]; expected [-3, 2]"],
    ['an axis out of range', oneNode('Concat', [], [int('axis', 3)]), "importOnnx: node 'Concat_1' (Concat): axis 3 is out of range for rank 3; expected [-3, 2]"],
    ['Tile repeats of the wrong length', oneNode('Tile', [int64('repeats', [2, 2])]), "importOnnx: node 'Tile_1' (Tile): expected 3 non-negative repeats, one per axis of [2,3,4], got [2,2]"],
    ['a Range reading a computed tensor', { nodes: [constant(floats('zero', [0], [])), constant(floats('one', [1], [])), node('ReduceSum', ['x'], [int('keepdims', 0)], ['n']), node('Range', ['zero', 'n', 'one'], [], ['r']), node('Add', ['x', 'r'])], inputs: [x()], outputs: [out()] },
      "importOnnx: node 'Range_1' (Range): input 1 ('n') must be a constant (an initializer or Constant node), but it is computed by the graph"],
    ['Dropout in training mode', { nodes: [constant({ name: 'training', shape: [], values: [1], type: 'bool' }), node('Dropout', ['x', '', 'training'])], inputs: [x()], outputs: [out()] },
      "importOnnx: node 'Dropout_1' (Dropout): training_mode true is not supported; an imported Dropout runs as in inference, passing its input through"],
    ['Mod of floats with fmod 0', oneNode('Mod', [floats('b', [2])]), "importOnnx: node 'Mod_1' (Mod): fmod 0 (the remainder with the divisor's sign) is defined for integers only; float inputs need fmod 1"],
    ['DepthToSpace of channels that are not a multiple of blocksize²', oneNode('DepthToSpace', [], [int('blocksize', 2)], { input: x(['batch', 3, 2, 2]) }),
      "importOnnx: node 'DepthToSpace_1' (DepthToSpace): the 3 channels of [2,3,2,2] must be a multiple of blocksize² = 4"],
    ['Expand to a shape that does not broadcast', oneNode('Expand', [int64('shape', [5, 1])]), "importOnnx: node 'Expand_1' (Expand):"],
    ['Slice steps of 0', oneNode('Slice', [int64('starts', [0]), int64('ends', [2]), int64('axes', [0]), int64('steps', [0])]), "importOnnx: node 'Slice_1' (Slice): steps must be non-zero integers, got 0"],
  ] as [string, Graph, string][])('%s', async (_, graph, message) => {
    await pc.setBackend('naive');
    const before = pc.memory().numTensors;
    const shape = graph.inputs[0]!.shape!.map((d) => (d === 'batch' ? 2 : d as number));
    expect(run(graph, shape)).toThrow(message);
    expect(pc.memory().numTensors).toBe(before);
  });
});
