import { ENGINE } from '../engine/engine.js';
import { describeValue } from '../util/arguments.js';
import { madeSince, tensorsIn } from './element.js';
import { isThenable, type Pass, settled, type Stream } from './stream.js';

const op = 'Dataset.fromGenerator';

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** What a generator factory may return: an iterator (a generator, sync or async), or a promise of one. */
export type IteratorFactory<T> = () => Iterator<T> | AsyncIterator<T> | Promise<Iterator<T> | AsyncIterator<T>>;

function checkIterator(value: unknown): AnyIterator {
  if (typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function') return value as AnyIterator;
  throw new Error(`${op}: the generator function must return an iterator or async iterator (a generator), got ${describeValue(value)}`);
}

/**
 * One pass over what a fresh iterator yields. Ownership follows `map`'s rule: the tensors made
 * while the iterator produced an element are the pipeline's (freed by the stage that drops
 * them, or handed to the consumer); a tensor that existed before (a constant the generator
 * captured), a variable or a kept tensor stays its maker's and reaches the consumer as a copy.
 * The generator's own intermediates are its to free: `next` cannot run inside `tidy`, since a
 * generator may hold a tensor across yields. A sync iterator is read synchronously; only the
 * promises an async one returns are waited for.
 */
export function* generatedItems(factory: () => unknown, pass: Pass): Stream {
  const iterator = checkIterator(yield* settled(factory()));
  try {
    for (;;) {
      const firstMade = ENGINE.nextTensorId;
      const next = yield* settled(iterator.next());
      if (next.done) return;
      const value: unknown = next.value;
      yield { value, owned: new Set([...tensorsIn(value)].filter(madeSince(firstMade))) };
    }
  } finally {
    // Stopped early (or the consumer threw): let the generator run its own cleanup, awaited
    // before the pass ends when it is async.
    const closing = iterator.return?.();
    if (isThenable(closing)) pass.finishLater(closing);
  }
}
