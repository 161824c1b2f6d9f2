import { forEachTensor } from '../engine/memory.js';
import { tensor } from '../ops/convert.js';
import { reshape } from '../ops/reshape.js';
import { Tensor } from '../tensor/tensor.js';
import { isPlainObject } from '../util/plain-object.js';
import { flatten, rebuild, type Structure } from './structure.js';
import { Row, type Leaf } from './table.js';

/**
 * An element made of tensors, with the ones the pipeline made. Only those may a stage free: the
 * others (a constant a `map` function captured and returned) belong to whoever made them.
 */
export interface Materialized {
  readonly value: unknown;
  readonly owned: ReadonlySet<Tensor>;
}

/** What flows between pipeline stages: a lazy row of `fromTensorSlices`, or tensors. */
export type Item = Row | Materialized;

/** The distinct tensors inside `value`. */
export function tensorsIn(value: unknown): Set<Tensor> {
  const tensors = new Set<Tensor>();
  forEachTensor(value, (t) => tensors.add(t));
  return tensors;
}

/** An element whose every tensor the pipeline made (an uploaded row, a stacked batch). */
export function madeHere(value: unknown): Materialized {
  return { value, owned: tensorsIn(value) };
}

/**
 * Which tensors of an element a user function (a `map` function, a generator) made for it: those
 * numbered from `firstMade` on. A variable, or a tensor the function kept (created on its first
 * call, say), outlives the element: it is its maker's like a captured constant, though it was
 * made during the call.
 */
export function madeSince(firstMade: number): (t: Tensor) => boolean {
  return (t) => t.id >= firstMade && !t.kept && !t.isVariable;
}

/** The structure of an item and the values of its leaves, in leaf order; throws naming `op`. */
export function leavesOf(item: Item, op: string): { structure: Structure; leaves: Leaf[] } {
  if (item instanceof Row) return { structure: item.table.structure, leaves: item.leaves() };
  const tensors: Tensor[] = [];
  const structure = flatten(item.value, tensors, op);
  return { structure, leaves: tensors.map((t) => ({ values: t.dataSync(), shape: t.shape, dtype: t.dtype })) };
}

/** The item as tensors (one upload per leaf for a lazy row, which the pipeline then owns). */
export function materialize(item: Item): Materialized {
  if (!(item instanceof Row)) return item;
  // `tensor` uploads a copy, so handing it a view into the source arrays is safe.
  const tensors = item.leaves().map((l) => tensor(l.values, l.shape, l.dtype));
  return madeHere(rebuild(item.table.structure, tensors[Symbol.iterator]()));
}

/**
 * The element as the consumer gets it, all of it theirs to dispose: a borrowed tensor (a
 * constant a `map` captured) is handed over as a copy, so `fit` disposing each batch, as every
 * consumer may, never frees its maker's tensor.
 */
export function handOver(item: Materialized): unknown {
  if ([...tensorsIn(item.value)].every((t) => item.owned.has(t))) return item.value;
  const copies: Tensor[] = [];
  const copy = (t: Tensor): Tensor => {
    const c = reshape(t, t.shape);
    copies.push(c);
    return c;
  };
  try {
    return withTensorsReplaced(item.value, (t) => (item.owned.has(t) ? t : copy(t)));
  } catch (error) {
    // A borrowed tensor its maker has since disposed: nothing of this element reaches anyone.
    for (const c of copies) c.dispose();
    release(item);
    throw error;
  }
}

/** `value` with each tensor inside its arrays and plain objects replaced; other leaves kept. */
function withTensorsReplaced(value: unknown, replace: (t: Tensor) => Tensor): unknown {
  if (value instanceof Tensor) return replace(value);
  if (Array.isArray(value)) return value.map((v) => withTensorsReplaced(v, replace));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTensorsReplaced(v, replace)]));
  return value;
}

/** Frees the tensors of an item the pipeline drops, those it owns only (lazy rows hold none). */
export function release(item: Item): void {
  if (item instanceof Row) return;
  for (const t of item.owned) t.dispose();
}
