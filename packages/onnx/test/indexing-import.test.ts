// ONNX GatherND, ScatterND (reduction 'none' and 'add') and TopK along an axis other than the
// last, which Perceptron's exporter does not write as such, import and agree with onnxruntime on
// the same graph.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { importOnnx, OnnxModel } from '../src/index.js';
import { BACKENDS, maxRelativeDifference } from './models.js';
import { int, text, uniform, type Attribute } from './single-node-graph.js';

const { onnx } = pkg;
const INPUT_SHAPE = [3, 4, 2];

/**
 * A graph whose one node reads 'input', int64 `indices` (TopK's K) and, for ScatterND, float
 * `updates`, and writes 'output' (TopK: and 'positions', int64).
 */
function indexingGraph(opType: 'GatherND' | 'ScatterND' | 'TopK', indices: { shape: number[]; values: number[] }, updates?: number[], attribute: Attribute[] = []): Uint8Array {
  const info = (name: string, elemType = 1) => ({ name, type: { tensorType: { elemType, ...(name === 'input' ? { shape: { dim: INPUT_SHAPE.map((d) => ({ dimValue: d })) } } : {}) } } });
  const updateShape = [...indices.shape.slice(0, -1), ...INPUT_SHAPE.slice(indices.shape.at(-1))];
  const outputs = opType === 'TopK' ? ['output', 'positions'] : ['output'];
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: opType,
      node: [{ name: `${opType}_1`, opType, input: ['input', 'indices', ...(updates ? ['updates'] : [])], output: outputs, attribute }],
      initializer: [
        { name: 'indices', dims: indices.shape, dataType: onnx.TensorProto.DataType.INT64, int64Data: indices.values },
        ...(updates ? [{ name: 'updates', dims: updateShape, dataType: onnx.TensorProto.DataType.FLOAT, floatData: updates }] : []),
      ],
      input: [info('input')],
      output: outputs.map((name) => info(name, name === 'positions' ? onnx.TensorProto.DataType.INT64 : 1)),
    },
  }).finish();
}

const CASES = [
  { name: 'GatherND of pairs, one repeated', bytes: () => indexingGraph('GatherND', { shape: [3, 2], values: [2, 3, 0, 1, 2, 3] }) },
  { name: 'GatherND of whole rows', bytes: () => indexingGraph('GatherND', { shape: [2, 1], values: [1, 0] }) },
  { name: 'ScatterND writing two rows over the input', bytes: () => indexingGraph('ScatterND', { shape: [2, 1], values: [2, 0] }, Array.from(uniform(16, 7))) },
  { name: 'ScatterND adding entries, one twice', bytes: () => indexingGraph('ScatterND', { shape: [3, 3], values: [0, 1, 1, 2, 3, 0, 0, 1, 1] }, [5, -2, 0.5], [text('reduction', 'add')]) },
  { name: 'TopK, the 2 largest along axis 1, values and positions', bytes: () => indexingGraph('TopK', { shape: [1], values: [2] }, undefined, [int('axis', 1)]) },
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
  const imported = importOnnx(indexingGraph('ScatterND', { shape: [1, 1], values: [0] }, Array.from(uniform(8, 7)), [text('reduction', 'mul')]));
  const x = pc.zeros(INPUT_SHAPE);
  expect(() => imported.predict(x)).toThrow("importOnnx: node 'ScatterND_1' (ScatterND): reduction 'mul' is not supported; only 'none' and 'add'");
  pc.dispose(x);
  imported.dispose();
});
