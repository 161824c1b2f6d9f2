import type { DType } from '../types.js';
import type { CallKwargs, Layer } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';
import { symbolicKwargs } from './symbolic-kwargs.js';

/**
 * One call of a layer on symbolic tensors: an edge of a functional model's graph, which the
 * model replays, node by node, to run the graph on real tensors.
 */
export class Node {
  /** The tensors this call produces, in the order `call` returns them. */
  readonly outputs: readonly SymbolicTensor[];
  /** The symbolic tensors among the keyword arguments (an attention mask from an Input). */
  readonly kwargTensors: readonly SymbolicTensor[];

  /**
   * @param inputs the symbolic tensors the layer was applied to (none for an InputLayer).
   * @param inputsAsList whether they were given as a list (`add.apply([a, b])`) or alone.
   * @param kwargs the keyword arguments of the call, replayed with it.
   * @param index this call's position among the layer's calls on symbolic tensors.
   * @param outputsAsList whether `call` returned a list (an LSTM's output and states) or one tensor.
   */
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    readonly inputsAsList: boolean,
    readonly kwargs: CallKwargs,
    readonly index: number,
    readonly outputsAsList: boolean,
    outputs: readonly { shape: SymbolicShape; dtype: DType }[],
  ) {
    this.outputs = outputs.map(({ shape, dtype }, i) => new SymbolicTensor(shape, dtype, this, i));
    this.kwargTensors = symbolicKwargs(kwargs);
  }

  /** Every symbolic tensor the call takes: its inputs, then those among its keyword arguments. */
  get dependencies(): readonly SymbolicTensor[] {
    return this.kwargTensors.length === 0 ? this.inputs : [...this.inputs, ...this.kwargTensors];
  }

  /** What `apply` returned for this call: the list, or the one tensor. */
  get returned(): SymbolicTensor | SymbolicTensor[] {
    return this.outputsAsList ? [...this.outputs] : this.outputs[0]!;
  }
}

/**
 * A placeholder for a tensor of a functional model, as Keras's KerasTensor and tfjs's
 * SymbolicTensor: the shape (batch unknown) and dtype it will have, and the layer call that
 * produces it. `Input` makes the first ones; a layer applied to symbolic tensors records the
 * call and returns its output, so `new Model({inputs, outputs})` can trace the graph back.
 */
export class SymbolicTensor {
  /** `index`: its position among the outputs of the call that produces it. */
  constructor(readonly shape: SymbolicShape, readonly dtype: DType, readonly node: Node, readonly index = 0) {}

  get rank(): number {
    return this.shape.length;
  }

  /** The layer that produces it. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  toString(): string {
    return `<SymbolicTensor shape=${formatSymbolicShape(this.shape)}, dtype=${this.dtype}, source=${this.node.layer.name}[${this.node.index}][${this.index}]>`;
  }
}

/** A layer's calls on symbolic tensors, in order (Keras's inbound nodes). */
export class InboundNodes {
  readonly #nodes: Node[] = [];

  constructor(private readonly layer: Layer) {}

  get all(): readonly Node[] {
    return this.#nodes;
  }

  /** Records a call and returns its node, numbered in call order. */
  record(inputs: readonly SymbolicTensor[], asList: boolean, kwargs: CallKwargs, outputsAsList: boolean, outputs: readonly { shape: SymbolicShape; dtype: DType }[]): Node {
    const node = new Node(this.layer, inputs, asList, kwargs, this.#nodes.length, outputsAsList, outputs);
    this.#nodes.push(node);
    return node;
  }

  /** The one call, for `layer.input` / `layer.output` (named `property` in the error when there are none or several). */
  only(property: string): Node {
    if (this.#nodes.length !== 1) {
      throw new Error(`Layer '${this.layer.name}'.${property}: defined for a layer called once on symbolic tensors, but it was called ${this.#nodes.length} times`);
    }
    return this.#nodes[0]!;
  }
}
