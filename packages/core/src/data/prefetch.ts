import { release, type Item } from './element.js';
import { drive, type Pass, settled, type Stream } from './stream.js';

/**
 * The buffer `prefetch(Dataset.AUTOTUNE)` gets. tf.data's tuner grows a prefetch buffer while
 * its consumer keeps finding it empty, to keep threads busy; here read-ahead only overlaps an
 * async source's waiting with the consumer's work, so there is little to tune: one element on
 * its way already hides a source that is, on average, faster than the consumer, and no buffer
 * helps one that is slower. The second absorbs a source's uneven pace (a slow fetch now and
 * then) at the cost of one more element held, usually a batch.
 */
export const AUTOTUNE_BUFFER = 2;

/**
 * Reads up to `bufferSize` elements ahead of the consumer, as `tf.data.Dataset.prefetch`. In one
 * JavaScript thread this overlaps waiting, not computing: an async source (a fetch, a file
 * read) works on the next elements while the consumer awaits, say, a training step's callbacks;
 * stages that only compute run a little earlier, no faster. Reading ahead means running the
 * input on its own, so the input gets its own `drive`, and this stage waits on its reads.
 */
export function* prefetchItems(input: (pass: Pass) => Stream, bufferSize: number, pass: Pass): Stream {
  const reader = drive(input);
  const ahead: Promise<IteratorResult<Item, void>>[] = [];
  const readAhead = () => {
    while (ahead.length < bufferSize) {
      const next = reader.next();
      // An error is reported when its element's turn comes, not as an unhandled rejection now.
      next.catch(() => undefined);
      ahead.push(next);
    }
  };
  try {
    readAhead();
    for (;;) {
      const next = yield* settled(ahead.shift()!);
      if (next.done) return;
      readAhead(); // before handing the element on, so `bufferSize` are on their way meanwhile
      yield next.value;
    }
  } finally {
    pass.finishLater(freeReadAhead(ahead, reader));
  }
}

/** Frees the elements read ahead and never handed on (a failed read has nothing to free), then closes the reader. */
async function freeReadAhead(ahead: readonly Promise<IteratorResult<Item, void>>[], reader: AsyncGenerator<Item, void, undefined>): Promise<void> {
  for (const next of ahead) {
    const settledRead = await next.catch(() => null);
    if (settledRead && !settledRead.done) release(settledRead.value);
  }
  await reader.return(undefined);
}
