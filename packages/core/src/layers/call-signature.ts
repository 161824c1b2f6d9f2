// What a layer call takes and returns: the types of `apply` and `call`, and the checks of
// what they were given and what `call` returned.
import { Tensor } from '../tensor/tensor.js';
import type { Layer } from './layer.js';
import type { LayerMask } from './mask.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/** What `apply` takes: a tensor, or a list for a layer of several inputs; real or symbolic. */
export type LayerInputs = Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[];

/** What `call` returns: one tensor, or a list for a layer of several outputs (an LSTM's output and states). */
export type LayerOutput = Tensor | Tensor[];

/** What `apply` returns on real tensors: what the layer's `call` returns (`Tensor` for a Dense). */
export type OutputOf<L extends Layer> = ReturnType<L['call']>;

/** What `apply` returns on symbolic tensors: a SymbolicTensor, or a list where `call` returns a list. */
export type SymbolicOutputOf<L extends Layer> = OutputOf<L> extends Tensor[] ? SymbolicTensor[] : OutputOf<L> extends Tensor ? SymbolicTensor : SymbolicTensor | SymbolicTensor[];

/** The shape of a layer's output, or of each output for a layer of several. */
export type OutputShape = SymbolicShape | readonly SymbolicShape[];

/** Keyword arguments of `call` / `apply`. */
export interface CallKwargs {
  /** True while fitting: Dropout drops. Inherited by child layers when not given. */
  training?: boolean;
  /**
   * Which timesteps of the input hold data (see mask.ts): models pass it to each layer from the
   * layer before, and recurrent layers skip the padding it marks.
   */
  mask?: LayerMask;
  /**
   * Asks a functional model or Sequential to attach its outputs' masks to them (see mask.ts):
   * `trainStep` and `testStep` do, so the loss and the metrics leave padding out, and so does a
   * graph for the models nested in it.
   */
  keepOutputMask?: boolean;
  [key: string]: unknown;
}

/** A value as an error message names it: `null`, `an array`, its class, or its type. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}

/**
 * What `apply` was given, as a list: one tensor, or, for a layer that `takesList`, a non-empty
 * list of tensors, all real or all symbolic. Anything else is refused naming the layer (`name`,
 * of class `className`), what it takes and what it got.
 */
export function inputList(name: string, className: string, takesList: boolean, inputs: unknown): (Tensor | SymbolicTensor)[] {
  const isInput = (x: unknown): x is Tensor | SymbolicTensor => x instanceof Tensor || x instanceof SymbolicTensor;
  if (!Array.isArray(inputs)) {
    if (!isInput(inputs)) throw new Error(`Layer '${name}': expected a Tensor input, got ${describe(inputs)}`);
    return [inputs];
  }
  if (!takesList) throw new Error(`Layer '${name}' (${className}) takes one tensor, got a list of ${inputs.length}`);
  const list: unknown[] = inputs;
  const bad = list.findIndex((x) => !isInput(x));
  if (bad >= 0) throw new Error(`Layer '${name}': expected a list of Tensors, got ${describe(list[bad])} at position ${bad}`);
  const symbolic = list.filter((x) => x instanceof SymbolicTensor).length;
  if (list.length === 0 || (symbolic > 0 && symbolic < list.length)) {
    throw new Error(`Layer '${name}': expected a non-empty list of Tensors or of SymbolicTensors, got ${list.length === 0 ? 'an empty list' : `${symbolic} symbolic and ${list.length - symbolic} real tensors`}`);
  }
  return list as (Tensor | SymbolicTensor)[];
}

/** The tensors `call` returned, which must be a tensor or a non-empty list of them. */
export function checkedOutputs(layer: string, output: unknown): Tensor[] {
  const outputs: unknown[] = Array.isArray(output) ? output : [output];
  if (outputs.length === 0 || !outputs.every((t) => t instanceof Tensor)) {
    throw new Error(`Layer '${layer}': call must return a Tensor or a non-empty list of Tensors, got ${Array.isArray(output) ? `a list of ${outputs.map(describe).join(', ') || 'nothing'}` : describe(output)}`);
  }
  return outputs as Tensor[];
}
