import type { CallKwargs, ConfigDict, Layer, LayerConfig, LayerOutput, OutputShape } from '../layers/layer.js';
import { registerClass, type LayerClass } from '../layers/registry.js';
import { concreteShape, isShapeList, type SymbolicShape } from '../layers/symbolic-shape.js';
import { SymbolicTensor, type Node } from '../layers/symbolic-tensor.js';
import { mapKwargValues } from '../layers/symbolic-kwargs.js';
import { attachMask, type Mask } from '../layers/mask.js';
import { applyWithMask } from '../layers/mask-propagation.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { functionalConfig, graphCalls, rebuildGraph, type FunctionalModelConfig } from './functional-config.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { Model } from './model.js';
import type { OptionList, OwnOptions } from '../layers/layer-options.js';

/**
 * Keras's functional model, made by `new Model({inputs, outputs})`: a graph of layer calls,
 * traced back from the output to the `Input`s when the model is made. Layers may branch, merge
 * (Add, Concatenate) and be shared (called more than once); calling the model replays the calls
 * in order on real tensors. The layers are built as the graph is traced, so the model has its
 * weights, and `summary()` prints, before any data is seen.
 */
export class Functional extends Model {
  static override readonly className: string = 'Functional';
  static override readonly options: OptionList = { inputs: true, outputs: true } satisfies OwnOptions<FunctionalModelConfig, LayerConfig>;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Every call of the graph, each after the calls it takes inputs from; InputLayers first. */
  readonly #nodes: readonly Node[];
  readonly #layers: readonly Layer[];
  /** `outputs` was given as a list: `call` returns a list (even of one), as Keras keeps the structure. */
  readonly #outputsAsList: boolean;

  constructor(config: FunctionalModelConfig) {
    const { inputs, outputs, ...rest } = config ?? ({} as FunctionalModelConfig);
    super(rest);
    this.inputs = symbolicList(this.name, 'inputs', inputs);
    this.outputs = symbolicList(this.name, 'outputs', outputs);
    this.#outputsAsList = Array.isArray(outputs);
    this.inputs.forEach((input, i) => {
      if (input.node.inputs.length > 0) throw new Error(`Functional '${this.name}': inputs[${i}] must come from Input(), got the output of layer '${input.sourceLayer.name}'`);
    });
    this.#nodes = orderedNodes(this.name, this.inputs, this.outputs);
    this.#layers = [...new Set(this.#nodes.map((node) => node.layer))];
    const names = this.#layers.map((layer) => layer.name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) throw new Error(`Functional '${this.name}': layer names must be unique (they key the saved graph), got two layers named '${repeated}'`);
    this.built = true;
    // As a Sequential of known input shape: `fit` and the ONNX exporter read the feature shape.
    const only = this.inputs.length === 1 ? this.inputs[0]!.shape : null;
    this.buildInputShape = only && only.slice(1).every((d) => d !== null) ? concreteShape(only) : null;
  }

  /** Every layer of the graph, InputLayers first, each after the layers it takes inputs from. */
  override get layers(): Layer[] {
    return [...this.#layers];
  }

  override get childLayers(): Layer[] {
    return [...this.#layers];
  }

  /** The graph's calls, in the order `call` replays them. */
  get nodes(): readonly Node[] {
    return this.#nodes;
  }

  /**
   * The names of the outputs, as Keras's `output_names`: each output's layer, with `_0`, `_1`, ...
   * after the name of a layer that gives several of them. Per-output losses and metrics are
   * logged under them (`digit_loss`, `digit_accuracy`).
   */
  override get outputNames(): string[] {
    const layers = this.outputs.map((t) => t.sourceLayer);
    return layers.map((layer, i) => {
      const same = layers.filter((other) => other === layer).length;
      return same > 1 ? `${layer.name}_${layers.slice(0, i).filter((other) => other === layer).length}` : layer.name;
    });
  }

  /** The names of the inputs: their InputLayers'. x may be keyed by them. */
  override get inputNames(): string[] {
    return this.inputs.map((t) => t.sourceLayer.name);
  }

  /**
   * Replays the graph: each input through its InputLayer (which checks its shape), then each
   * call, carrying masks from layer to layer (`kwargs.mask` is the inputs' mask, when the model
   * is a layer of another).
   */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): LayerOutput {
    const given = Array.isArray(inputs) ? inputs : [inputs];
    if (given.length !== this.inputs.length) {
      throw new Error(`Functional '${this.name}': expected ${this.inputs.length} input tensor${this.inputs.length === 1 ? '' : 's'} (${this.inputs.map(String).join(', ')}), got ${given.length}`);
    }
    const { mask: inputMasks, keepOutputMask, ...rest } = kwargs;
    const values = new Map<SymbolicTensor, Tensor>();
    const masks = new Map<SymbolicTensor, Mask>();
    this.inputs.forEach((input, i) => {
      values.set(input, input.sourceLayer.apply(given[i]!, rest) as Tensor);
      masks.set(input, (Array.isArray(inputMasks) ? inputMasks[i] : inputMasks) ?? null);
    });
    for (const node of this.#nodes) {
      if (node.outputs.every((output) => values.has(output))) continue;
      const args = node.inputs.map((input) => values.get(input)!);
      const argMasks = node.inputs.map((input) => masks.get(input) ?? null);
      const nodeKwargs = node.kwargTensors.length === 0 ? node.kwargs : mapKwargValues(node.kwargs, (value) => (value instanceof SymbolicTensor ? values.get(value) : undefined));
      const called = applyWithMask(node.layer, node.inputsAsList ? args : args[0]!, { ...rest, ...nodeKwargs }, node.inputsAsList ? argMasks : argMasks[0]!);
      const outputs = Array.isArray(called.output) ? called.output : [called.output];
      if (outputs.length !== node.outputs.length) {
        throw new Error(`Functional '${this.name}': layer '${node.layer.name}' returned ${outputs.length} tensor(s) where the graph recorded ${node.outputs.length}`);
      }
      node.outputs.forEach((output, i) => {
        values.set(output, outputs[i]!);
        masks.set(output, (Array.isArray(called.mask) ? called.mask[i] : called.mask) ?? null);
      });
    }
    const results = this.outputs.map((output) => values.get(output)!);
    if (keepOutputMask) this.outputs.forEach((output, i) => attachMask(results[i]!, masks.get(output) ?? null));
    return this.#outputsAsList ? results : results[0]!;
  }

  /**
   * Keras's summary of a functional model: InputLayers are rows too and, unless the graph is a
   * plain chain, a fourth column names the tensors each layer takes (`dense[0][0]`: the output
   * of the layer's first call in this graph).
   */
  override summary(printFn: (line: string) => void = console.log, options: SummaryOptions = {}): void {
    const { callsOf, refOf } = graphCalls(this.#nodes);
    const named = (t: SymbolicTensor): string => {
      const [layer, call, index] = refOf(t);
      return `${layer}[${call}][${index}]`;
    };
    const connections = (layer: Layer): string => (callsOf.get(layer) ?? []).flatMap((node) => node.dependencies.map(named)).join(', ') || '-';
    printSummary(this, printFn, options, { layers: this.#layers, connections: isChain(this.#nodes) ? null : connections });
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const batch = (isShapeList(inputShape) ? inputShape[0]?.[0] : inputShape[0]) ?? null;
    const shapes = this.outputs.map((output) => [batch, ...output.shape.slice(1)]);
    return this.#outputsAsList ? shapes : shapes[0]!;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), ...functionalConfig(this.#nodes, this.inputs, this.outputs, this.#outputsAsList) };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { layers, inputLayers, outputLayers, outputsAsList, ...rest } = config;
    return new cls({ ...rest, ...rebuildGraph(layers, inputLayers, outputLayers, outputsAsList) });
  }
}
registerClass(Functional as LayerClass);

/** Whether the calls form one chain, each taking the one before's output alone, as a Sequential's. */
function isChain(nodes: readonly Node[]): boolean {
  return nodes.every((node, i) => (i === 0 ? node.inputs.length === 0 : node.dependencies.length === 1 && !node.inputsAsList && node.inputs[0] === nodes[i - 1]!.returned));
}

function symbolicList(model: string, role: 'inputs' | 'outputs', value: unknown): SymbolicTensor[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const bad = list.findIndex((t) => !(t instanceof SymbolicTensor));
  if (list.length === 0 || bad >= 0) {
    throw new Error(`Functional '${model}': expected ${role} to be a SymbolicTensor (from Input() or a layer applied to one) or a non-empty list of them, got ${list.length === 0 ? 'an empty list' : describeValue(list[bad])}`);
  }
  return list as SymbolicTensor[];
}

/**
 * The calls that lead from `inputs` to `outputs`, each after those it takes inputs (or symbolic
 * keyword arguments) from (a depth-first walk back from the outputs), the InputLayers' first in
 * the order of `inputs`. An output that depends on an Input not among `inputs` is an error, as
 * Keras's disconnected graph.
 */
function orderedNodes(model: string, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): Node[] {
  const order = inputs.map((input) => input.node);
  const visited = new Set<Node>(order);
  const visit = (tensor: SymbolicTensor): void => {
    const node = tensor.node;
    if (visited.has(node)) return;
    if (node.inputs.length === 0) {
      throw new Error(`Functional '${model}': the output depends on ${tensor}, which is not among the model's inputs (${inputs.map(String).join(', ')})`);
    }
    visited.add(node);
    node.dependencies.forEach(visit);
    order.push(node);
  };
  outputs.forEach(visit);
  return order;
}
