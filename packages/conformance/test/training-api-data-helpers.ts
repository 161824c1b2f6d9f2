// Shared by the training-api-data*.test.ts files: reading a dataset out, counting leaks, and an
// async source's turn of the event loop.
import { dispose, memory, type Tensor } from '@perceptron/core';

/** Every element as plain values (tensors read as nested arrays), disposing the elements. */
export async function valuesOf(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const element of ds) {
    out.push(JSON.parse(JSON.stringify(element, (_key, v: unknown) => (v instanceof Object && 'arraySync' in v ? (v as Tensor).arraySync() : v))));
    dispose(element as never);
  }
  return out;
}

/** Tensors the test made, and so must free, counted by how many the engine holds. */
export async function leakedBy(run: () => Promise<unknown>): Promise<number> {
  const before = memory().numTensors;
  await run();
  return memory().numTensors - before;
}

/** The next turn of the event loop: an async source that really waits. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
