import { onnx, onnxTypeName, toNumber, type GraphProto, type ModelProto, type ValueInfoProto } from './proto.js';

/** A graph input or output: its name, element type and shape (numbers, or names like 'batch'). */
export interface ValueSignature {
  /** The name the graph gives it. */
  name: string;
  /** ONNX's TensorProto.DataType number: 1 float, 6 int32, 7 int64, 9 bool. */
  elemType: number;
  /** Each dimension's size, or its symbolic name ('batch'). */
  shape: (number | string)[];
}

/** An ONNX file decoded and checked: what importOnnx and OnnxModel read. */
export interface ParsedModel {
  /** The whole ModelProto. */
  model: ModelProto;
  /** Its graph: nodes, initializers, inputs and outputs. */
  graph: GraphProto;
  /** The ai.onnx opset the model imports. */
  opset: number;
  /** The graph inputs the caller feeds (initializers listed as inputs left out), in order. */
  inputs: ValueSignature[];
  /** The graph outputs, in order. */
  outputs: ValueSignature[];
}

/**
 * Decodes and sanity-checks ONNX bytes; `source` (a file path or 'bytes') names them in errors.
 * Bytes that are not protobuf, are cut short, or lack the graph, opset or IR version of a model
 * are errors, caught here rather than deep inside a runtime.
 */
export function parseOnnx(bytes: Uint8Array, source: string): ParsedModel {
  const notOnnx = (problem: string): Error => new Error(`${source} is not a valid ONNX model: ${problem}`);
  if (!(bytes instanceof Uint8Array)) throw new Error(`expected ONNX model bytes as a Uint8Array, got ${typeof bytes}`);
  if (bytes.length === 0) throw notOnnx('it is empty');
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw notOnnx(`it does not decode as an ONNX ModelProto, it may be truncated or another kind of file (${(error as Error).message})`);
  }
  const graph = model.graph;
  if (!graph) throw notOnnx('it has no graph');
  if (!toNumber(model.irVersion)) throw notOnnx('it has no IR version');
  const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!opset) throw notOnnx('it imports no ai.onnx opset');
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name));
  const outputs = graph.output ?? [];
  if (inputs.length === 0 || outputs.length === 0) {
    throw notOnnx(`expected a graph with at least one input and one output, got ${inputs.length} inputs and ${outputs.length} outputs`);
  }
  return { model, graph, opset: toNumber(opset.version), inputs: inputs.map(signature), outputs: outputs.map(signature) };
}

function signature(value: ValueInfoProto): ValueSignature {
  const tensorType = value.type?.tensorType;
  return {
    name: value.name ?? '',
    elemType: tensorType?.elemType ?? 0,
    shape: (tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : '?')),
  };
}

/** '[batch,784] float' */
export function describeSignature(s: ValueSignature): string {
  return `[${s.shape.join(',')}] ${onnxTypeName(s.elemType)}`;
}

/** Reads a model file, with errors naming it. node:fs is loaded here so browsers never need it. */
export async function readModelFile(path: string, caller: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${caller}: model file ${path} does not exist` : `${caller}: cannot read model file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
