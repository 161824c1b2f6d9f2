// Dataset sources (range, fromArray, fromGenerator) and combinators (zip, concatenate, unbatch,
// cache, prefetch): values, order, size (tf.data's cardinality), ownership and errors.
import { beforeAll, describe, expect, it } from 'vitest';
import '@perceptron/backend-naive';
import {
  Dataset, Dense, dispose, Input, keep, memory, mul, SGD, Sequential, setBackend, setSeed, tensor, variable, type Tensor,
} from '@perceptron/core';
import { leakedBy, tick, valuesOf } from './training-api-data-helpers.js';

beforeAll(async () => {
  await setBackend('naive');
});

/** Sync generator of `n` [vector, scalar] pairs made per element, counting the passes begun. */
function pairGenerator(n: number) {
  const counter = { passes: 0 };
  const ds = Dataset.fromGenerator(function* pairs() {
    counter.passes++;
    for (let i = 0; i < n; i++) yield [tensor([i, i + 0.5]), tensor(i * 10)] as [Tensor, Tensor];
  });
  return { ds, counter };
}

describe('Dataset.range', () => {
  it('yields int32 scalars as tf.data.Dataset.range, with its size', async () => {
    const first = await Dataset.range(1).toArray();
    expect([first[0]!.dtype, first[0]!.shape]).toEqual(['int32', []]);
    dispose(first);
    const cases: [Dataset<Tensor>, number[]][] = [
      [Dataset.range(5), [0, 1, 2, 3, 4]],
      [Dataset.range(2, 5), [2, 3, 4]],
      [Dataset.range(1, 8, 3), [1, 4, 7]],
      [Dataset.range(5, 0, -2), [5, 3, 1]],
      [Dataset.range(5, 2), []],
      [Dataset.range(0), []],
    ];
    for (const [ds, expected] of cases) {
      expect(await valuesOf(ds)).toEqual(expected);
      expect(ds.size).toBe(expected.length);
    }
  });

  it('batches into one int32 tensor per batch', async () => {
    expect(await valuesOf(Dataset.range(5).batch(2))).toEqual([[0, 1], [2, 3], [4]]);
    expect(Dataset.range(5).batch(2, { dropRemainder: true }).size).toBe(2);
    const before = memory().numTensors;
    const iterator = Dataset.range(100).batch(50)[Symbol.asyncIterator]();
    const batch = await iterator.next();
    expect(memory().numTensors - before).toBe(1);
    (batch.value as Tensor).dispose();
    await iterator.return?.();
  });
});

describe('Dataset.fromArray', () => {
  it('makes numbers float32 scalars, keeping arrays and objects as the structure', async () => {
    const ds = Dataset.fromArray([{ x: [1, 2], y: 3 }, { x: [4, 5], y: 6 }]);
    expect(ds.size).toBe(2);
    const [element] = await ds.take(1).toArray();
    expect([element!.y.dtype, element!.y.shape, element!.x.length]).toEqual(['float32', [], 2]);
    dispose(element!);
    expect(await valuesOf(ds)).toEqual([{ x: [1, 2], y: 3 }, { x: [4, 5], y: 6 }]);
    expect(await valuesOf(ds.batch(2))).toEqual([{ x: [[1, 4], [2, 5]], y: [3, 6] }]);
    expect(await valuesOf(Dataset.fromArray([1.5, 2.5, 3.5]).batch(2))).toEqual([[1.5, 2.5], [3.5]]);
    expect(Dataset.fromArray([]).size).toBe(0);
  });

  it('reads tensors once, so the caller may dispose them at once', async () => {
    const t = tensor([[1, 2], [3, 4]]);
    const ds = Dataset.fromArray([[t, 0], [t, 1]]);
    t.dispose();
    expect(await valuesOf(ds)).toEqual([[[[1, 2], [3, 4]], 0], [[[1, 2], [3, 4]], 1]]);
  });

  it('leaks nothing: the scalars it makes are the pipeline\'s', async () => {
    const ds = Dataset.fromArray([[1, 2], [3, 4], [5, 6]]);
    expect(await leakedBy(async () => {
      await valuesOf(ds.map(([a, b]) => mul(a, b)).shuffle(3, { seed: 1 }).batch(2));
      for await (const element of ds) {
        dispose(element);
        break;
      }
    })).toBe(0);
  });
});

describe('Dataset.fromGenerator', () => {
  it('yields what a sync or async generator yields, in order; size unknown', async () => {
    const { ds } = pairGenerator(3);
    expect(ds.size).toBeNull();
    expect(await valuesOf(ds)).toEqual([[[0, 0.5], 0], [[1, 1.5], 10], [[2, 2.5], 20]]);
    const asyncSource = Dataset.fromGenerator(async function* numbers() {
      for (let i = 0; i < 3; i++) {
        await tick();
        yield tensor(i);
      }
    });
    expect(await valuesOf(asyncSource.batch(2))).toEqual([[0, 1], [2]]);
  });

  it('takes a plain iterator, or a promise of one', async () => {
    const countdown = () => {
      let n = 3;
      return { next: () => (n > 0 ? { done: false as const, value: tensor(n--) } : { done: true as const, value: undefined }) };
    };
    expect(await valuesOf(Dataset.fromGenerator(countdown))).toEqual([3, 2, 1]);
    expect(await valuesOf(Dataset.fromGenerator(() => Promise.resolve(countdown())))).toEqual([3, 2, 1]);
  });

  it('calls the generator function anew on every pass, so it repeats', async () => {
    const { ds, counter } = pairGenerator(2);
    expect(await valuesOf(ds.map(([, s]) => s).repeat(3))).toEqual([0, 10, 0, 10, 0, 10]);
    expect(counter.passes).toBe(3);
    expect(ds.repeat(3).size).toBeNull();
    expect(await valuesOf(ds.map(([, s]) => s).repeat().take(5))).toEqual([0, 10, 0, 10, 0]);
    expect(counter.passes).toBe(6);
  });

  it('owns the tensors it made for each element: none leak, full or early-stopped passes', async () => {
    const { ds } = pairGenerator(10);
    expect(await leakedBy(async () => {
      await valuesOf(ds);
      await valuesOf(ds.map(([v, s]) => mul(v, s)).shuffle(4, { seed: 2 }).batch(3));
      await valuesOf(ds.skip(8));
      await valuesOf(ds.filter(([, s]) => s.dataSync()[0]! > 50));
      await valuesOf(ds.take(2));
      for await (const element of ds.shuffle(5, { seed: 1 })) {
        dispose(element);
        break; // the shuffle buffer holds four elements the generator made
      }
    })).toBe(0);
  });

  it('runs the generator\'s cleanup when iteration stops early', async () => {
    let cleanedUp = 0;
    const ds = Dataset.fromGenerator(function* endless() {
      try {
        for (let i = 0; ; i++) yield tensor(i);
      } finally {
        cleanedUp++;
      }
    });
    expect(await valuesOf(ds.take(3))).toEqual([0, 1, 2]);
    expect(cleanedUp).toBe(1);
  });

  it('leaves a captured constant, a variable and a kept tensor to their maker, handing copies over', async () => {
    const constant = tensor(7);
    const weight = variable(tensor([1, 2]));
    let lazy: Tensor | undefined;
    const ds = Dataset.fromGenerator(function* borrowing() {
      for (let i = 0; i < 3; i++) {
        lazy ??= keep(tensor(5)); // made during the first element, but kept
        yield [tensor(i), constant, weight, lazy];
      }
    });
    expect(await leakedBy(async () => {
      for await (const element of ds) {
        expect(element[1]).not.toBe(constant);
        dispose(element);
      }
      expect(await valuesOf(ds.batch(3))).toEqual([[[0, 1, 2], [7, 7, 7], [[1, 2], [1, 2], [1, 2]], [5, 5, 5]]]);
    })).toBe(1); // `lazy`, made on the first pass and kept
    expect([constant.arraySync(), weight.arraySync(), lazy!.arraySync()]).toEqual([7, [1, 2], 5]);
    dispose([constant, weight, lazy!]);
  });
});

describe('Dataset.zip', () => {
  it('puts elements side by side, as an array or an object, ending with the shortest', async () => {
    const zipped = Dataset.zip([Dataset.range(3), Dataset.fromArray([10, 20, 30, 40])]);
    expect(zipped.size).toBe(3);
    expect(await valuesOf(zipped)).toEqual([[0, 10], [1, 20], [2, 30]]);
    const keyed = Dataset.zip({ label: Dataset.range(4), features: Dataset.fromArray([[1, 2], [3, 4], [5, 6], [7, 8]]) });
    expect(keyed.size).toBe(4);
    expect(await valuesOf(keyed.batch(4))).toEqual([{ label: [0, 1, 2, 3], features: [[1, 3, 5, 7], [2, 4, 6, 8]] }]);
    const [first] = await keyed.take(1).toArray();
    expect(Object.keys(first!)).toEqual(['label', 'features']); // the order written
    dispose(first!);
  });

  it('reports the shortest size, or unknown when any input\'s is unknown', () => {
    const unknown = Dataset.range(5).filter(() => true);
    expect(Dataset.zip([Dataset.range(5), Dataset.range(2).repeat()]).size).toBe(5);
    expect(Dataset.zip([Dataset.range(2).repeat(), Dataset.range(2).repeat()]).size).toBe(Infinity);
    expect(Dataset.zip([Dataset.range(5), unknown]).size).toBeNull();
  });

  it('zips lazy rows, mapped and generated elements alike, freeing what a shorter input strands', async () => {
    const x = tensor([[1], [2], [3], [4]]);
    const { ds: generated } = pairGenerator(3);
    expect(await leakedBy(async () => {
      const zipped = Dataset.zip([Dataset.fromTensorSlices(x).map((t) => mul(t, 2)), generated.map(([, s]) => s)]);
      expect(await valuesOf(zipped)).toEqual([[[2], 0], [[4], 10], [[6], 20]]); // x's fourth row was mapped, then dropped
      expect(await valuesOf(Dataset.zip([generated, Dataset.fromTensorSlices(x)]).take(1))).toEqual([[[[0, 0.5], 0], [1]]]);
    })).toBe(0);
    x.dispose();
  });
});

describe('Dataset.concatenate', () => {
  it('yields this dataset, then the other', async () => {
    const ds = Dataset.range(3).concatenate(Dataset.range(10, 12));
    expect(ds.size).toBe(5);
    expect(await valuesOf(ds)).toEqual([0, 1, 2, 10, 11]);
    expect(await valuesOf(Dataset.range(0).concatenate(Dataset.range(2)))).toEqual([0, 1]);
    // Shapes may differ, as in tf.data: batch is where they must agree.
    expect(await valuesOf(Dataset.range(2).batch(2).concatenate(Dataset.range(5).batch(3)))).toEqual([[0, 1], [0, 1, 2], [3, 4]]);
  });

  it('keeps size through infinite and unknown inputs', () => {
    const unknown = Dataset.range(5).filter(() => true);
    expect(Dataset.range(2).repeat().concatenate(Dataset.range(3)).size).toBe(Infinity);
    expect(Dataset.range(2).concatenate(Dataset.range(3).repeat()).size).toBe(Infinity);
    expect(Dataset.range(2).concatenate(unknown).size).toBeNull();
    expect(unknown.concatenate(Dataset.range(2)).size).toBeNull();
  });

  it('rejects elements of another structure or dtype where the datasets meet, leaking nothing', async () => {
    const pairs = Dataset.fromArray([[1, 2]]);
    expect(await leakedBy(async () => {
      await expect(valuesOf(pairs.concatenate(Dataset.fromArray([{ a: 1, b: 2 }]) as never))).rejects.toThrow(
        'Dataset.concatenate: the elements of both datasets must have one structure and dtypes; the first dataset\'s are [tensor, tensor] (float32, float32), the second\'s {a, b} (float32, float32)',
      );
      await expect(valuesOf(Dataset.range(2).concatenate(Dataset.fromArray([1]) as never))).rejects.toThrow(
        'the first dataset\'s are tensor (int32), the second\'s tensor (float32)',
      );
      const mapped = Dataset.range(2).map((t) => [t, mul(t, 2)]);
      await expect(valuesOf(pairs.concatenate(mapped as never))).rejects.toThrow('the second\'s [tensor, tensor] (int32, int32)');
    })).toBe(0);
  });
});

describe('Dataset.unbatch', () => {
  it('splits every leaf along its first dimension: the inverse of batch', async () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = tensor([7, 8, 9], [3], 'int32');
    const rows = Dataset.fromTensorSlices({ x, y }).batch(2).unbatch();
    expect(rows.size).toBeNull(); // tf.data's unknown: batch sizes are not known ahead
    expect(await valuesOf(rows)).toEqual([{ x: [1, 2], y: 7 }, { x: [3, 4], y: 8 }, { x: [5, 6], y: 9 }]);
    expect(await valuesOf(Dataset.fromTensorSlices(x).unbatch())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Dataset.range(2).batch(1).repeat().unbatch().size).toBe(Infinity);
    expect(Dataset.range(0).unbatch().size).toBe(0);
    dispose([x, y]);
  });

  it('frees the batches it splits, mapped or generated', async () => {
    const { ds } = pairGenerator(5);
    expect(await leakedBy(async () => {
      expect(await valuesOf(ds.map(([v, s]) => [v, mul(v, s)]).unbatch().take(3))).toEqual([[0, 0], [0.5, 0], [1, 10]]);
      expect(await valuesOf(ds.batch(2).unbatch().batch(5).map(([, s]) => s))).toEqual([[0, 10, 20, 30, 40]]);
    })).toBe(0);
  });

  it('rejects scalars and first dimensions that disagree, leaking nothing', async () => {
    expect(await leakedBy(async () => {
      await expect(valuesOf(Dataset.range(3).unbatch())).rejects.toThrow('Dataset.unbatch: cannot slice a scalar (shape []); every tensor needs a first dimension');
      const ragged = Dataset.fromArray([1, 2]).map((t) => [mul(tensor([1, 2, 3]), t), tensor([7])]);
      await expect(valuesOf(ragged.unbatch())).rejects.toThrow('Dataset.unbatch: every tensor must have the same first dimension; got shapes [3], [1]');
    })).toBe(0);
  });
});

describe('Dataset.cache', () => {
  it('runs the stages before it once, then replays the same elements', async () => {
    let calls = 0;
    const ds = Dataset.range(4).map((t) => {
      calls++;
      return { t, twice: mul(t, 2) };
    }).cache();
    expect(ds.size).toBe(4);
    const first = await valuesOf(ds);
    expect(first).toEqual([{ t: 0, twice: 0 }, { t: 1, twice: 2 }, { t: 2, twice: 4 }, { t: 3, twice: 6 }]);
    expect(await valuesOf(ds)).toEqual(first);
    expect(await valuesOf(ds.batch(4))).toEqual([{ t: [0, 1, 2, 3], twice: [0, 2, 4, 6] }]);
    expect(calls).toBe(4);
  });

  it('keeps a shuffled first pass, and only a complete one', async () => {
    let passes = 0;
    const ds = Dataset.fromGenerator(function* counted() {
      passes++;
      for (let i = 0; i < 6; i++) yield tensor(i);
    }).shuffle(6, { seed: 3 }).cache();
    const early = await valuesOf(ds.take(2));
    const complete = await valuesOf(ds);
    expect(passes).toBe(2); // the stopped pass was not kept
    expect(early).not.toEqual(complete.slice(0, 2)); // each shuffled anew
    expect(await valuesOf(ds)).toEqual(complete);
    expect(await valuesOf(ds.repeat(2))).toEqual([...complete, ...complete]);
    expect(passes).toBe(2);
  });

  it('holds no tensors: nothing leaks, a captured constant survives', async () => {
    const constant = tensor(3);
    const { ds: generated } = pairGenerator(4);
    expect(await leakedBy(async () => {
      const ds = generated.map(([v, s]) => [mul(v, s), constant]).cache();
      await valuesOf(ds);
      await valuesOf(ds.batch(2));
      for await (const element of ds) {
        dispose(element);
        break;
      }
    })).toBe(0);
    expect(constant.arraySync()).toBe(3);
    constant.dispose();
  });

  it('rejects elements that are not tensors, freeing them', async () => {
    expect(await leakedBy(async () => {
      await expect(valuesOf(Dataset.range(2).map((t) => [t, 'label']).cache())).rejects.toThrow(
        'Dataset.cache: expected a tensor, or arrays / plain objects of tensors; got string',
      );
    })).toBe(0);
  });
});

describe('Dataset.prefetch', () => {
  /** An async source of `n` scalars, each after a turn of the event loop, counting those made. */
  function slowSource(n: number) {
    const made = { count: 0 };
    const ds = Dataset.fromGenerator(async function* slow() {
      for (let i = 0; i < n; i++) {
        await tick();
        made.count++;
        yield tensor(i);
      }
    });
    return { ds, made };
  }

  it('yields the same elements with the same size', async () => {
    const { ds } = slowSource(5);
    expect(await valuesOf(ds.prefetch(2))).toEqual([0, 1, 2, 3, 4]);
    expect(Dataset.range(7).prefetch(3).size).toBe(7);
    expect(Dataset.AUTOTUNE).toBe(-1); // tf.data.AUTOTUNE's value
    expect(await valuesOf(Dataset.range(5).prefetch(Dataset.AUTOTUNE))).toEqual([0, 1, 2, 3, 4]);
    expect(await valuesOf(Dataset.range(7).batch(3).prefetch(1))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('reads an async source ahead while the consumer waits', async () => {
    // The first element, then the buffer refilled: 2 more for AUTOTUNE.
    for (const [bufferSize, madeAfterFirst] of [[0, 1], [3, 4], [Dataset.AUTOTUNE, 3]] as const) {
      const { ds, made } = slowSource(10);
      const iterator = (bufferSize === 0 ? ds : ds.prefetch(bufferSize))[Symbol.asyncIterator]();
      const first = await iterator.next();
      for (let i = 0; i < 10; i++) await tick();
      expect(made.count).toBe(madeAfterFirst);
      (first.value as Tensor).dispose();
      await iterator.return?.();
    }
  });

  it('frees the elements it read ahead when iteration stops, and reports a failure in its turn', async () => {
    const { ds } = slowSource(10);
    expect(await leakedBy(async () => {
      for await (const t of ds.prefetch(4)) {
        t.dispose();
        break;
      }
      const failing = Dataset.fromGenerator(async function* failsAtTwo() {
        for (let i = 0; ; i++) {
          await tick();
          if (i === 2) throw new Error('source failed at 2');
          yield tensor(i);
        }
      });
      const seen: number[] = [];
      await expect((async () => {
        for await (const t of failing.prefetch(5)) {
          seen.push(t.dataSync()[0]!);
          t.dispose();
        }
      })()).rejects.toThrow('source failed at 2');
      expect(seen).toEqual([0, 1]);
    })).toBe(0);
  });
});

describe('ownership through the new stages', () => {
  it('never frees a tensor a map captured: zip, concatenate, unbatch, cache and prefetch hand it over as copies', async () => {
    const constant = tensor([5, 6]);
    const withConstant = Dataset.range(4).map((t) => [t, constant]);
    expect(await leakedBy(async () => {
      expect(await valuesOf(Dataset.zip([withConstant, Dataset.range(2)]))).toEqual([[[0, [5, 6]], 0], [[1, [5, 6]], 1]]);
      expect(await valuesOf(withConstant.concatenate(withConstant).prefetch(2))).toHaveLength(8);
      expect(await valuesOf(withConstant.batch(3).unbatch())).toEqual([[0, [5, 6]], [1, [5, 6]], [2, [5, 6]], [3, [5, 6]]]);
      expect(await valuesOf(withConstant.cache().repeat(2))).toHaveLength(8);
      for await (const element of Dataset.zip({ a: withConstant, b: withConstant }).prefetch(3)) {
        dispose(element);
        break; // three zipped elements read ahead, each holding the constant
      }
    })).toBe(0);
    expect(constant.arraySync()).toEqual([5, 6]);
    constant.dispose();
  });
});

describe('argument checks of the sources and combinators', () => {
  it('reject bad arguments when called, naming the method, what was expected and what was given', () => {
    const ds = Dataset.range(3);
    expect(() => Dataset.range(1.5)).toThrow('Dataset.range: stop must be an integer in the int32 range, got 1.5');
    expect(() => Dataset.range(0, 2 ** 31)).toThrow('Dataset.range: stop must be an integer in the int32 range, got 2147483648');
    expect(() => Dataset.range('4' as never, 9)).toThrow('Dataset.range: start must be an integer in the int32 range, got "4"');
    expect(() => Dataset.range(0, 5, 0)).toThrow('Dataset.range: step must be a non-zero integer in the int32 range, got 0');
    expect(() => Dataset.fromArray('abc' as never)).toThrow('Dataset.fromArray: elements must be an array, got "abc"');
    expect(() => Dataset.fromArray([1, [2, 'x']] as never)).toThrow('Dataset.fromArray: expected numbers or tensors, in arrays / plain objects; got string in element 1');
    expect(() => Dataset.fromArray([new Float32Array(2)] as never)).toThrow('got Float32Array in element 0');
    expect(() => Dataset.fromGenerator(5 as never)).toThrow('Dataset.fromGenerator: generator must be a function, got 5');
    expect(() => Dataset.zip(ds as never)).toThrow('Dataset.zip: datasets must be an array or a plain object of Datasets, got [object Object]');
    expect(() => Dataset.zip([])).toThrow('Dataset.zip: expected at least one Dataset, got []');
    expect(() => Dataset.zip([ds, 3] as never)).toThrow('Dataset.zip: datasets[1] must be a Dataset, got 3');
    expect(() => Dataset.zip({ x: ds, y: 'labels' } as never)).toThrow('Dataset.zip: datasets.y must be a Dataset, got "labels"');
    expect(() => ds.concatenate([1, 2] as never)).toThrow('Dataset.concatenate: other must be a Dataset, got [1,2]');
    expect(() => ds.prefetch(0)).toThrow('Dataset.prefetch: bufferSize must be a positive integer or Dataset.AUTOTUNE (-1), got 0');
    expect(() => ds.prefetch(1.5)).toThrow('Dataset.prefetch: bufferSize must be a positive integer or Dataset.AUTOTUNE (-1), got 1.5');
    expect(() => ds.prefetch(-2)).toThrow('Dataset.prefetch: bufferSize must be a positive integer or Dataset.AUTOTUNE (-1), got -2');
    // Arguments TypeScript would refuse, as JavaScript callers may pass them.
    const untyped = ds as unknown as Record<'unbatch' | 'cache', (...given: unknown[]) => Dataset<Tensor>>;
    expect(() => untyped.unbatch(2)).toThrow('Dataset.unbatch: takes no arguments, got 2');
    expect(() => untyped.cache(1, 'x')).toThrow('Dataset.cache: takes no arguments, got 1, "x"');
    expect(untyped.cache(undefined).size).toBe(3); // undefined is an argument left out
    // tf.data's cache(filename) writes files: a filename is refused, not quietly cached in memory.
    expect(() => untyped.cache('/tmp/mnist.cache')).toThrow(
      'Dataset.cache: caching to a file is not supported, got filename "/tmp/mnist.cache"; cache() with no argument keeps the elements in memory',
    );
  });

  it('rejects a generator function that returns no iterator, when iterated', async () => {
    await expect(valuesOf(Dataset.fromGenerator((() => [1, 2]) as never))).rejects.toThrow(
      'Dataset.fromGenerator: the generator function must return an iterator or async iterator (a generator), got [1,2]',
    );
  });
});

describe('fit on a zipped, unbatched pipeline', () => {
  /** Input(3) -> Dense(4, relu) -> Dense(1), initialised from `seed`. */
  function model(seed: number): Sequential {
    setSeed(seed);
    const m = new Sequential([Input({ shape: [3] }), new Dense(4, { activation: 'relu' }), new Dense(1)]);
    m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
    return m;
  }

  it('trains to the same weights as fit on the equivalent tensors, and leaks nothing', async () => {
    const n = 12;
    const xValues = Array.from({ length: n * 3 }, (_, i) => Math.sin(i));
    const yValues = Array.from({ length: n }, (_, i) => Math.cos(i));
    const x = tensor(xValues, [n, 3]);
    const y = tensor(yValues, [n, 1]);
    const fromTensors = model(42);
    const fromPipeline = model(42);
    const a = await fromTensors.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0 });

    // The same rows, arriving as batches of 5 (features) and 3 (labels), re-cut into batches of 4.
    const features = Dataset.fromTensorSlices(x).batch(5).unbatch();
    const labels = Dataset.fromGenerator(function* labelRows() {
      for (let i = 0; i < n; i += 3) yield tensor(yValues.slice(i, i + 3), [3, 1]);
    }).unbatch();
    const pipeline = Dataset.zip([features, labels]).batch(4);
    let b: Awaited<ReturnType<typeof fromPipeline.fit>> | undefined;
    expect(await leakedBy(async () => {
      b = await fromPipeline.fit(pipeline, { epochs: 3, verbose: 0 });
    })).toBe(0);
    expect(b!.history).toEqual(a.history);
    expect(fromPipeline.weights.map((w) => [...w.dataSync()])).toEqual(fromTensors.weights.map((w) => [...w.dataSync()]));
    dispose([x, y]);
    fromTensors.dispose();
    fromPipeline.dispose();
  });
});
