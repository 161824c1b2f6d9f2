import { formatShape, Model, Tensor, tensor, type CallKwargs, type DType, type LayerOutput, type Variable } from '@perceptron/core';
import { parseOnnx, type ParsedModel } from '../model-file.js';
import { ONNX_TYPE, type NodeProto } from '../proto.js';
import { INTERPRETERS, NodeContext } from './interpreters.js';
import { dtypeOf, staticValue, toTensor, type StaticValue, type Value } from './values.js';

/**
 * A Perceptron model whose `call` runs an ONNX graph node by node with core ops, on whichever
 * backend is active. Float initializers become the model's (trainable) weights; Constant nodes
 * and integer initializers (shapes, axes) stay constants. A graph of several inputs takes a list
 * of tensors, one per input; one of several outputs returns a list, one per output, in the
 * graph's order. Each input is a tensor of the graph input's element type (int64 as int32).
 */
export class OnnxGraphModel extends Model {
  static override readonly className = 'OnnxGraphModel';
  readonly #parsed: ParsedModel;
  readonly #nodes: readonly NodeProto[];
  readonly #initial = new Map<string, Variable | StaticValue>();
  readonly #inputDtypes: readonly DType[];

  constructor(parsed: ParsedModel, name: string) {
    // One input of known features is declared, so predict checks what it is given.
    const features = parsed.inputs.length === 1 ? parsed.inputs[0]!.shape.slice(1) : null;
    super({ name, ...(features?.every((d) => typeof d === 'number') ? { batchInputShape: [null, ...(features as number[])] } : {}) });
    this.#parsed = parsed;
    this.#inputDtypes = parsed.inputs.map((input) => dtypeOf(input.elemType, `importOnnx: the graph input '${input.name}'`));
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

  /** The graph's input names, in the order `call` takes its inputs (predict's x may be keyed by them). */
  override get inputNames(): string[] {
    return this.#parsed.inputs.map((input) => input.name);
  }

  /** The dtype of each graph input, in the order `call` takes its inputs. */
  get inputDtypes(): DType[] {
    return [...this.#inputDtypes];
  }

  /** The graph's output names, in the order `call` returns its outputs (the names compile's per-output losses take). */
  override get outputNames(): string[] {
    return this.#parsed.outputs.map((output) => output.name);
  }

  override call(inputs: Tensor | Tensor[], _kwargs?: CallKwargs): LayerOutput {
    const given = Array.isArray(inputs) ? inputs : [inputs];
    const names = this.inputNames;
    if (given.length !== names.length) {
      throw new Error(`OnnxGraphModel '${this.name}': expected ${names.length} input tensor${names.length === 1 ? '' : 's'} (${names.map((n) => `'${n}'`).join(', ')}), got ${given.length}`);
    }
    given.forEach((x, i) => {
      const dtype = this.#inputDtypes[i]!;
      if (x.dtype !== dtype) throw new Error(`OnnxGraphModel '${this.name}': expected input '${names[i]}' to be ${dtype}, got ${x.dtype} ${formatShape(x.shape)}`);
    });
    const env = new Map<string, Value>(this.#initial);
    names.forEach((name, i) => env.set(name, given[i]!));
    for (const node of this.#nodes) {
      const values = (node.input ?? []).map((name) => {
        if (name === '') return undefined;
        const value = env.get(name);
        if (value === undefined) throw new Error(`importOnnx: node '${node.name}' reads '${name}', which no initializer or earlier node provides`);
        return value;
      });
      const context = new NodeContext(node, values, this.#parsed.opset);
      const result = INTERPRETERS[node.opType!]!(context);
      // An output left out of the node has the empty name.
      (Array.isArray(result) ? result : [result]).forEach((value, i) => node.output![i] && env.set(node.output![i]!, value));
    }
    const outputs = this.outputNames.map((name) => {
      const output = env.get(name);
      if (output === undefined) throw new Error(`importOnnx: no node computes the graph output '${name}'`);
      return toTensor(output, 'importOnnx');
    });
    return outputs.length === 1 ? outputs[0]! : outputs;
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
  return new OnnxGraphModel(parsed, options.name ?? (parsed.graph.name || 'onnx_model'));
}
