import { statefulLayersOf, tidy, zeros, type Layer, type Variable } from '@perceptron/core';
import { BATCH_DIM } from '../names.js';
import { onnx, onnxTypeOf, type ValueInfoProto } from '../proto.js';
import { DEFAULT_OPSET, irVersionFor } from '../versions.js';
import { GraphBuilder } from './graph-builder.js';
import { graphNames, type NameOptions } from './graph-names.js';
import { nameOutputs, neededNodes } from './graph-outputs.js';
import { inputDtypesOf, type InputDtypeOption } from './input-dtypes.js';
import { batchOf, inputShapesOf, type InputShapeOption, type TracedInputs } from './input-shapes.js';
import { BATCH_AWARE_OPS, OP_MAPPINGS } from './op-mappings.js';
import { traceForward, type Trace, type TracedOp, type TracedSource } from './trace-model.js';

export interface ExportOnnxOptions extends NameOptions {
  /**
   * The input's feature dimensions, without the batch (e.g. [784]), or a list of them for a
   * model whose call takes a list of inputs ([[784], [10]]); default: a functional model's
   * Inputs, or what the model was built for.
   */
  inputShape?: InputShapeOption;
  /**
   * The input's dtype, or a list of them for a model of several inputs, which the graph inputs
   * keep; default: a functional model's (or a Sequential's) Inputs, else float32. A subclassed
   * model declares none, so one that takes indices (e.g. into an Embedding) needs 'int32' here.
   */
  inputDtype?: InputDtypeOption;
  /** The ai.onnx opset to write (13 to 21); default 17. The IR version follows from it. */
  opset?: number;
}

/** A stateful layer's states would be traced as constants (the ones it holds now), and never carried from one run to the next. */
function refuseStatefulLayers(model: Layer): void {
  const stateful = statefulLayersOf(model);
  if (stateful.length === 0) return;
  const names = stateful.map((layer) => `'${layer.name}'`).join(', ');
  throw new Error(`exportOnnx: model '${model.name}' holds stateful layers (${names}), which carry their states from one call to the next; a traced graph would freeze their current states as constants. Rebuild the model with stateful: false (copy the weights over) to export it`);
}

/** The two batch sizes the forward pass is traced at: what changes between them is the batch. */
const TRACE_BATCHES = [2, 3] as const;

/**
 * Exports a model's inference forward pass (`apply` with training false) as ONNX ModelProto
 * bytes. The pass is traced on dummy batches and each core op becomes ONNX nodes; weights become
 * initializers named like their variables ('dense/kernel'). A model of one input and one output
 * gets a graph input 'input' and output 'output' (`inputName` / `outputName`); one of several
 * gets a graph input per input and a graph output per output, named as `graphNames` tells. The
 * first dimension of each is the symbolic 'batch'; each input keeps the model input's dtype
 * (`inputDtypesOf`), so an int32 Input stays an int32 graph input. An op without an ONNX
 * mapping is an error naming the op and the layer running it.
 */
export function exportOnnx(model: Layer, options: ExportOnnxOptions = {}): Uint8Array {
  refuseStatefulLayers(model);
  const opset = options.opset ?? DEFAULT_OPSET;
  const irVersion = irVersionFor(opset);
  const shapes = inputShapesOf(model, options.inputShape);
  const inputs: TracedInputs = { ...shapes, dtypes: inputDtypesOf(model, shapes.features.length, options.inputDtype) };
  if (!model.built) tidy(() => void model.apply(batchOf(inputs, 1, zeros), { training: false }));
  const [first, second] = TRACE_BATCHES.map((batch) => traceForward(model, inputs, batch)) as [Trace, Trace];
  checkSameOps(model, first, second);
  const names = graphNames(model, inputs.features.length, first.outputs.length, options);

  const b = new GraphBuilder(opset, [...names.inputs, ...names.outputs]);
  const weights = new Map<Variable, string>();
  const values: string[] = [];
  const nameOf = (source: TracedSource, other: TracedSource, fail: (reason: string) => never, scope: string): string => {
    switch (source.kind) {
      case 'op': return values[source.index]!;
      case 'input': return names.inputs[source.index]!;
      case 'variable': return weights.get(source.variable) ?? weightInitializer(b, weights, source.variable);
      case 'constant':
        if (other.kind !== 'constant' || !sameValues(source.values, other.values) || source.shape.join() !== other.shape.join()) {
          fail('one of its constant operands depends on the batch size (for example a mean over the batch dimension)');
        }
        return b.constant(source.dtype, source.shape, source.values, scope);
    }
  };
  const needed = opsOutputsNeed(first);
  first.ops.forEach((op, index) => {
    // An op no output reads (an activity regularizer's penalty, say) is left out of the graph, unchecked.
    if (!needed.has(index)) {
      values.push('');
      return;
    }
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

  const results = first.outputs.map((output, i) => nameOf(output.source, second.outputs[i]!.source, (reason) => {
    throw new Error(`exportOnnx: output '${names.outputs[i]}' of model '${model.name}' cannot be exported: ${reason}`);
  }, model.name));
  nameOutputs(b.nodes, results, names.outputs);
  const nodes = neededNodes(b.nodes, names.outputs);
  const used = new Set(nodes.flatMap((n) => n.input ?? []));

  const graph = onnx.GraphProto.create({
    name: model.name,
    node: nodes,
    initializer: b.initializers.filter((t) => used.has(t.name!)),
    input: inputs.features.map((features, i) => valueInfo(names.inputs[i]!, onnxTypeOf(inputs.dtypes[i]!), [BATCH_DIM, ...features])),
    output: names.outputs.map((name, i) => valueInfo(name, onnxTypeOf(first.outputs[i]!.dtype), symbolicShape(first, second, i, name))),
    docString: `Exported by Perceptron from model '${model.name}': ${quoted('input', names.inputs)}, ${quoted('output', names.outputs)}, batch dimension '${BATCH_DIM}'.`,
  });
  const proto = onnx.ModelProto.create({
    irVersion, opsetImport: [{ domain: '', version: opset }], producerName: 'perceptron', producerVersion: '0.1.0', graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** "input 'x'", or "inputs 'a', 'b'". */
function quoted(role: string, names: readonly string[]): string {
  return `${role}${names.length === 1 ? '' : 's'} ${names.map((n) => `'${n}'`).join(', ')}`;
}

/** The indices of the ops of `trace` whose values some output depends on. */
function opsOutputsNeed(trace: Trace): Set<number> {
  const needed = new Set<number>();
  const pending = trace.outputs.map((output) => output.source);
  for (let source = pending.pop(); source !== undefined; source = pending.pop()) {
    if (source.kind !== 'op' || needed.has(source.index)) continue;
    needed.add(source.index);
    pending.push(...trace.ops[source.index]!.inputs);
  }
  return needed;
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

/** Output `index`'s shape: fixed dimensions, 'batch' where it followed the batch, named after the output otherwise. */
function symbolicShape(first: Trace, second: Trace, index: number, name: string): (number | string)[] {
  const [shape, other] = [first.outputs[index]!.shape, second.outputs[index]!.shape];
  return shape.map((d, i) => {
    if (d === other[i]) return d;
    return d === first.batch && other[i] === second.batch ? BATCH_DIM : `${name}_dim${i}`;
  });
}

function valueInfo(name: string, elemType: number, shape: readonly (number | string)[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}
