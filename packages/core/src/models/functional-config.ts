import type { CallKwargs, ConfigDict, Layer, LayerConfig } from '../layers/layer.js';
import { deserializeLayer, serializeLayer, type SerializedLayer } from '../layers/registry.js';
import { SymbolicTensor, type Node } from '../layers/symbolic-tensor.js';
import { mapKwargValues } from '../layers/symbolic-kwargs.js';
import { isPlainObject } from '../util/plain-object.js';

/** What `new Model({inputs, outputs})` takes: see `Functional`. */
export interface FunctionalModelConfig extends Omit<LayerConfig, 'inputShape' | 'batchInputShape'> {
  /** What `Input` returned: one, or a list for a model of several inputs. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The symbolic output, reached from `inputs` through layer calls; a list for a model of several outputs. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

/**
 * A symbolic tensor in a saved graph: the layer that makes it, which of its calls, and which
 * output of that call (files saved before layers had several outputs leave it out: 0).
 */
type TensorRef = [layerName: string, nodeIndex: number, tensorIndex?: number];

/** One saved call of a layer. */
interface SavedNode {
  inputs: TensorRef[];
  /** The inputs were given as a list (a merge layer's), not as one tensor. */
  asList: boolean;
  /** The keyword arguments, a symbolic tensor among them saved as a SavedKwargTensor. */
  kwargs: CallKwargs;
}

/** A symbolic tensor passed as a keyword argument, as Keras 3 saves one. */
interface SavedKwargTensor {
  className: '__keras_tensor__';
  config: { kerasHistory: TensorRef };
}

function isSavedKwargTensor(value: unknown): value is SavedKwargTensor {
  return isPlainObject(value) && value.className === '__keras_tensor__' && isPlainObject(value.config) && isRef(value.config.kerasHistory);
}

const isRef = (v: unknown): v is TensorRef => Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1]) && (v[2] === undefined || Number.isInteger(v[2]));

/** A saved layer: how to rebuild it, and its calls in the graph (none for an InputLayer). */
interface SavedGraphLayer extends SerializedLayer {
  inboundNodes: SavedNode[];
}

/**
 * Each layer's calls in a graph, in order, and a symbolic tensor of the graph named by its layer
 * and the position of its call among that layer's calls in this graph.
 */
export function graphCalls(nodes: readonly Node[]): { callsOf: Map<Layer, Node[]>; refOf: (t: SymbolicTensor) => TensorRef } {
  const callsOf = new Map<Layer, Node[]>();
  const position = new Map<Node, number>();
  for (const node of nodes) {
    const calls = callsOf.get(node.layer) ?? [];
    position.set(node, calls.length);
    callsOf.set(node.layer, [...calls, node]);
  }
  return { callsOf, refOf: (t) => [t.sourceLayer.name, position.get(t.node)!, t.index] };
}

/**
 * The graph of a functional model as config: each layer with the calls it makes in this graph,
 * and the model's inputs and outputs, every tensor named by its layer and the call's position
 * among that layer's calls in this graph (not among all its calls: a layer shared with another
 * model has calls this one does not save).
 */
export function functionalConfig(nodes: readonly Node[], inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], outputsAsList: boolean): ConfigDict {
  const { callsOf, refOf: ref } = graphCalls(nodes);
  const layers: SavedGraphLayer[] = [...callsOf].map(([layer, calls]) => ({
    ...serializeLayer(layer),
    inboundNodes: calls.filter((node) => node.inputs.length > 0).map((node) => ({
      inputs: node.inputs.map(ref),
      asList: node.inputsAsList,
      kwargs: node.kwargTensors.length === 0 ? node.kwargs : mapKwargValues(node.kwargs, (value) => (value instanceof SymbolicTensor ? { className: '__keras_tensor__', config: { kerasHistory: ref(value) } } : undefined)),
    })),
  }));
  return { layers, inputLayers: inputs.map(ref), outputLayers: outputs.map(ref), ...(outputsAsList ? { outputsAsList } : {}) };
}

/**
 * Rebuilds the layers of a saved graph and replays their calls on symbolic tensors. A call
 * waits until the calls it takes inputs from are replayed, so the order of the layers in the
 * file does not matter (a shared layer's second call may need a later layer's output).
 */
export function rebuildGraph(layers: unknown, inputLayers: unknown, outputLayers: unknown, outputsAsList: unknown): { inputs: SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[] } {
  const fail = (problem: string): never => {
    throw new Error(`Functional.fromConfig: ${problem}`);
  };
  if (!Array.isArray(layers) || !layers.every((l) => isPlainObject(l) && Array.isArray(l.inboundNodes))) fail(`expected config.layers to be a list of {className, config, inboundNodes}, got ${JSON.stringify(layers)}`);
  const isRefList = (v: unknown): v is TensorRef[] => Array.isArray(v) && v.every(isRef);
  if (!isRefList(inputLayers) || !isRefList(outputLayers)) fail(`expected config.inputLayers and config.outputLayers to be lists of [layerName, nodeIndex, tensorIndex], got ${JSON.stringify(inputLayers)} and ${JSON.stringify(outputLayers)}`);
  if (outputsAsList !== undefined && typeof outputsAsList !== 'boolean') fail(`expected config.outputsAsList to be a boolean, got ${JSON.stringify(outputsAsList)}`);

  // Each layer's calls so far, each call's outputs.
  const made = new Map<string, (SymbolicTensor | SymbolicTensor[])[]>();
  const pending = (layers as SavedGraphLayer[]).map((saved) => {
    const layer = deserializeLayer(saved);
    // An InputLayer makes its one call when constructed.
    made.set(layer.name, layer.inboundNodes.map((node) => node.returned));
    return { layer, calls: saved.inboundNodes, next: 0 };
  });
  const lookup = ([name, call, index = 0]: TensorRef): SymbolicTensor | undefined => [made.get(name)?.[call] ?? []].flat()[index];
  /** Every tensor a saved call takes: its inputs, then those among its keyword arguments. */
  const refsOf = ({ inputs, kwargs }: SavedNode): TensorRef[] => [
    ...inputs, ...Object.values(kwargs ?? {}).flat().filter(isSavedKwargTensor).map((saved) => saved.config.kerasHistory),
  ];
  for (let progress = true; progress;) {
    progress = false;
    for (const entry of pending) {
      for (; entry.next < entry.calls.length; entry.next++) {
        const saved = entry.calls[entry.next]!;
        if (!refsOf(saved).every(lookup)) break;
        const tensors = saved.inputs.map(lookup) as SymbolicTensor[];
        const kwargs = mapKwargValues(saved.kwargs ?? {}, (value) => (isSavedKwargTensor(value) ? lookup(value.config.kerasHistory) : undefined));
        made.get(entry.layer.name)!.push(saved.asList ? entry.layer.apply(tensors, kwargs) : entry.layer.apply(tensors[0]!, kwargs));
        progress = true;
      }
    }
  }
  const stuck = pending.find((entry) => entry.next < entry.calls.length);
  if (stuck) {
    const missing = refsOf(stuck.calls[stuck.next]!).filter((ref) => !lookup(ref));
    fail(`call ${stuck.next} of layer '${stuck.layer.name}' takes ${missing.map(formatRef).join(', ')}, which no layer of the config makes`);
  }
  const resolve = (ref: TensorRef): SymbolicTensor => lookup(ref) ?? fail(`the model's input or output ${formatRef(ref)} is made by no layer of the config`);
  const outputs = (outputLayers as TensorRef[]).map(resolve);
  return { inputs: (inputLayers as TensorRef[]).map(resolve), outputs: outputsAsList === true || outputs.length !== 1 ? outputs : outputs[0]! };
}

/** `dense[0][1]`: the second output of the first call of layer 'dense'. */
function formatRef([name, call, index = 0]: TensorRef): string {
  return `${name}[${call}][${index}]`;
}
