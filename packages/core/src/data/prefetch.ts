import { release, type Item } from './element.js';

/**
 * Reads up to `bufferSize` elements ahead of the consumer, as `tf.data.Dataset.prefetch`. In one
 * JavaScript thread this overlaps waiting, not computing: an async source (a fetch, a file
 * read) works on the next elements while the consumer awaits, say, a training step's callbacks;
 * stages that only compute run a little earlier, no faster.
 */
export async function* prefetchItems(input: AsyncGenerator<Item>, bufferSize: number): AsyncGenerator<Item> {
  const ahead: Promise<IteratorResult<Item>>[] = [];
  const readAhead = () => {
    while (ahead.length < bufferSize) {
      const next = input.next();
      // An error is reported when its element's turn comes, not as an unhandled rejection now.
      next.catch(() => undefined);
      ahead.push(next);
    }
  };
  try {
    readAhead();
    for (;;) {
      const next = await ahead.shift()!;
      if (next.done) return;
      readAhead(); // before handing the element on, so `bufferSize` are on their way meanwhile
      yield next.value;
    }
  } finally {
    // Elements read ahead and never handed on are ours to free; a failed one has nothing to free.
    for (const next of ahead) {
      const settled = await next.catch(() => null);
      if (settled && !settled.done) release(settled.value);
    }
    await input.return(undefined);
  }
}
