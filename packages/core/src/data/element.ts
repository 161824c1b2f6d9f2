import { tensor } from '../ops/convert.js';
import { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType, Shape } from '../types.js';
import { allocate } from '../util/dtype.js';
import { isPlainObject } from '../util/plain-object.js';
import { formatShape, shapesEqual, sizeOf } from '../util/shape.js';

/**
 * A dataset element: a tensor, or arrays and plain objects of them (`[x, y]`, `{image, label}`).
 * The nesting is its structure; the tensors are its leaves, in depth-first order.
 */
export type DatasetElement = Tensor | readonly DatasetElement[] | { readonly [key: string]: DatasetElement };

/** The nesting of an element with its leaves taken out: `null` marks a leaf. */
export type Structure = null | Structure[] | { [key: string]: Structure };

/** Splits `value` into its structure and its leaf tensors, or throws naming `op`. */
export function flatten(value: unknown, leaves: Tensor[], op: string): Structure {
  if (value instanceof Tensor) {
    leaves.push(value);
    return null;
  }
  if (Array.isArray(value)) return value.map((v) => flatten(v, leaves, op));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flatten(v, leaves, op)]));
  }
  const given = value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value;
  throw new Error(`${op}: expected a tensor, or arrays / plain objects of tensors; got ${given}`);
}

/** Puts leaves back into `structure` (the inverse of `flatten`). */
export function rebuild(structure: Structure, leaves: Iterator<Tensor>): unknown {
  if (structure === null) return leaves.next().value;
  if (Array.isArray(structure)) return structure.map((s) => rebuild(s, leaves));
  return Object.fromEntries(Object.entries(structure).map(([k, s]) => [k, rebuild(s, leaves)]));
}

/** One leaf of `fromTensorSlices`: the tensor's values, read once, and the shape of one slice. */
interface Column {
  values: DataArray;
  rowShape: Shape;
  rowSize: number;
  dtype: DType;
}

/** The sliced tensors of `fromTensorSlices`, as typed arrays. */
export interface Table {
  columns: Column[];
  structure: Structure;
  length: number;
}

/**
 * Element `index` of a `fromTensorSlices` dataset, not yet made into tensors. Elements flow
 * through shuffle/take/skip/repeat in this form, so `batch` can copy rows straight from the
 * source arrays into one array per batch tensor; only `map` and the consumer materialize them.
 */
export class Row {
  constructor(readonly table: Table, readonly index: number) {}
}

/** What flows between pipeline stages: a materialized element or a lazy row. */
export type Item = unknown;

/** Reads every tensor's values once; the first dimensions must agree. */
export function tableOf(value: unknown): Table {
  const op = 'Dataset.fromTensorSlices';
  const leaves: Tensor[] = [];
  const structure = flatten(value, leaves, op);
  if (leaves.length === 0) throw new Error(`${op}: expected at least one tensor, got an empty structure`);
  for (const t of leaves) {
    t.assertUsable(op);
    if (t.rank === 0) throw new Error(`${op}: cannot slice a scalar (shape []); every tensor needs a first dimension`);
  }
  const length = leaves[0]!.shape[0]!;
  if (leaves.some((t) => t.shape[0] !== length)) {
    throw new Error(`${op}: every tensor must have the same first dimension; got shapes ${leaves.map((t) => formatShape(t.shape)).join(', ')}`);
  }
  const columns = leaves.map((t) => {
    const rowShape = t.shape.slice(1);
    return { values: t.dataSync(), rowShape, rowSize: sizeOf(rowShape), dtype: t.dtype };
  });
  return { columns, structure, length };
}

interface Leaf {
  values: DataArray;
  shape: Shape;
  dtype: DType;
}

function leavesOf(item: Item, op: string): { structure: Structure; leaves: Leaf[] } {
  if (item instanceof Row) {
    const { table, index } = item;
    const leaves = table.columns.map((c) => ({
      values: c.values.subarray(index * c.rowSize, (index + 1) * c.rowSize),
      shape: c.rowShape,
      dtype: c.dtype,
    }));
    return { structure: table.structure, leaves };
  }
  const tensors: Tensor[] = [];
  const structure = flatten(item, tensors, op);
  return { structure, leaves: tensors.map((t) => ({ values: t.dataSync(), shape: t.shape, dtype: t.dtype })) };
}

/** The element as tensors (one upload per leaf for a lazy row). */
export function materialize(item: Item): unknown {
  if (!(item instanceof Row)) return item;
  const { structure, leaves } = leavesOf(item, 'Dataset');
  // `tensor` uploads a copy, so handing it a view into the source arrays is safe.
  return rebuild(structure, leaves.map((l) => tensor(l.values, l.shape, l.dtype))[Symbol.iterator]());
}

/** Frees the tensors of an element the pipeline drops (lazy rows hold none). */
export function release(item: Item): void {
  if (item instanceof Row) return;
  const tensors: Tensor[] = [];
  flatten(item, tensors, 'Dataset');
  for (const t of tensors) t.dispose();
}

/**
 * Stacks elements of one structure into a batch: per leaf, one typed array filled row by row and
 * uploaded once. Consumes the items (their tensors are disposed).
 */
export function stack(items: readonly Item[]): unknown {
  const op = 'Dataset.batch';
  const first = leavesOf(items[0], op);
  const outputs = first.leaves.map((l) => allocate(l.dtype, items.length * l.values.length));
  items.forEach((item, i) => {
    const { leaves } = i === 0 ? first : leavesOf(item, op);
    if (leaves.length !== first.leaves.length) {
      throw new Error(`${op}: element ${i} has ${leaves.length} tensors, element 0 has ${first.leaves.length}; every element needs the same structure`);
    }
    leaves.forEach((leaf, k) => {
      const expected = first.leaves[k]!;
      if (!shapesEqual(leaf.shape, expected.shape) || leaf.dtype !== expected.dtype) {
        throw new Error(
          `${op}: cannot stack tensor ${k} of element ${i} (shape ${formatShape(leaf.shape)}, ${leaf.dtype}) with element 0's (shape ${formatShape(expected.shape)}, ${expected.dtype})`,
        );
      }
      outputs[k]!.set(leaf.values, i * leaf.values.length);
    });
  });
  for (const item of items) release(item);
  const batched = first.leaves.map((l, k) => tensor(outputs[k]!, [items.length, ...l.shape], l.dtype));
  return rebuild(first.structure, batched[Symbol.iterator]());
}
