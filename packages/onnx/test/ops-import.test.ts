// ONNX nodes Perceptron's exporter does not write as such (GatherND; ScatterND with reduction
// 'none' and 'add'; TopK along an axis other than the last; Einsum; ReduceProd) import and agree
// with onnxruntime on the same graph.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { importOnnx, OnnxModel } from '../src/index.js';
import { BACKENDS, maxRelativeDifference } from './models.js';
import { int, ints, text, uniform, type Attribute } from './single-node-graph.js';

const { onnx } = pkg;
const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const INPUT_SHAPE = [3, 4, 2];
/** Channels-first images for Resize. */
const IMAGES_SHAPE = [2, 3, 4, 5];

const scales = (values: number[]): [Operand, Operand] => [{ name: 'scales', shape: [4], values }, null];
const sizes = (values: number[]): [Operand, Operand] => [null, { name: 'sizes', shape: [4], values, int64: true }];
const resizeAttributes = (mode: string, transform: string, rounding: string | null): Attribute[] => [
  text('mode', mode), text('coordinate_transformation_mode', transform), ...(rounding ? [text('nearest_mode', rounding)] : []),
];

/** A constant operand of the node: int64 (indices, K, sizes) or float; null for an optional input left out. */
type Operand = { name: string; shape: number[]; values: number[]; int64?: boolean } | null;

/**
 * A graph whose one node reads 'input' of `inputShape`, then `operands`, and writes `outputs`
 * (int64 where the name says 'positions').
 */
function oneNodeGraph(opType: string, operands: Operand[], attribute: Attribute[] = [], outputs = ['output'], inputShape = INPUT_SHAPE): Uint8Array {
  const info = (name: string, elemType: number, shape?: number[]) => ({ name, type: { tensorType: { elemType, ...(shape ? { shape: { dim: shape.map((d) => ({ dimValue: d })) } } : {}) } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: opType,
      node: [{ name: `${opType}_1`, opType, input: ['input', ...operands.map((o) => o?.name ?? '')], output: outputs, attribute }],
      initializer: operands.flatMap((o) => (o === null ? [] : [o.int64 ? { name: o.name, dims: o.shape, dataType: INT64, int64Data: o.values } : { name: o.name, dims: o.shape, dataType: FLOAT, floatData: o.values }])),
      input: [info('input', FLOAT, inputShape)],
      output: outputs.map((name) => info(name, name === 'positions' ? INT64 : FLOAT)),
    },
  }).finish();
}

const indices = (shape: number[], values: number[]): Operand => ({ name: 'indices', shape, values, int64: true });
/** ScatterND's updates for `tuples` of the given depth: one slice of INPUT_SHAPE beyond it per tuple. */
const updates = (tuples: number, depth: number, seed: number): Operand => {
  const shape = [tuples, ...INPUT_SHAPE.slice(depth)];
  return { name: 'updates', shape, values: Array.from(uniform(shape.reduce((a, b) => a * b, 1), seed)) };
};

/** A graph and the shape of its input ('input' of INPUT_SHAPE unless given). */
interface ImportCase {
  name: string;
  bytes: () => Uint8Array;
  shape?: number[];
}

const CASES: ImportCase[] = [
  { name: 'GatherND of pairs, one repeated', bytes: () => oneNodeGraph('GatherND', [indices([3, 2], [2, 3, 0, 1, 2, 3])]) },
  { name: 'GatherND of whole rows', bytes: () => oneNodeGraph('GatherND', [indices([2, 1], [1, 0])]) },
  { name: 'ScatterND writing two rows over the input', bytes: () => oneNodeGraph('ScatterND', [indices([2, 1], [2, 0]), updates(2, 1, 7)]) },
  { name: 'ScatterND adding entries, one twice', bytes: () => oneNodeGraph('ScatterND', [indices([3, 3], [0, 1, 1, 2, 3, 0, 0, 1, 1]), updates(3, 3, 8)], [text('reduction', 'add')]) },
  { name: 'TopK, the 2 largest along axis 1, values and positions', bytes: () => oneNodeGraph('TopK', [indices([1], [2])], [int('axis', 1)], ['output', 'positions']) },
  { name: 'Einsum bij,jk->bik with a weight', bytes: () => oneNodeGraph('Einsum', [{ name: 'w', shape: [2, 5], values: Array.from(uniform(10, 9)) }], [text('equation', 'bij,jk->bik')]) },
  { name: 'ReduceProd over axis 1', bytes: () => oneNodeGraph('ReduceProd', [], [ints('axes', [1]), int('keepdims', 0)]) },
  ...([
    ['linear', 'half_pixel', null, sizes([2, 3, 7, 3])],
    ['linear', 'align_corners', null, scales([1, 1, 2, 2])],
    ['linear', 'asymmetric', null, sizes([2, 3, 3, 8])],
    ['nearest', 'asymmetric', 'floor', scales([1, 1, 2, 3])],
    ['nearest', 'half_pixel', 'round_prefer_ceil', sizes([2, 3, 2, 9])],
    ['nearest', 'tf_half_pixel_for_nn', 'floor', sizes([2, 3, 6, 2])],
    ['nearest', 'align_corners', 'round_prefer_ceil', sizes([2, 3, 7, 3])],
  ] as const).map(([mode, transform, rounding, [scalesOrNull, sizesOrNull]]) => ({
    name: `Resize ${mode}, ${transform}${rounding ? `, ${rounding}` : ''}, to ${scalesOrNull ? `scales ${scalesOrNull.values}` : `sizes ${sizesOrNull!.values}`}`,
    shape: IMAGES_SHAPE,
    bytes: () => oneNodeGraph('Resize', [null, scalesOrNull, sizesOrNull], resizeAttributes(mode, transform, rounding), ['output'], IMAGES_SHAPE),
  })),
];

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: the imported node matches onnxruntime', async ({ bytes, shape = INPUT_SHAPE }) => {
    await pc.setBackend(backend);
    const session = await OnnxModel.load(bytes());
    const imported = importOnnx(bytes());
    const x = pc.tensor(uniform(shape.reduce((a, b) => a * b, 1), 3), shape);
    const [want, got] = [[await session.run(x)].flat(), [imported.predict(x)].flat() as pc.Tensor[]];
    expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
    // Copies are exact; the one sum of three terms may round in another order.
    got.forEach((t, i) => expect(maxRelativeDifference(t.dataSync(), want[i]!.dataSync())).toBeLessThan(1e-6));
    pc.dispose([x, ...want, ...got]);
    imported.dispose();
    await session.release();
  });
});

it('a ScatterND reduction or a Resize sampling core does not compute is an error naming the node, and leaks nothing', async () => {
  await pc.setBackend('naive');
  const run = (bytes: Uint8Array, shape: number[]) => () => {
    const imported = importOnnx(bytes);
    const x = pc.zeros(shape);
    try {
      imported.predict(x);
    } finally {
      x.dispose();
      imported.dispose();
    }
  };
  const before = pc.memory().numTensors;
  expect(run(oneNodeGraph('ScatterND', [indices([1, 1], [0]), updates(1, 1, 7)], [text('reduction', 'mul')]), INPUT_SHAPE))
    .toThrow("importOnnx: node 'ScatterND_1' (ScatterND): reduction 'mul' is not supported; only 'none' and 'add'");
  const resizeGraph = (attribute: Attribute[], [scalesOrNull, sizesOrNull]: [Operand, Operand]) => oneNodeGraph('Resize', [null, scalesOrNull, sizesOrNull], attribute, ['output'], IMAGES_SHAPE);
  // ONNX's default nearest rounds halves down, which core's samplings do not.
  expect(run(resizeGraph([], sizes([2, 3, 2, 9])), IMAGES_SHAPE)).toThrow("importOnnx: node 'Resize_1' (Resize): the sampling nearest/half_pixel/round_prefer_floor is not supported; supported are linear/half_pixel,");
  expect(run(resizeGraph(resizeAttributes('linear', 'half_pixel', null), scales([1, 1, 1.5, 1.5])), IMAGES_SHAPE))
    .toThrow("importOnnx: node 'Resize_1' (Resize): expected scales to keep the batch and channels and give whole sizes, got [1,1,1.5,1.5] for shape [2,3,4,5]");
  expect(run(resizeGraph(resizeAttributes('cubic', 'half_pixel', null), sizes([2, 3, 8, 10])), IMAGES_SHAPE)).toThrow('the sampling cubic/half_pixel is not supported');
  expect(pc.memory().numTensors).toBe(before);
});
