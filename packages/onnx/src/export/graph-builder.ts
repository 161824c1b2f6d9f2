import type { DType } from '@perceptron/core';
import { makeTensorProto, onnx, onnxTypeOf, ONNX_TYPE, type AttributeProto, type NodeProto, type OnnxType, type TensorProto } from '../proto.js';

const { AttributeType } = onnx.AttributeProto;

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: TensorProto): AttributeProto => ({ name, type: AttributeType.TENSOR, t }),
};

/**
 * Collects the nodes and initializers of an ONNX graph. Every value gets a unique, readable
 * name: the layer path it was computed in, then the op type ("dense_1/Gemm", "dense_1/Gemm_1").
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly #names = new Set<string>();

  constructor(readonly opset: number, reserved: readonly string[]) {
    for (const name of reserved) this.#names.add(name);
  }

  unique(base: string): string {
    let name = base;
    for (let n = 1; this.#names.has(name); n++) name = `${base}_${n}`;
    this.#names.add(name);
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  node(opType: string, inputs: readonly string[], attributes: readonly AttributeProto[], scope: string): string {
    return this.nodeWithOutputs(opType, inputs, attributes, scope, 1)[0]!;
  }

  /** Adds a node with `count` outputs (TopK's values and indices) and returns their names: the node's, then `<node>:<i>`. */
  nodeWithOutputs(opType: string, inputs: readonly string[], attributes: readonly AttributeProto[], scope: string, count: number): string[] {
    const name = this.unique(scope ? `${scope}/${opType}` : opType);
    const output = [name, ...Array.from({ length: count - 1 }, (_, i) => this.unique(`${name}:${i + 1}`))];
    this.nodes.push({ name, opType, domain: '', input: [...inputs], output, attribute: [...attributes] });
    return output;
  }

  /** An initializer; `name` is used as given when free (weights keep their variable names). */
  initializer(name: string, type: OnnxType, dims: readonly number[], values: ArrayLike<number | bigint>): string {
    const unique = this.unique(name);
    this.initializers.push(makeTensorProto(unique, type, dims, values));
    return unique;
  }

  /** A 1-D int64 initializer: shapes, axes, pads, starts and ends. */
  int64s(values: readonly (number | bigint)[], scope: string, what: string): string {
    return this.initializer(`${scope}/${what}`, ONNX_TYPE.INT64, [values.length], values);
  }

  /** A Constant node holding a literal operand (not a weight: importers keep it constant). */
  constant(dtype: DType, dims: readonly number[], values: ArrayLike<number>, scope: string): string {
    return this.node('Constant', [], [attr.tensor('value', makeTensorProto('', onnxTypeOf(dtype), dims, values))], scope);
  }
}
