import { Functional, tidy, zeros, type Layer, type Variable } from '@perceptron/core';
import { BATCH_DIM, DEFAULT_INPUT_NAME, DEFAULT_OUTPUT_NAME } from '../names.js';
import { onnx, onnxTypeOf, type NodeProto, type ValueInfoProto } from '../proto.js';
import { DEFAULT_OPSET, irVersionFor } from '../versions.js';
import { GraphBuilder } from './graph-builder.js';
import { BATCH_AWARE_OPS, OP_MAPPINGS } from './op-mappings.js';
import { traceForward, type Trace, type TracedOp, type TracedSource } from './trace-model.js';

export interface ExportOnnxOptions {
  /** The input's feature dimensions, without the batch (e.g. [784]); default: what the model was built for. */
  inputShape?: readonly number[];
  /** The ai.onnx opset to write (13 to 21); default 17. The IR version follows from it. */
  opset?: number;
  /** The graph input's name; default 'input'. */
  inputName?: string;
  /** The graph output's name; default 'output'. */
  outputName?: string;
}

/** The two batch sizes the forward pass is traced at: what changes between them is the batch. */
const TRACE_BATCHES = [2, 3] as const;

/**
 * Exports a model's inference forward pass (`apply` with training false) as ONNX ModelProto
 * bytes. The pass is traced on dummy batches and each core op becomes ONNX nodes; weights become
 * initializers named like their variables ('dense/kernel'), the input and output are named
 * `inputName` / `outputName` ('input' / 'output'), and their first dimension is the symbolic
 * 'batch'. An op without an ONNX mapping is an error naming the op and the layer running it.
 */
export function exportOnnx(model: Layer, options: ExportOnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_OPSET;
  const irVersion = irVersionFor(opset);
  const inputName = options.inputName ?? DEFAULT_INPUT_NAME;
  const outputName = options.outputName ?? DEFAULT_OUTPUT_NAME;
  if (!inputName || !outputName || inputName === outputName) {
    throw new Error(`exportOnnx: expected two different, non-empty input and output names, got '${inputName}' and '${outputName}'`);
  }
  if (model instanceof Functional && model.inputs.length > 1) {
    throw new Error(`exportOnnx: model '${model.name}' takes ${model.inputs.length} inputs; the exporter writes graphs of one input`);
  }
  if (model instanceof Functional && model.outputs.length > 1) {
    throw new Error(`exportOnnx: model '${model.name}' has ${model.outputs.length} outputs; the exporter writes graphs of one output`);
  }
  const featureShape = featureShapeOf(model, options.inputShape);
  if (!model.built) tidy(() => void model.apply(zeros([1, ...featureShape]), { training: false }));
  const [first, second] = TRACE_BATCHES.map((batch) => traceForward(model, featureShape, batch)) as [Trace, Trace];
  checkSameOps(model, first, second);

  const b = new GraphBuilder(opset, [inputName, outputName]);
  const weights = new Map<Variable, string>();
  const values: string[] = [];
  const nameOf = (source: TracedSource, other: TracedSource, fail: (reason: string) => never, scope: string): string => {
    switch (source.kind) {
      case 'op': return values[source.index]!;
      case 'input': return inputName;
      case 'variable': return weights.get(source.variable) ?? weightInitializer(b, weights, source.variable);
      case 'constant':
        if (other.kind !== 'constant' || !sameValues(source.values, other.values) || source.shape.join() !== other.shape.join()) {
          fail('one of its constant operands depends on the batch size (for example a mean over the batch dimension)');
        }
        return b.constant(source.dtype, source.shape, source.values, scope);
    }
  };
  first.ops.forEach((op, index) => {
    const other = second.ops[index]!;
    const scope = op.layerPath.join('/');
    const fail = (reason: string): never => {
      throw new Error(`exportOnnx: op '${op.name}' in ${describeLayer(op)} cannot be exported: ${reason}`);
    };
    const mapping = OP_MAPPINGS[op.name];
    if (!mapping) fail(`it has no ONNX mapping (ops that export: ${Object.keys(OP_MAPPINGS).join(', ')})`);
    if (!BATCH_AWARE_OPS.has(op.name) && JSON.stringify(op.attrs) !== JSON.stringify(other.attrs)) {
      fail(`its settings depend on the batch size (${JSON.stringify(op.attrs)} at batch ${first.batch}, ${JSON.stringify(other.attrs)} at batch ${second.batch})`);
    }
    const inputs = op.inputs.map((source, i) => nameOf(source, other.inputs[i]!, fail, scope));
    values.push(mapping!({ b, op, other, inputs, scope, fail }));
  });

  const result = nameOf(first.output, second.output, (reason) => {
    throw new Error(`exportOnnx: the output of model '${model.name}' cannot be exported: ${reason}`);
  }, model.name);
  const producer = b.nodes.find((n) => n.output![0] === result);
  if (producer) renameValue(b.nodes, result, outputName);
  else b.nodes.push({ name: outputName, opType: 'Identity', domain: '', input: [result], output: [outputName] });
  const nodes = neededNodes(b.nodes, outputName);
  const used = new Set(nodes.flatMap((n) => n.input ?? []));

  const graph = onnx.GraphProto.create({
    name: model.name,
    node: nodes,
    initializer: b.initializers.filter((t) => used.has(t.name!)),
    input: [valueInfo(inputName, 1, [BATCH_DIM, ...featureShape])],
    output: [valueInfo(outputName, onnxTypeOf(first.outputDtype), symbolicShape(first, second, outputName))],
    docString: `Exported by Perceptron from model '${model.name}': input '${inputName}', output '${outputName}', batch dimension '${BATCH_DIM}'.`,
  });
  const proto = onnx.ModelProto.create({
    irVersion, opsetImport: [{ domain: '', version: opset }], producerName: 'perceptron', producerVersion: '0.1.0', graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** The feature dimensions: given, or those the model was built (or declared) for. */
function featureShapeOf(model: Layer, given: readonly number[] | undefined): number[] {
  const shape = given ?? model.buildInputShape?.slice(1) ?? model.batchInputShape?.slice(1);
  if (!shape || shape.some((d) => d === null)) {
    throw new Error(`exportOnnx: model '${model.name}' has not been built and declares no input shape; pass options.inputShape, the feature dimensions without the batch (e.g. [784])`);
  }
  if (shape.some((d) => !Number.isInteger(d) || d! <= 0)) {
    throw new Error(`exportOnnx: expected inputShape to be positive integers (the feature dimensions, without the batch), got ${JSON.stringify(shape)}`);
  }
  return shape as number[];
}

function checkSameOps(model: Layer, first: Trace, second: Trace): void {
  const names = (t: Trace) => t.ops.map((op) => op.name).join(', ');
  if (names(first) !== names(second)) {
    throw new Error(`exportOnnx: model '${model.name}' runs different ops at batch sizes ${first.batch} and ${second.batch}, so its forward pass cannot be exported as one graph: [${names(first)}] vs [${names(second)}]`);
  }
}

function describeLayer(op: TracedOp): string {
  const path = op.layerPath;
  if (path.length === 0) return 'no layer (outside any call)';
  return path.length === 1 ? `layer '${path[0]}'` : `layer '${path[path.length - 1]}' (${path.join(' > ')})`;
}

function weightInitializer(b: GraphBuilder, weights: Map<Variable, string>, variable: Variable): string {
  const name = b.initializer(variable.name, onnxTypeOf(variable.dtype), variable.shape, variable.dataSync());
  weights.set(variable, name);
  return name;
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

function renameValue(nodes: NodeProto[], from: string, to: string): void {
  for (const n of nodes) {
    n.input = n.input!.map((name) => (name === from ? to : name));
    n.output = n.output!.map((name) => (name === from ? to : name));
  }
}

/** The nodes the output depends on, in order: ops whose results the model did not use are dropped. */
function neededNodes(nodes: readonly NodeProto[], output: string): NodeProto[] {
  const needed = new Set([output]);
  const kept: NodeProto[] = [];
  for (const n of [...nodes].reverse()) {
    if (!n.output!.some((name) => needed.has(name))) continue;
    kept.push(n);
    for (const name of n.input!) needed.add(name);
  }
  return kept.reverse();
}

/** The output shape: fixed dimensions, 'batch' where it followed the batch, unnamed otherwise. */
function symbolicShape(first: Trace, second: Trace, name: string): (number | string)[] {
  return first.outputShape.map((d, i) => {
    if (d === second.outputShape[i]) return d;
    return d === first.batch && second.outputShape[i] === second.batch ? BATCH_DIM : `${name}_dim${i}`;
  });
}

function valueInfo(name: string, elemType: number, shape: readonly (number | string)[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}
