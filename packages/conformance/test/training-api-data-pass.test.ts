// How a Dataset pass runs: over synchronous sources the stages pull synchronously, so the
// consumer's `for await` pays one await per element of the last stage, however many stages and
// elements lie behind it; async sources go through every stage as before, with their cleanup
// awaited and their errors freeing what the stages hold.
import { beforeAll, describe, expect, it } from 'vitest';
import '@perceptron/backend-naive';
import { Dataset, dispose, mul, setBackend, tensor, type Tensor } from '@perceptron/core';
import { leakedBy, tick, valuesOf } from './training-api-data-helpers.js';

beforeAll(async () => {
  await setBackend('naive');
});

/**
 * How many microtask turns each `next()` of a pass takes to answer, disposing the elements. A
 * pass that awaits once per element of its last stage answers every element in the same number.
 * Only microtasks run meanwhile: the pass must not wait for the event loop.
 */
async function turnsPerElement(ds: Dataset<unknown>): Promise<number[]> {
  const iterator = ds[Symbol.asyncIterator]();
  const turns: number[] = [];
  for (;;) {
    let answered = false;
    const next = iterator.next().then((result) => {
      answered = true;
      return result;
    });
    let count = 0;
    while (!answered) {
      if (++count > 10_000) throw new Error('next() did not answer within 10,000 microtask turns');
      await null;
    }
    const result = await next;
    if (result.done) return turns;
    turns.push(count);
    dispose(result.value as never);
  }
}

/** Float32 scalars 0 .. n-1 from a generator, sync or async (each element a turn of the event loop later). */
function counting(n: number, async: boolean): Dataset<Tensor> {
  return async
    ? Dataset.fromGenerator(async function* slowly() {
      for (let i = 0; i < n; i++) {
        await tick();
        yield tensor(i);
      }
    })
    : Dataset.fromGenerator(function* atOnce() {
      for (let i = 0; i < n; i++) yield tensor(i);
    });
}

describe('a pass over synchronous sources', () => {
  it('answers each element of its last stage in as many turns as a bare source answers one', async () => {
    const [bare] = await turnsPerElement(Dataset.range(1));
    const x = tensor(Float32Array.from({ length: 64 * 3 }, (_, i) => i), [64, 3]);
    const y = tensor(Int32Array.from({ length: 64 }, (_, i) => i % 10), [64], 'int32');
    const zipped = Dataset.zip([Dataset.fromArray([1, 2, 3, 4]), counting(4, false)])
      .concatenate(Dataset.zip([Dataset.fromArray([5, 6]).map((t) => mul(t, 1.5)), counting(2, false)]));
    const pipelines: [string, Dataset<unknown>, number][] = [
      ['the lab\'s', Dataset.fromTensorSlices([x, y]).shuffle(16, { seed: 1 }).batch(8), 8],
      ['map, filter, shuffle, skip, take, batch', Dataset.range(64).map((t) => mul(t, 2)).filter(() => true).shuffle(16, { seed: 1 }).skip(1).take(60).batch(8), 8],
      ['zip, concatenate, cache, repeat, batch, unbatch', zipped.cache().repeat(2).batch(3).unbatch().batch(6), 2],
    ];
    for (const [name, ds, elements] of pipelines) expect(await turnsPerElement(ds), name).toEqual(Array.from({ length: elements }, () => bare));
    // An async source is awaited once per element it yields, wherever it sits: the count sees it.
    const asyncSource = Dataset.fromGenerator(async function* immediate() {
      for (let i = 0; i < 8; i++) yield tensor(i);
    });
    const [withAsync] = await turnsPerElement(asyncSource.batch(8));
    expect(withAsync).toBeGreaterThan(8 * bare!);
    dispose([x, y]);
  });
});

describe('an async source through every stage', () => {
  // Each stage over the async source must give what it gives over the same elements made synchronously.
  const stages: [string, (ds: Dataset<Tensor>) => Dataset<unknown>, unknown[]][] = [
    ['map', (ds) => ds.map((t) => mul(t, 10)), [0, 10, 20, 30, 40, 50]],
    ['filter', (ds) => ds.filter((t) => t.dataSync()[0]! % 2 === 1), [1, 3, 5]],
    ['skip and take', (ds) => ds.skip(2).take(3), [2, 3, 4]],
    ['repeat', (ds) => ds.repeat(2), [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]],
    ['batch', (ds) => ds.batch(4), [[0, 1, 2, 3], [4, 5]]],
    ['unbatch', (ds) => ds.batch(4).unbatch(), [0, 1, 2, 3, 4, 5]],
    ['zip', (ds) => Dataset.zip({ a: ds, b: Dataset.range(3) }), [{ a: 0, b: 0 }, { a: 1, b: 1 }, { a: 2, b: 2 }]],
    ['concatenate after', (ds) => Dataset.fromArray([7]).concatenate(ds), [7, 0, 1, 2, 3, 4, 5]],
    ['concatenate before', (ds) => ds.concatenate(Dataset.fromArray([7])), [0, 1, 2, 3, 4, 5, 7]],
    ['cache', (ds) => ds.cache().repeat(2), [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]],
    ['prefetch', (ds) => ds.prefetch(Dataset.AUTOTUNE).batch(3), [[0, 1, 2], [3, 4, 5]]],
  ];
  for (const [name, stage, expected] of stages) {
    it(`${name} gives the same elements as over a sync source, leaking nothing`, async () => {
      for (const async of [false, true]) {
        expect(await leakedBy(async () => {
          expect(await valuesOf(stage(counting(6, async)))).toEqual(expected);
        })).toBe(0);
      }
    });
  }

  it('shuffle gives the seeded order of the sync source', async () => {
    const shuffled = async (async: boolean) => valuesOf(counting(20, async).shuffle(8, { seed: 3 }));
    const order = await shuffled(false);
    expect([...order].sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await shuffled(true)).toEqual(order);
  });

  it('has its cleanup finished when the consumer\'s loop stops, prefetched or not', async () => {
    let cleanedUp = 0;
    const endless = Dataset.fromGenerator(async function* endless() {
      try {
        for (let i = 0; ; i++) {
          await tick();
          yield tensor(i);
        }
      } finally {
        await tick(); // cleanup that takes a while: the pass must wait for it
        cleanedUp++;
      }
    });
    expect(await leakedBy(async () => {
      expect(await valuesOf(endless.take(3))).toEqual([0, 1, 2]);
      expect(cleanedUp).toBe(1);
      for await (const t of endless.map((e) => mul(e, 2)).shuffle(4, { seed: 1 }).prefetch(2)) {
        t.dispose();
        break; // the shuffle buffer and the read-ahead hold mapped elements
      }
      expect(cleanedUp).toBe(2);
    })).toBe(0);
  });

  it('reports a cleanup that fails, as the consumer stops', async () => {
    // An async iterator whose cleanup (`return`) fails after a while.
    const ds = Dataset.fromGenerator(() => {
      let i = 0;
      return {
        next: async () => ({ done: false as const, value: tensor(i++) }),
        return: async () => {
          await tick();
          throw new Error('cleanup failed');
        },
      };
    });
    expect(await leakedBy(async () => {
      await expect((async () => {
        for await (const t of ds.batch(1)) {
          t.dispose();
          break;
        }
      })()).rejects.toThrow('cleanup failed');
    })).toBe(0);
  });

  it('fails the pass with the source\'s error, freeing what the stages hold', async () => {
    const failing = Dataset.fromGenerator(async function* failsAtSeven() {
      for (let i = 0; ; i++) {
        await tick();
        if (i === 7) throw new Error('source failed at 7');
        yield tensor(i);
      }
    });
    expect(await leakedBy(async () => {
      const seen: number[] = [];
      await expect((async () => {
        for await (const batch of failing.map((t) => mul(t, 2)).shuffle(4, { seed: 2 }).batch(2)) {
          seen.push(...batch.dataSync());
          batch.dispose();
        }
      })()).rejects.toThrow('source failed at 7');
      // Before 7 fails, the buffer of 4 has given out 3 of the 7 mapped elements: one batch of 2.
      expect(seen).toHaveLength(2);
      expect(seen.every((v) => v % 2 === 0 && v < 14)).toBe(true);
    })).toBe(0);
  });
});
