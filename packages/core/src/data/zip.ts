import { leavesOf, materialize, release, type Item, type Materialized } from './element.js';
import { nextItem, type Pass, type Stream } from './stream.js';
import type { Structure } from './structure.js';
import { Row, rowOfLeaves, type Leaf } from './table.js';

const op = 'Dataset.zip';

/** Puts one value per zipped dataset side by side: `[a, b]`, or `{x: a, y: b}` when keyed. */
function sideBySide<V>(values: V[], keys: readonly string[] | null): V[] | { [key: string]: V } {
  return keys === null ? values : Object.fromEntries(keys.map((key, i) => [key, values[i]!]));
}

/**
 * One element from one item per dataset. Lazy rows stay a lazy row (their leaves are views into
 * the source arrays), so a zip of `fromTensorSlices` datasets batches as cheaply as one; else
 * each part becomes tensors and the element owns what its parts owned.
 */
function combine(items: Item[], keys: readonly string[] | null): Item {
  if (items.every((item) => item instanceof Row)) {
    const parts = items.map((item) => leavesOf(item, op));
    // Leaves go in leaf order: an object's by sorted key, as `rebuild` takes them back.
    const order = keys === null ? parts.map((_, i) => i) : keys.map((_, i) => i).sort((i, j) => (keys[i]! < keys[j]! ? -1 : 1));
    const leaves: Leaf[] = order.flatMap((i) => parts[i]!.leaves);
    return rowOfLeaves(sideBySide(parts.map((p) => p.structure), keys) as Structure, leaves);
  }
  const parts: Materialized[] = items.map(materialize);
  return { value: sideBySide(parts.map((p) => p.value), keys), owned: new Set(parts.flatMap((p) => [...p.owned])) };
}

/** Elements of several datasets side by side, until the shortest ends. */
export function* zipItems(sources: readonly ((pass: Pass) => Stream)[], keys: readonly string[] | null, pass: Pass): Stream {
  const iterators = sources.map((source) => source(pass));
  // Items read for an element not yet complete: ours to free if another dataset ends or throws.
  let pending: Item[] = [];
  try {
    for (;;) {
      for (const iterator of iterators) {
        const next = yield* nextItem(iterator);
        if (next.done) return;
        pending.push(next.value);
      }
      const element = combine(pending, keys);
      pending = [];
      yield element;
    }
  } finally {
    for (const item of pending) release(item);
    for (const iterator of iterators) iterator.return();
  }
}
