import type { Tensor } from '../tensor/tensor.js';
import { release, type Item } from './element.js';
import { type Pass, type Stream, Wait } from './stream.js';
import { flatten, formatStructure, sameStructure, type Structure } from './structure.js';
import { Row } from './table.js';

const op = 'Dataset.concatenate';

/** What two concatenated datasets must share: the nesting and each leaf's dtype (shapes may differ, as in tf.data). */
interface Signature {
  structure: Structure;
  dtypes: string[];
}

/** The item's signature; on failure the item is freed, since no one downstream will get it. */
function signatureOf(item: Item): Signature {
  if (item instanceof Row) return { structure: item.table.structure, dtypes: item.table.columns.map((c) => c.dtype) };
  const tensors: Tensor[] = [];
  try {
    return { structure: flatten(item.value, tensors, op), dtypes: tensors.map((t) => t.dtype) };
  } catch (error) {
    release(item);
    throw error;
  }
}

function formatSignature(s: Signature): string {
  return `${formatStructure(s.structure)} (${s.dtypes.join(', ')})`;
}

function checkAgrees(expected: Signature, item: Item): void {
  const got = signatureOf(item);
  if (sameStructure(expected.structure, got.structure) && expected.dtypes.every((d, i) => d === got.dtypes[i])) return;
  release(item);
  throw new Error(`${op}: the elements of both datasets must have one structure and dtypes; the first dataset's are ${formatSignature(expected)}, the second's ${formatSignature(got)}`);
}

/**
 * Every element of `first`, then every element of `second`. The datasets meet where their
 * elements must agree: the first of `second` is checked against the first of `first`
 * (elements carry no static spec here, as tf.data's do, so this is the earliest place).
 */
export function* concatenateItems(first: (pass: Pass) => Stream, second: (pass: Pass) => Stream, pass: Pass): Stream {
  let expected: Signature | null = null;
  for (const item of first(pass)) {
    if (!(item instanceof Wait)) expected ??= signatureOf(item);
    yield item;
  }
  let firstOfSecond = true;
  for (const item of second(pass)) {
    if (item instanceof Wait) {
      yield item;
      continue;
    }
    if (firstOfSecond && expected !== null) checkAgrees(expected, item); // nothing to agree with after an empty `first`
    firstOfSecond = false;
    yield item;
  }
}
