import { Model, Tensor, tensor, type CallKwargs, type Variable } from '@perceptron/core';
import { parseOnnx, type ParsedModel } from '../model-file.js';
import { ONNX_TYPE, onnxTypeName, type NodeProto } from '../proto.js';
import { INTERPRETERS, NodeContext } from './interpreters.js';
import { staticValue, toTensor, type StaticValue, type Value } from './values.js';

/**
 * A Perceptron model whose `call` runs an ONNX graph node by node with core ops, on whichever
 * backend is active. Float initializers become the model's (trainable) weights; Constant nodes
 * and integer initializers (shapes, axes) stay constants.
 */
export class OnnxGraphModel extends Model {
  static override readonly className = 'OnnxGraphModel';
  readonly #parsed: ParsedModel;
  readonly #nodes: readonly NodeProto[];
  readonly #initial = new Map<string, Variable | StaticValue>();

  constructor(parsed: ParsedModel, name: string) {
    const features = parsed.input.shape.slice(1);
    super({ name, ...(features.every((d) => typeof d === 'number') ? { batchInputShape: [null, ...(features as number[])] } : {}) });
    this.#parsed = parsed;
    this.#nodes = parsed.graph.node ?? [];
    for (const node of this.#nodes) {
      if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') throw new Error(`importOnnx: node '${node.name}' has op '${node.opType}' from domain '${node.domain}'; only ai.onnx ops are supported`);
      if (!INTERPRETERS[node.opType ?? '']) {
        throw new Error(`importOnnx: node '${node.name}' has op type '${node.opType}', which Perceptron cannot import (supported: ${Object.keys(INTERPRETERS).join(', ')})`);
      }
    }
    for (const init of parsed.graph.initializer ?? []) {
      const context = `importOnnx: initializer '${init.name}'`;
      const value = staticValue(init, context);
      if (value.onnxType !== ONNX_TYPE.FLOAT) {
        this.#initial.set(init.name!, value);
        continue;
      }
      const weight = this.addWeight(init.name!, value.dims, 'zeros');
      const data = tensor(Float32Array.from(value.values), [...value.dims], 'float32');
      weight.assign(data);
      data.dispose();
      this.#initial.set(init.name!, weight);
    }
  }

  /** The graph's input and output names. */
  get inputName(): string {
    return this.#parsed.input.name;
  }

  get outputName(): string {
    return this.#parsed.output.name;
  }

  override call(inputs: Tensor, _kwargs?: CallKwargs): Tensor {
    const env = new Map<string, Value>(this.#initial);
    env.set(this.inputName, inputs);
    for (const node of this.#nodes) {
      const values = (node.input ?? []).map((name) => {
        if (name === '') return undefined;
        const value = env.get(name);
        if (value === undefined) throw new Error(`importOnnx: node '${node.name}' reads '${name}', which no initializer or earlier node provides`);
        return value;
      });
      const context = new NodeContext(node, values, this.#parsed.opset);
      env.set(node.output![0]!, INTERPRETERS[node.opType!]!(context));
    }
    const output = env.get(this.outputName);
    if (output === undefined) throw new Error(`importOnnx: no node computes the graph output '${this.outputName}'`);
    return toTensor(output, 'importOnnx');
  }
}

/**
 * Builds a Perceptron model from ONNX bytes (as `exportOnnx` writes them), with weights on the
 * active backend, so export → import → predict gives the model's outputs back. A node whose op
 * Perceptron cannot run is an error naming its op type and node name.
 */
export function importOnnx(bytes: Uint8Array, options: { name?: string } = {}): OnnxGraphModel {
  let parsed: ParsedModel;
  try {
    parsed = parseOnnx(bytes, 'bytes');
  } catch (error) {
    throw new Error(`importOnnx: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.input.elemType !== ONNX_TYPE.FLOAT) {
    throw new Error(`importOnnx: the graph input '${parsed.input.name}' is ${onnxTypeName(parsed.input.elemType)}; expected float`);
  }
  return new OnnxGraphModel(parsed, options.name ?? (parsed.graph.name || 'onnx_model'));
}
