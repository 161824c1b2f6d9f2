/**
 * A loop written once and run either synchronously or awaited: a generator that yields each value
 * it may have to wait for (the next batch, what a callback returned) and is resumed with that
 * value settled. `predict` runs its loop at once, since its batches and progress bar never return
 * a promise; `predictAsync` runs the same loop awaiting each yielded value.
 */
export type Coroutine<T> = Generator<unknown, T, unknown>;

/** Runs `loop` to its end, resuming it with each yielded value as it is. */
export function runSynchronously<T>(loop: Coroutine<T>): T {
  let step = loop.next();
  while (!step.done) step = loop.next(step.value);
  return step.value;
}

/**
 * Runs `loop` to its end, resuming it with each yielded value awaited; a rejection is thrown
 * into the loop at the point that yielded it, so the loop's `finally` blocks free what it holds.
 */
export async function runAsynchronously<T>(loop: Coroutine<T>): Promise<T> {
  let step = loop.next();
  while (!step.done) {
    let settled: unknown;
    try {
      settled = await step.value;
    } catch (error) {
      step = loop.throw(error);
      continue;
    }
    step = loop.next(settled);
  }
  return step.value;
}
