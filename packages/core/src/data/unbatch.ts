import { leavesOf, release, type Item } from './element.js';
import { type Stream, Wait } from './stream.js';
import { Row, tableOfLeaves, type Table } from './table.js';

const op = 'Dataset.unbatch';

/** The rows of one batch, read to host values once; the batch's own tensors are freed. */
function rowsOfBatch(item: Item): Table {
  try {
    const { structure, leaves } = leavesOf(item, op);
    return tableOfLeaves(op, structure, leaves);
  } finally {
    release(item);
  }
}

/**
 * Splits every element along the first dimension of its tensors, which must agree, as
 * `tf.data.Dataset.unbatch`. The slices are lazy rows, so `unbatch().batch(k)` re-stacks them
 * from host arrays without uploading each one.
 */
export function* unbatchItems(input: Stream): Stream {
  for (const item of input) {
    if (item instanceof Wait) {
      yield item;
      continue;
    }
    const table = rowsOfBatch(item);
    for (let i = 0; i < table.length; i++) yield new Row(table, i);
  }
}
