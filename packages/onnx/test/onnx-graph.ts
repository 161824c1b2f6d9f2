// ONNX graphs of several nodes, written by hand in the shape other tools (torch.onnx, tf2onnx)
// write them, and the check that the imported graph computes what onnxruntime does on the same
// inputs. Attributes and seeded values come from single-node-graph.ts.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { expect } from 'vitest';
import { importOnnx, OnnxModel } from '../src/index.js';
import { maxRelativeDifference } from './models.js';
import type { Attribute } from './single-node-graph.js';

const { onnx } = pkg;
const { FLOAT, INT64, INT32, BOOL } = onnx.TensorProto.DataType;

export type ElementType = 'float' | 'int64' | 'int32' | 'bool';
const ELEMENT_TYPES: Record<ElementType, number> = { float: FLOAT, int64: INT64, int32: INT32, bool: BOOL };

/** A tensor written into the graph: an initializer, or a Constant node's value. */
export interface Literal {
  name: string;
  shape: number[];
  values: number[];
  type?: ElementType;
}

/** A node attribute: a number, list or string (single-node-graph.ts), or a tensor (Constant's value, ConstantOfShape's fill). */
export type NodeAttribute = Attribute | { name: string; type: number; t: ReturnType<typeof tensorProto> };

export interface GraphNode {
  opType: string;
  /** Input names; '' leaves an optional input out. */
  inputs: string[];
  outputs: string[];
  attribute?: NodeAttribute[];
  /** `${opType}_1` unless given. */
  name?: string;
}

/** A graph input or output: its element type (float unless given) and shape, names such as 'batch' symbolic. */
export interface Signature {
  name: string;
  shape?: (number | string)[];
  type?: ElementType;
}

export interface Graph {
  nodes: GraphNode[];
  inputs: Signature[];
  outputs: Signature[];
  initializers?: Literal[];
  /** 17 unless given. */
  opset?: number;
}

function tensorProto({ name, shape, values, type = 'float' }: Literal) {
  const data = type === 'float' ? { floatData: values } : type === 'int64' ? { int64Data: values } : { int32Data: values };
  return { name, dims: shape, dataType: ELEMENT_TYPES[type], ...data };
}

/** A tensor-valued attribute (`value` of Constant and ConstantOfShape). */
export const tensorAttribute = (name: string, literal: Literal): NodeAttribute => ({ name, type: onnx.AttributeProto.AttributeType.TENSOR, t: tensorProto(literal) });

/** A Constant node writing `literal` under its name (int64 unless its type says otherwise). */
export const constant = (literal: Literal): GraphNode => ({
  opType: 'Constant', name: `${literal.name}_constant`, inputs: [], outputs: [literal.name], attribute: [tensorAttribute('value', { type: 'int64', ...literal })],
});

/** The model's bytes. Nodes are named `${opType}_${n}`, n counting that op's nodes from 1, unless named. */
export function graphBytes({ nodes, inputs, outputs, initializers = [], opset = 17 }: Graph): Uint8Array {
  const info = ({ name, shape, type = 'float' }: Signature) => ({
    name, type: { tensorType: { elemType: ELEMENT_TYPES[type], ...(shape ? { shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } : {}) } },
  });
  const counts = new Map<string, number>();
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'graph',
      node: nodes.map(({ opType, inputs: input, outputs: output, attribute = [], name }) => {
        counts.set(opType, (counts.get(opType) ?? 0) + 1);
        return { name: name ?? `${opType}_${counts.get(opType)}`, opType, input, output, attribute };
      }),
      initializer: initializers.map(tensorProto),
      input: inputs.map(info),
      output: outputs.map(info),
    },
  }).finish();
}

/**
 * The graph imported and called on the active backend gives onnxruntime's outputs (shapes, dtypes
 * and values) for `inputs`, to `tolerance` relative to max(1, |onnxruntime's value|); resolves
 * to the largest difference. Leaks no tensor.
 */
export async function expectGraphMatchesOnnxruntime(bytes: Uint8Array, inputs: pc.Tensor[], tolerance = 1e-6): Promise<number> {
  const session = await OnnxModel.load(bytes);
  const imported = importOnnx(bytes);
  const before = pc.memory().numTensors;
  try {
    const want = [await session.run(inputs)].flat();
    const got = [pc.tidy(() => imported.call(inputs.length === 1 ? inputs[0]! : inputs))].flat() as pc.Tensor[];
    expect(got.map((t) => [t.dtype, t.shape])).toEqual(want.map((t) => [t.dtype, t.shape]));
    const differences = got.map((t, i) => maxRelativeDifference(t.dataSync(), want[i]!.dataSync()));
    differences.forEach((d) => expect(d).toBeLessThan(tolerance));
    // An output may be an input passed through (Identity, Dropout): the caller frees those.
    pc.dispose([...want, ...got.filter((t) => !inputs.includes(t))]);
    expect(pc.memory().numTensors).toBe(before);
    return Math.max(...differences);
  } finally {
    imported.dispose();
    await session.release();
  }
}
