import { Tensor } from '../tensor/tensor.js';
import { SymbolicTensor } from './symbolic-tensor.js';

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
