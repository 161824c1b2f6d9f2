import { leavesOf, release, type Item } from './element.js';
import { type Pass, type Stream, Wait } from './stream.js';
import { Row, rowOfLeaves } from './table.js';

const op = 'Dataset.cache';

/** An element as host values, kept for later passes; the item itself goes on downstream. */
function hostCopy(item: Item): Row {
  if (item instanceof Row) return item; // already host values, which nothing changes
  try {
    const { structure, leaves } = leavesOf(item, op);
    return rowOfLeaves(structure, leaves);
  } catch (error) {
    release(item); // a leaf that is not a tensor: the element goes no further
    throw error;
  }
}

/**
 * `tf.data.Dataset.cache` in memory. The first complete pass keeps a host copy of every element
 * as it goes by; later passes replay the copies as lazy rows without running the stages above.
 * The cache holds no tensors, so there is nothing to dispose: the copies go with the dataset.
 * A pass stopped early (a `take`, a `break`, an error) is not kept: the next pass fills again.
 */
export function cachingItems(source: (pass: Pass) => Stream): (pass: Pass) => Stream {
  let cached: readonly Row[] | null = null;
  return function* cachedOrFilling(pass) {
    if (cached !== null) {
      yield* cached;
      return;
    }
    const filling: Row[] = [];
    for (const item of source(pass)) {
      if (item instanceof Wait) {
        yield item;
        continue;
      }
      filling.push(hostCopy(item));
      yield item;
    }
    cached = filling;
  };
}
