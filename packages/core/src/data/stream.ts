import type { Item } from './element.js';

/**
 * How one pass runs. Every stage is a synchronous generator: over a synchronous source
 * (`fromTensorSlices`, `range`, `fromArray`, a `cache` replaying, a sync `fromGenerator`) an
 * element crosses the whole pipeline in plain function calls, and the one `await` is the
 * consumer's, once per element of the last stage (per batch). An async source cannot hand over
 * a value synchronously; it yields a `Wait` instead, which every stage passes up unchanged
 * (`if (item instanceof Wait) { yield item; continue; }`) to `drive`, the only place that
 * awaits. `drive` then resumes the pipeline, and the source reads the outcome off its `Wait`.
 *
 * So each stage is written once, as plain generator code, for sync and async sources alike;
 * the price is that one line per loop, which the types enforce (a stream yields `Item | Wait`).
 * A `Wait` carries its own outcome, rather than `drive` sending it back through `next(value)`,
 * so that stages can read their input with `for...of` (which sends nothing back, and closes
 * the input when the stage stops early or throws).
 */
export class Wait<T = unknown> {
  private outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;

  constructor(private readonly promise: PromiseLike<T>) {}

  /** Awaits the promise, keeping its value or its error for `result`; never rejects. */
  settle(): Promise<void> {
    return Promise.resolve(this.promise).then(
      (value) => {
        this.outcome = { ok: true, value };
      },
      (error: unknown) => {
        this.outcome = { ok: false, error };
      },
    );
  }

  /** What the promise gave, once settled; its error is thrown here, in the stage that waited. */
  result(): T {
    if (this.outcome === undefined) throw new Error('Dataset: internal error: a stage resumed before its wait settled');
    if (!this.outcome.ok) throw this.outcome.error;
    return this.outcome.value;
  }
}

/** One pass over a stage's elements, with the waits of an async source among them. */
export type Stream<T = Item> = Generator<T | Wait, void, undefined>;

/** A promise, or anything else `await` would wait for. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** `value` itself, or, when it is a promise, what it resolves to once `drive` has awaited it. */
export function* settled<T>(value: T | PromiseLike<T>): Generator<Wait, T, undefined> {
  if (!isThenable(value)) return value;
  const wait = new Wait(value);
  yield wait;
  return wait.result();
}

/** The next item of `stream`, its waits passed up: for a stage that reads streams in step (zip). */
export function* nextItem(stream: Stream): Generator<Wait, IteratorResult<Item, void>, undefined> {
  for (;;) {
    const next = stream.next();
    if (next.done || !(next.value instanceof Wait)) return next as IteratorResult<Item, void>;
    yield next.value;
  }
}

/**
 * Cleanup that must be awaited but starts in a stage's `finally`, which cannot await: an async
 * generator's `return()`, the reads a `prefetch` has on their way. `drive` awaits it all before
 * the pass ends, so a consumer that stops early finds every tensor freed when its loop exits.
 * Cleanups that are done are forgotten: a pass repeating an async source forever keeps none.
 */
export class Pass {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  /** Lets `cleanup` run on; the pass ends once it has. */
  finishLater(cleanup: PromiseLike<unknown>): void {
    const done: Promise<void> = Promise.resolve(cleanup).then(
      () => {
        this.running.delete(done);
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.running.delete(done);
      },
    );
    this.running.add(done);
  }

  /** Waits for every cleanup still running, then reports the first that failed. */
  async finished(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure !== null) throw this.failure.error;
  }
}

/**
 * Runs a pass asynchronously: awaits the waits the stream yields and yields everything else,
 * one `await` per element handed on. The consumer's `for await` stopping early closes the
 * stream (each stage's `finally` frees what it holds), then the pass's cleanups are awaited.
 */
export async function* drive<T>(open: (pass: Pass) => Stream<T>): AsyncGenerator<T, void, undefined> {
  const pass = new Pass();
  try {
    for (const value of open(pass)) {
      if (value instanceof Wait) await value.settle();
      else yield value;
    }
  } finally {
    await pass.finished();
  }
}
