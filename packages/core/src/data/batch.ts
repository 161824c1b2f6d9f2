import { tensor } from '../ops/convert.js';
import { allocate } from '../util/dtype.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { leavesOf, madeHere, release, type Item, type Materialized } from './element.js';
import { type Stream, Wait } from './stream.js';
import { formatStructure, rebuild, sameStructure } from './structure.js';

const op = 'Dataset.batch';

/**
 * Stacks elements of one structure into a batch: per leaf, one typed array filled row by row and
 * uploaded once. Leaves are matched by position in leaf order, which lays an object's out by
 * sorted key, so elements `{a, b}` and `{b, a}` stack `a` with `a`. Consumes the items: frees
 * what the pipeline owns of them and empties `items`; on error they stay for the caller to free.
 */
function stack(items: Item[]): Materialized {
  const rows = items.length;
  const first = leavesOf(items[0]!, op);
  const outputs = first.leaves.map((l) => allocate(l.dtype, rows * l.values.length));
  items.forEach((item, i) => {
    const { structure, leaves } = i === 0 ? first : leavesOf(item, op);
    if (!sameStructure(structure, first.structure)) {
      throw new Error(`${op}: expected every element to have the structure of the first, ${formatStructure(first.structure)}; got ${formatStructure(structure)} at element ${i}`);
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
  items.length = 0;
  const batched = first.leaves.map((l, k) => tensor(outputs[k]!, [rows, ...l.shape], l.dtype));
  return madeHere(rebuild(first.structure, batched[Symbol.iterator]()));
}

/** Batches of `batchSize` consecutive items; a short last one unless `dropRemainder`. */
export function* batchItems(input: Stream, batchSize: number, dropRemainder: boolean): Stream {
  const pending: Item[] = [];
  try {
    for (const item of input) {
      if (item instanceof Wait) {
        yield item;
        continue;
      }
      pending.push(item);
      if (pending.length === batchSize) yield stack(pending);
    }
    if (pending.length > 0 && !dropRemainder) yield stack(pending);
  } finally {
    for (const item of pending) release(item);
  }
}
