// In a functional model a keyword argument may be a symbolic tensor too, as Keras takes
// KerasTensors anywhere in a call: MultiHeadAttention's `attentionMask` from an Input of the
// model, say. Such a tensor is an edge of the graph as the inputs are. Values are looked at one
// level deep: a tensor, or a list of them (with nulls), as a list of masks is.
import type { CallKwargs } from './call-signature.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/** The symbolic tensors among `kwargs`' values, in key order. */
export function symbolicKwargs(kwargs: CallKwargs): SymbolicTensor[] {
  return Object.values(kwargs).flat().filter((value): value is SymbolicTensor => value instanceof SymbolicTensor);
}

/** Refuses a symbolic tensor among `kwargs` of a call on tensors (`layer` names the layer): only a graph's call takes one. */
export function refuseSymbolicKwargs(layer: string, kwargs: CallKwargs): void {
  for (const key in kwargs) {
    const value = kwargs[key];
    if (value instanceof SymbolicTensor || (Array.isArray(value) && value.some((v) => v instanceof SymbolicTensor))) {
      throw new Error(`Layer '${layer}': kwargs.${key} is a SymbolicTensor, which only a call on symbolic inputs takes (to build a functional model); got tensor inputs`);
    }
  }
}

/** `kwargs` with each value `replace` answers for (not undefined) replaced: symbolic tensors by real ones, or by saved references. */
export function mapKwargValues(kwargs: CallKwargs, replace: (value: unknown) => unknown): CallKwargs {
  const map = (value: unknown) => replace(value) ?? value;
  return Object.fromEntries(Object.entries(kwargs).map(([key, value]) => [key, Array.isArray(value) ? value.map(map) : map(value)]));
}
