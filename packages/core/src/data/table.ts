import type { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType, Shape } from '../types.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { flatten, type Structure } from './structure.js';

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

/** The values of one leaf of an element, row-major, with its shape and dtype. */
export interface Leaf {
  values: DataArray;
  shape: Shape;
  dtype: DType;
}

/**
 * Element `index` of a `fromTensorSlices` dataset, not yet made into tensors. Elements flow
 * through shuffle/take/skip/repeat in this form, so `batch` can copy rows straight from the
 * source arrays into one array per batch tensor; only `map`, `filter` and the consumer
 * materialize them.
 */
export class Row {
  constructor(readonly table: Table, readonly index: number) {}

  /** The values of each leaf of this row: views into the source arrays, not copies. */
  leaves(): Leaf[] {
    return this.table.columns.map((c) => ({
      values: c.values.subarray(this.index * c.rowSize, (this.index + 1) * c.rowSize),
      shape: c.rowShape,
      dtype: c.dtype,
    }));
  }
}

/** Reads every tensor's values once; the first dimensions must agree. */
export function tableOf(value: unknown): Table {
  const op = 'Dataset.fromTensorSlices';
  const tensors: Tensor[] = [];
  const structure = flatten(value, tensors, op);
  for (const t of tensors) t.assertUsable(op);
  return tableOfLeaves(op, structure, tensors.map((t) => ({ values: t.dataSync(), shape: t.shape, dtype: t.dtype })));
}

/** Slices leaves already read along their first dimension, which must agree; errors name `op`. */
export function tableOfLeaves(op: string, structure: Structure, leaves: Leaf[]): Table {
  if (leaves.length === 0) throw new Error(`${op}: expected at least one tensor, got an empty structure`);
  if (leaves.some((l) => l.shape.length === 0)) throw new Error(`${op}: cannot slice a scalar (shape []); every tensor needs a first dimension`);
  const length = leaves[0]!.shape[0]!;
  if (leaves.some((l) => l.shape[0] !== length)) {
    throw new Error(`${op}: every tensor must have the same first dimension; got shapes ${leaves.map((l) => formatShape(l.shape)).join(', ')}`);
  }
  const columns = leaves.map((l) => {
    const rowShape = l.shape.slice(1);
    return { values: l.values, rowShape, rowSize: sizeOf(rowShape), dtype: l.dtype };
  });
  return { columns, structure, length };
}

/**
 * One element held as host values, as a lazy row: `batch` copies it straight into its batch,
 * `map` and the consumer upload it. The values may be views: they are only ever copied from.
 */
export function rowOfLeaves(structure: Structure, leaves: Leaf[]): Row {
  const columns = leaves.map((l) => ({ values: l.values, rowShape: l.shape, rowSize: l.values.length, dtype: l.dtype }));
  return new Row({ columns, structure, length: 1 }, 0);
}
