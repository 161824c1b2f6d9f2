import { leavesOf, release, type Item } from './element.js';
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
export async function* unbatchItems(input: AsyncIterable<Item>): AsyncGenerator<Item> {
  for await (const item of input) {
    const table = rowsOfBatch(item);
    for (let i = 0; i < table.length; i++) yield new Row(table, i);
  }
}
