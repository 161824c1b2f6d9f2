import { Tensor } from '../tensor/tensor.js';
import { isPlainObject } from '../util/plain-object.js';

/**
 * A dataset element: a tensor, or arrays and plain objects of them (`[x, y]`, `{image, label}`).
 * The nesting is its structure; the tensors are its leaves, in depth-first order, an object's
 * in the order of its sorted keys (as tf.nest): `{a, b}` and `{b, a}` lay out their leaves alike.
 */
export type DatasetElement = Tensor | readonly DatasetElement[] | { readonly [key: string]: DatasetElement };

/** The element type of `fromTensorSlices(x)`: x's structure, nested lists and objects kept, each tensor a slice. */
export type Sliced<S> = S extends Tensor ? Tensor : { -readonly [K in keyof S]: Sliced<S[K]> };

/** The nesting of an element with its leaves taken out: `null` marks a leaf. */
export type Structure = null | Structure[] | { [key: string]: Structure };

/**
 * Maps an object's values in leaf order (sorted keys), so leaves line up by key whatever order
 * the keys were written in; the result keeps the object's own key order for the user to see.
 */
export function mapInLeafOrder<V, R>(object: { readonly [key: string]: V }, fn: (value: V) => R): { [key: string]: R } {
  const keys = Object.keys(object);
  const results = new Map([...keys].sort().map((key) => [key, fn(object[key]!)]));
  return Object.fromEntries(keys.map((key) => [key, results.get(key)!]));
}

/** Splits `value` into its structure and its leaf tensors, or throws naming `op`. */
export function flatten(value: unknown, leaves: Tensor[], op: string): Structure {
  if (value instanceof Tensor) {
    leaves.push(value);
    return null;
  }
  if (Array.isArray(value)) return value.map((v) => flatten(v, leaves, op));
  if (isPlainObject(value)) return mapInLeafOrder(value, (v) => flatten(v, leaves, op));
  const given = value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value;
  throw new Error(`${op}: expected a tensor, or arrays / plain objects of tensors; got ${given}`);
}

/** Puts leaves back into `structure` (the inverse of `flatten`). */
export function rebuild(structure: Structure, leaves: Iterator<Tensor>): unknown {
  if (structure === null) return leaves.next().value;
  if (Array.isArray(structure)) return structure.map((s) => rebuild(s, leaves));
  return mapInLeafOrder(structure, (s) => rebuild(s, leaves));
}

/** The same nesting: arrays of one length, objects with one set of keys (in any order). */
export function sameStructure(a: Structure, b: Structure): boolean {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((s, i) => sameStructure(s, b[i]!));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameStructure(a[key]!, b[key]!));
}

/** A structure as error messages show it: `{image, label}`, `[tensor, {a, b: [tensor]}]`. */
export function formatStructure(structure: Structure): string {
  if (structure === null) return 'tensor';
  if (Array.isArray(structure)) return `[${structure.map(formatStructure).join(', ')}]`;
  const entries = Object.entries(structure).map(([key, s]) => (s === null ? key : `${key}: ${formatStructure(s)}`));
  return `{${entries.join(', ')}}`;
}
