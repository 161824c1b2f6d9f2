import { Tensor } from '../tensor/tensor.js';
import { isPlainObject } from '../util/plain-object.js';
import { mapInLeafOrder, type DatasetElement, type Structure } from './structure.js';
import { Row, rowOfLeaves, type Leaf } from './table.js';

const op = 'Dataset.fromArray';

/** An element `fromArray` takes: numbers and tensors, in arrays and plain objects. */
export type ArrayElement = number | Tensor | readonly ArrayElement[] | { readonly [key: string]: ArrayElement };

/**
 * The element a `fromArray` value becomes: every number a float32 scalar tensor. Values typed
 * no more precisely than `ArrayElement` give `DatasetElement` (mapping that recursive type
 * would not end).
 */
export type Tensorized<T> = ArrayElement extends T ? DatasetElement : T extends number | Tensor ? Tensor : { -readonly [K in keyof T]: Tensorized<T[K]> };

/** Splits `value` into its structure and host leaves (as `flatten` does for tensors). */
function hostLeaves(value: unknown, leaves: Leaf[], index: number): Structure {
  if (typeof value === 'number') {
    leaves.push({ values: Float32Array.of(value), shape: [], dtype: 'float32' });
    return null;
  }
  if (value instanceof Tensor) {
    value.assertUsable(op);
    leaves.push({ values: value.dataSync(), shape: value.shape, dtype: value.dtype });
    return null;
  }
  if (Array.isArray(value)) return value.map((v) => hostLeaves(v, leaves, index));
  if (isPlainObject(value)) return mapInLeafOrder(value, (v) => hostLeaves(v, leaves, index));
  const given = value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value;
  throw new Error(`${op}: expected numbers or tensors, in arrays / plain objects; got ${given} in element ${index}`);
}

/**
 * Every element as a lazy row of host values, read once, here: numbers become float32 scalars,
 * tensors are copied, so the caller may dispose them at once (as with `fromTensorSlices`).
 */
export function rowsOfArray(elements: readonly unknown[]): Row[] {
  return elements.map((element, index) => {
    const leaves: Leaf[] = [];
    const structure = hostLeaves(element, leaves, index);
    return rowOfLeaves(structure, leaves);
  });
}
