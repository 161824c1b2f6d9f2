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

/** A constant operand of the node: int64 (indices, K) or float. */
interface Operand {
  name: string;
  shape: number[];
  values: number[];
  int64?: boolean;
}

/** A graph whose one node reads 'input' of INPUT_SHAPE, then `operands`, and writes `outputs` (int64 where the name says 'positions'). */
function oneNodeGraph(opType: string, operands: Operand[], attribute: Attribute[] = [], outputs = ['output']): Uint8Array {
  const info = (name: string, elemType: number, shape?: number[]) => ({ name, type: { tensorType: { elemType, ...(shape ? { shape: { dim: shape.map((d) => ({ dimValue: d })) } } : {}) } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: opType,
      node: [{ name: `${opType}_1`, opType, input: ['input', ...operands.map((o) => o.name)], output: outputs, attribute }],
      initializer: operands.map(({ name, shape, values, int64 }) => (int64 ? { name, dims: shape, dataType: INT64, int64Data: values } : { name, dims: shape, dataType: FLOAT, floatData: values })),
      input: [info('input', FLOAT, INPUT_SHAPE)],
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

const CASES = [
  { name: 'GatherND of pairs, one repeated', bytes: () => oneNodeGraph('GatherND', [indices([3, 2], [2, 3, 0, 1, 2, 3])]) },
  { name: 'GatherND of whole rows', bytes: () => oneNodeGraph('GatherND', [indices([2, 1], [1, 0])]) },
  { name: 'ScatterND writing two rows over the input', bytes: () => oneNodeGraph('ScatterND', [indices([2, 1], [2, 0]), updates(2, 1, 7)]) },
  { name: 'ScatterND adding entries, one twice', bytes: () => oneNodeGraph('ScatterND', [indices([3, 3], [0, 1, 1, 2, 3, 0, 0, 1, 1]), updates(3, 3, 8)], [text('reduction', 'add')]) },
  { name: 'TopK, the 2 largest along axis 1, values and positions', bytes: () => oneNodeGraph('TopK', [indices([1], [2])], [int('axis', 1)], ['output', 'positions']) },
  { name: 'Einsum bij,jk->bik with a weight', bytes: () => oneNodeGraph('Einsum', [{ name: 'w', shape: [2, 5], values: Array.from(uniform(10, 9)) }], [text('equation', 'bij,jk->bik')]) },
  { name: 'ReduceProd over axis 1', bytes: () => oneNodeGraph('ReduceProd', [], [ints('axes', [1]), int('keepdims', 0)]) },
];

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: the imported node matches onnxruntime', async ({ bytes }) => {
    await pc.setBackend(backend);
    const session = await OnnxModel.load(bytes());
    const imported = importOnnx(bytes());
    const x = pc.tensor(uniform(24, 3), INPUT_SHAPE);
    const [want, got] = [[await session.run(x)].flat(), [imported.predict(x)].flat() as pc.Tensor[]];
    expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
    // Copies are exact; the one sum of three terms may round in another order.
    got.forEach((t, i) => expect(maxRelativeDifference(t.dataSync(), want[i]!.dataSync())).toBeLessThan(1e-6));
    pc.dispose([x, ...want, ...got]);
    imported.dispose();
    await session.release();
  });
});

it('a ScatterND reduction core does not take is an error naming the node', async () => {
  await pc.setBackend('naive');
  const imported = importOnnx(oneNodeGraph('ScatterND', [indices([1, 1], [0]), updates(1, 1, 7)], [text('reduction', 'mul')]));
  const x = pc.zeros(INPUT_SHAPE);
  expect(() => imported.predict(x)).toThrow("importOnnx: node 'ScatterND_1' (ScatterND): reduction 'mul' is not supported; only 'none' and 'add'");
  pc.dispose(x);
  imported.dispose();
});
