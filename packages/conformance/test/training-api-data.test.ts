import { beforeAll, describe, expect, it } from 'vitest';
import '@perceptron/backend-naive';
import { Dataset, dispose, greater, keep, memory, mul, setBackend, setSeed, tensor, variable, type Tensor, type Variable } from '@perceptron/core';

beforeAll(async () => {
  await setBackend('naive');
});

/** Tensor 0..n-1 as float32 [n, 1] and its labels 0..n-1 as int32 [n]. */
function indexTensors(n: number): [Tensor, Tensor] {
  const ids = Float32Array.from({ length: n }, (_, i) => i);
  return [tensor(ids, [n, 1], 'float32'), tensor(Int32Array.from(ids), [n], 'int32')];
}

/** The values of every element of a dataset of scalars / [1]-vectors, disposing the elements. */
async function scalars(ds: Dataset<Tensor>): Promise<number[]> {
  const out: number[] = [];
  for await (const t of ds) {
    out.push(...t.dataSync());
    t.dispose();
  }
  return out;
}

function rangeDataset(n: number): Dataset<Tensor> {
  const t = tensor(Float32Array.from({ length: n }, (_, i) => i), [n], 'float32');
  const ds = Dataset.fromTensorSlices(t);
  t.dispose(); // the dataset read the values once; it does not need the tensor
  return ds;
}

describe('Dataset.fromTensorSlices', () => {
  it('slices a tensor, a pair and an object along the first dimension', async () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const single = await Dataset.fromTensorSlices(x).toArray();
    expect(single.map((t) => [t.shape, t.arraySync()])).toEqual([[[3], [1, 2, 3]], [[3], [4, 5, 6]]]);

    const y = tensor([7, 8], [2], 'int32');
    const pairs = await Dataset.fromTensorSlices([x, y]).toArray();
    expect(pairs.map(([a, b]) => [a.arraySync(), b.shape, b.dtype, b.arraySync()])).toEqual([
      [[1, 2, 3], [], 'int32', 7],
      [[4, 5, 6], [], 'int32', 8],
    ]);

    const objects = await Dataset.fromTensorSlices({ image: x, label: y }).toArray();
    expect(objects.map((o) => Object.keys(o))).toEqual([['image', 'label'], ['image', 'label']]);
    expect(objects[1]!.image.arraySync()).toEqual([4, 5, 6]);
    expect(Dataset.fromTensorSlices({ image: x, label: y }).size).toBe(2);
    dispose([x, y, single, pairs, objects]);
  });

  it('rejects first dimensions that disagree, naming the shapes', () => {
    const x = tensor(new Float32Array(12), [4, 3]);
    const y = tensor(new Float32Array(5), [5]);
    expect(() => Dataset.fromTensorSlices([x, y])).toThrow('Dataset.fromTensorSlices: every tensor must have the same first dimension; got shapes [4,3], [5]');
    const s = tensor(3);
    expect(() => Dataset.fromTensorSlices(s)).toThrow(/cannot slice a scalar/);
    dispose([x, y, s]);
  });
});

describe('Dataset.batch', () => {
  it('stacks elements; the last batch is short unless dropRemainder', async () => {
    const [x, y] = indexTensors(10);
    const ds = Dataset.fromTensorSlices([x, y]);
    const batched = ds.batch(4);
    expect(batched.size).toBe(3);
    const shapes: number[][][] = [];
    const labels: number[][] = [];
    for await (const [bx, by] of batched) {
      shapes.push([[...bx.shape], [...by.shape]]);
      labels.push([...by.dataSync()]);
      expect(by.dtype).toBe('int32');
      dispose([bx, by]);
    }
    expect(shapes).toEqual([[[4, 1], [4]], [[4, 1], [4]], [[2, 1], [2]]]);
    expect(labels).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);

    const dropped = ds.batch(4, { dropRemainder: true });
    expect(dropped.size).toBe(2);
    const dropShapes: number[][] = [];
    for await (const [bx, by] of dropped) {
      dropShapes.push([...bx.shape]);
      dispose([bx, by]);
    }
    expect(dropShapes).toEqual([[4, 1], [4, 1]]);
    expect(ds.batch(5, { dropRemainder: true }).size).toBe(2);
    expect(ds.batch(20).size).toBe(1);
    dispose([x, y]);
  });

  it('rejects a non-positive batch size', () => {
    const ds = rangeDataset(3);
    expect(() => ds.batch(0)).toThrow('Dataset.batch: batchSize must be a positive integer, got 0');
    expect(() => ds.batch(-2)).toThrow(/got -2/);
  });

  it('stacks mapped elements and rejects elements of different shapes', async () => {
    const doubled = rangeDataset(5).map((t) => mul(t, 2)).batch(2);
    expect(await scalars(doubled)).toEqual([0, 2, 4, 6, 8]);
    const ragged = tensor([1, 2, 3]);
    const bad = rangeDataset(2).map((t) => (t.dataSync()[0] === 0 ? mul(ragged, t) : t)).batch(2);
    await expect(scalars(bad)).rejects.toThrow('Dataset.batch: cannot stack tensor 0 of element 1 (shape [], float32) with element 0\'s (shape [3], float32)');
    ragged.dispose();
  });

  it('matches object tensors by key, and rejects elements of another structure', async () => {
    const before = memory().numTensors;
    // Odd elements write their keys in the other order; tf.nest lines leaves up by sorted key.
    const mixed = rangeDataset(4).map((t) => (t.dataSync()[0]! % 2 ? { a: t, b: mul(t, 10) } : { b: mul(t, 10), a: t }));
    const [batch] = await mixed.batch(4).toArray();
    expect(Object.keys(batch!)).toEqual(['b', 'a']); // the first element's order
    expect(batch!.a.arraySync()).toEqual([0, 1, 2, 3]);
    expect(batch!.b.arraySync()).toEqual([0, 10, 20, 30]);
    dispose(batch);

    const renamed = rangeDataset(2).map((t) => (t.dataSync()[0] === 0 ? { a: t } : { z: t }));
    await expect(renamed.batch(2).toArray()).rejects.toThrow('Dataset.batch: expected every element to have the structure of the first, {a}; got {z} at element 1');
    const nested = rangeDataset(3).map((t) => (t.dataSync()[0] === 2 ? [t, { a: mul(t, 2), b: mul(t, 3) }] : [t, { a: mul(t, 2) }]));
    await expect(nested.batch(3).toArray()).rejects.toThrow('Dataset.batch: expected every element to have the structure of the first, [tensor, {a}]; got [tensor, {a, b}] at element 2');
    expect(memory().numTensors).toBe(before);
  });
});

describe('Dataset.shuffle', () => {
  const n = 50;

  it('is a permutation: every element exactly once', async () => {
    const order = await scalars(rangeDataset(n).shuffle(8, { seed: 1 }));
    expect(order).toHaveLength(n);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('repeats with a seed, and with setSeed when unseeded', async () => {
    const a = await scalars(rangeDataset(n).shuffle(16, { seed: 7 }));
    const b = await scalars(rangeDataset(n).shuffle(16, { seed: 7 }));
    const c = await scalars(rangeDataset(n).shuffle(16, { seed: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);

    setSeed(123);
    const d = await scalars(rangeDataset(n).shuffle(16));
    setSeed(123);
    const e = await scalars(rangeDataset(n).shuffle(16));
    expect(d).toEqual(e);
  });

  it('keeps the order with a buffer of one', async () => {
    expect(await scalars(rangeDataset(n).shuffle(1, { seed: 3 }))).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('moves no element more than bufferSize - 1 places earlier', async () => {
    // Before output k the buffer has seen only inputs 0 .. k + bufferSize - 1, so input j comes
    // out at k ≥ j - (bufferSize - 1). Over many seeds the bound is reached but never passed.
    const bufferSize = 4;
    let largestAdvance = 0;
    for (let seed = 0; seed < 40; seed++) {
      const order = await scalars(rangeDataset(n).shuffle(bufferSize, { seed }));
      order.forEach((j, k) => {
        largestAdvance = Math.max(largestAdvance, j - k);
      });
    }
    expect(largestAdvance).toBe(bufferSize - 1);
  });

  it('gives a uniform first element with a full buffer', async () => {
    // With bufferSize ≥ size, the first output is uniform over the 5 elements: 2,000 draws give
    // each about 400 (binomial sd ≈ 18); 5 sd either side is a safe bound.
    const counts = [0, 0, 0, 0, 0];
    const ds = rangeDataset(5).shuffle(5, { seed: 11 });
    for (let pass = 0; pass < 2000; pass++) {
      const first = (await scalars(ds.take(1)))[0]!;
      counts[first]!++;
    }
    for (const c of counts) expect(Math.abs(c - 400)).toBeLessThan(90);
  });

  it('reshuffles each iteration unless told not to', async () => {
    const reshuffled = rangeDataset(n).shuffle(n, { seed: 5 });
    const first = await scalars(reshuffled);
    const second = await scalars(reshuffled);
    expect(first).not.toEqual(second);
    expect([...second].sort((a, b) => a - b)).toEqual([...first].sort((a, b) => a - b));

    const fixed = rangeDataset(n).shuffle(n, { seed: 5, reshuffleEachIteration: false });
    const f1 = await scalars(fixed);
    expect(await scalars(fixed)).toEqual(f1);
    expect(f1).toEqual(first); // the first pass uses the seed the same way

    const unseeded = rangeDataset(n).shuffle(n, { reshuffleEachIteration: false });
    expect(await scalars(unseeded)).toEqual(await scalars(unseeded));
  });

  it('shuffles pairs together', async () => {
    const [x, y] = indexTensors(20);
    for await (const [bx, by] of Dataset.fromTensorSlices([x, y]).shuffle(20, { seed: 2 }).batch(6)) {
      expect([...bx.dataSync()]).toEqual([...by.dataSync()]);
      dispose([bx, by]);
    }
    dispose([x, y]);
  });

  it('frees its buffer when its input throws', async () => {
    const [x, y] = indexTensors(50);
    const before = memory().numTensors;
    const failingAt = (bad: number) => Dataset.fromTensorSlices([x, y]).map(([a, b]) => {
      if (b.dataSync()[0] === bad) throw new Error(`element ${bad}`);
      return [mul(a, 2), b];
    });
    // Element 30 fails once the buffer of 10 has given out 20 elements, i.e. 5 batches of 4.
    const labels: number[] = [];
    await expect((async () => {
      for await (const [bx, by] of failingAt(30).shuffle(10, { seed: 1 }).batch(4)) {
        labels.push(...by.dataSync());
        dispose([bx, by]);
      }
    })()).rejects.toThrow('element 30');
    // Failing while the buffer is still filling.
    await expect(failingAt(5).shuffle(10, { seed: 1 }).batch(4).toArray()).rejects.toThrow('element 5');
    expect(memory().numTensors).toBe(before);
    expect(labels).toHaveLength(20);
    expect(new Set(labels).size).toBe(20);
    expect(Math.max(...labels)).toBeLessThan(30);
    dispose([x, y]);
  });
});

describe('take, skip, repeat, map, filter', () => {
  it('take and skip', async () => {
    const ds = rangeDataset(6);
    expect(await scalars(ds.take(2))).toEqual([0, 1]);
    expect(ds.take(2).size).toBe(2);
    expect(ds.take(10).size).toBe(6);
    expect(await scalars(ds.take(-1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await scalars(ds.skip(4))).toEqual([4, 5]);
    expect(ds.skip(4).size).toBe(2);
    expect(ds.skip(9).size).toBe(0);
    expect(await scalars(ds.skip(1).take(2))).toEqual([1, 2]);
  });

  it('repeat, finite and infinite', async () => {
    const ds = rangeDataset(3);
    expect(await scalars(ds.repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(ds.repeat(2).size).toBe(6);
    expect(ds.repeat().size).toBe(Infinity);
    expect(await scalars(ds.repeat().take(7))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(ds.repeat().take(7).size).toBe(7);
    expect(ds.repeat().batch(2).size).toBe(Infinity);
    await expect(ds.repeat().toArray()).rejects.toThrow(/infinite/);
    // Each pass of a repeated shuffle draws a new order.
    const passes = await scalars(rangeDataset(10).shuffle(10, { seed: 4 }).repeat(2));
    expect(passes.slice(0, 10)).not.toEqual(passes.slice(10));
  });

  it('map transforms elements and pairs', async () => {
    expect(await scalars(rangeDataset(4).map((t) => mul(t, 10)))).toEqual([0, 10, 20, 30]);
    const [x, y] = indexTensors(4);
    const mapped = Dataset.fromTensorSlices([x, y]).map(([a, b]) => ({ features: mul(a, 0.5), label: b }));
    expect(mapped.size).toBe(4);
    const out = await mapped.batch(4).toArray();
    expect(out[0]!.features.arraySync()).toEqual([[0], [0.5], [1], [1.5]]);
    expect(out[0]!.label.arraySync()).toEqual([0, 1, 2, 3]);
    dispose([x, y, out]);
  });

  it('skip(-1) skips every element and take(-1) takes every one, as tf.data', async () => {
    const ds = rangeDataset(6);
    const before = memory().numTensors;
    expect(ds.skip(-1).size).toBe(0);
    expect(await scalars(ds.skip(-1))).toEqual([]);
    expect(await scalars(ds.map((t) => mul(t, 2)).skip(-1))).toEqual([]); // the skipped are freed
    expect(ds.take(-1).size).toBe(6);
    expect(await scalars(ds.take(-1))).toEqual([0, 1, 2, 3, 4, 5]);
    // tf.data's cardinality of an infinite input stays infinite under both.
    expect(ds.repeat().skip(-1).size).toBe(Infinity);
    expect(ds.repeat().take(-1).size).toBe(Infinity);
    expect(memory().numTensors).toBe(before);
  });

  it('filter keeps the elements its predicate accepts and frees the others', async () => {
    const ds = rangeDataset(10);
    const [x, y] = indexTensors(10);
    const before = memory().numTensors;
    const even = ds.filter((t) => t.dataSync()[0]! % 2 === 0);
    expect(even.size).toBeNull(); // tf.data's UNKNOWN cardinality
    expect(even.batch(2).size).toBeNull();
    expect(await scalars(even)).toEqual([0, 2, 4, 6, 8]);
    // A bool scalar tensor, as tf.data predicates return; the tensors it makes are freed.
    expect(await scalars(ds.filter((t) => greater(t, 6)))).toEqual([7, 8, 9]);
    // Mapped elements: the dropped ones are freed, the kept ones go on to batch.
    const batches = await Dataset.fromTensorSlices([x, y])
      .map(([a, b]) => [mul(a, 2), b])
      .filter(([, b]) => b.dataSync()[0]! >= 6)
      .batch(3)
      .toArray();
    expect(batches.map(([bx, by]) => [bx.arraySync(), by.arraySync()])).toEqual([
      [[[12], [14], [16]], [6, 7, 8]],
      [[[18]], [9]],
    ]);
    dispose(batches);
    await expect(scalars(ds.filter(() => 1 as never))).rejects.toThrow('Dataset.filter: predicate must return a boolean or a bool scalar tensor, got 1');
    await expect(scalars(ds.filter((t) => t))).rejects.toThrow('Dataset.filter: predicate must return a boolean or a bool scalar tensor, got a float32 tensor of shape []');
    expect(memory().numTensors).toBe(before);
    dispose([x, y]);
  });
});

describe('ownership', () => {
  it('never frees a tensor a map function returned from outside the pipeline', async () => {
    // In tf.data a captured tensor is a constant: every stage that frees what it drops or
    // consumes must leave it alone.
    const c = tensor(7);
    const before = memory().numTensors;
    const withC = rangeDataset(4).map((t) => [t, c]);
    const batches = await withC.batch(2).toArray();
    expect(batches.map(([t, k]) => [t.arraySync(), k.arraySync()])).toEqual([[[0, 1], [7, 7]], [[2, 3], [7, 7]]]);
    dispose(batches);
    expect(await scalars(withC.map(([t]) => mul(t, 2)))).toEqual([0, 2, 4, 6]); // the second map drops c
    expect(await scalars(withC.skip(3).map(([t, k]) => mul(t, k)))).toEqual([21]);
    expect(await scalars(withC.filter(([t]) => t.dataSync()[0] === 1).map(([t]) => t))).toEqual([1]);
    for await (const element of withC.shuffle(4, { seed: 1 })) {
      dispose(element); // c comes as a copy, the consumer's to dispose
      break; // the buffer still holds three elements with c
    }
    expect(c.arraySync()).toBe(7);
    expect(memory().numTensors).toBe(before);
    c.dispose();
  });

  it('never frees a variable or a kept tensor a map function creates on its first call', async () => {
    let lazyVariable: Variable | undefined;
    let lazyConstant: Tensor | undefined;
    const before = memory().numTensors;
    const elements = rangeDataset(4).map((t) => {
      lazyVariable ??= variable(tensor([5]));
      lazyConstant ??= keep(tensor(3));
      return [t, lazyVariable, lazyConstant];
    });
    const batches = await elements.batch(2).toArray();
    expect(batches.map(([t, v, c]) => [t.arraySync(), v.arraySync(), c.arraySync()])).toEqual([[[0, 1], [[5], [5]], [3, 3]], [[2, 3], [[5], [5]], [3, 3]]]);
    dispose(batches);
    for await (const element of elements) dispose(element);
    expect(lazyVariable!.arraySync()).toEqual([5]);
    expect(lazyConstant!.arraySync()).toBe(3);
    dispose([lazyVariable!, lazyConstant!]);
    expect(memory().numTensors).toBe(before);
  });

  it('hands over elements whose leaves are not all tensors, borrowed tensors included', async () => {
    const c = tensor(7);
    const before = memory().numTensors;
    const elements = await rangeDataset(2).map((t) => [t, c, 5, 'label']).toArray();
    expect(elements.map(([t, k, n, s]) => [(t as Tensor).arraySync(), (k as Tensor).arraySync(), n, s])).toEqual([[0, 7, 5, 'label'], [1, 7, 5, 'label']]);
    dispose(elements as never);
    expect(memory().numTensors).toBe(before);
    c.dispose();
  });

  it('hands a consumer such a tensor as a copy, so disposing each element (as fit does) leaves it alone', async () => {
    const c = tensor(7);
    const before = memory().numTensors;
    const elements = rangeDataset(3).map((t) => [t, c]);
    for await (const element of elements) {
      expect(element[1]).not.toBe(c);
      expect(element[1]!.arraySync()).toBe(7);
      dispose(element);
    }
    expect(c.arraySync()).toBe(7);
    expect(memory().numTensors).toBe(before);
    c.dispose();
  });
});

describe('argument checks', () => {
  it('rejects bad arguments when called, naming the method, the argument, expected and given', () => {
    const ds = rangeDataset(3);
    const before = memory().numTensors;
    expect(() => ds.map(123 as never)).toThrow('Dataset.map: fn must be a function, got 123');
    expect(() => ds.filter('odd' as never)).toThrow('Dataset.filter: predicate must be a function, got "odd"');
    expect(() => ds.shuffle(4, { seed: 1.5 })).toThrow('Dataset.shuffle: seed must be an integer, got 1.5');
    expect(() => ds.shuffle(4, { seed: 'a' as never })).toThrow('Dataset.shuffle: seed must be an integer, got "a"');
    expect(() => ds.shuffle(4, { reshuffleEachIteration: 1 as never })).toThrow('Dataset.shuffle: reshuffleEachIteration must be true or false, got 1');
    expect(() => ds.shuffle(4, { sed: 1 } as never)).toThrow("Dataset.shuffle: unknown option 'sed'; expected one of seed, reshuffleEachIteration");
    expect(() => ds.shuffle(Infinity)).toThrow('Dataset.shuffle: bufferSize must be a positive integer, got Infinity');
    expect(() => ds.batch(3, { dropRemainder: 'no' as never })).toThrow('Dataset.batch: dropRemainder must be true or false, got "no"');
    expect(() => ds.batch(3, { drop: true } as never)).toThrow("Dataset.batch: unknown option 'drop'; expected one of dropRemainder");
    expect(() => ds.batch(3, 4 as never)).toThrow('Dataset.batch: expected an options object, got number');
    expect(() => ds.take(1.5)).toThrow('Dataset.take: count must be an integer, got 1.5');
    expect(() => ds.repeat(NaN)).toThrow('Dataset.repeat: count must be an integer, got NaN');
    expect(memory().numTensors).toBe(before);
  });
});

describe('memory', () => {
  it('leaks no tensor through a full pipeline, early exits included', async () => {
    const [x, y] = indexTensors(100);
    const before = memory().numTensors;
    const ds = Dataset.fromTensorSlices([x, y]).map(([a, b]) => [mul(a, 2), b]).shuffle(16, { seed: 9 }).skip(3).batch(8);
    for await (const batch of ds) dispose(batch);
    for await (const batch of ds) {
      dispose(batch);
      break; // the shuffle buffer still holds mapped elements: stopping must free them
    }
    for await (const [bx, by] of Dataset.fromTensorSlices([x, y]).shuffle(32).batch(32, { dropRemainder: true })) dispose([bx, by]);
    for await (const t of Dataset.fromTensorSlices(x).map((a) => mul(a, 3)).take(5)) t.dispose();
    expect(memory().numTensors).toBe(before);
    dispose([x, y]);
  });

  it('uploads one tensor per batch component', async () => {
    const [x, y] = indexTensors(64);
    const ds = Dataset.fromTensorSlices([x, y]).shuffle(64, { seed: 1 }).batch(32);
    const before = memory().numTensors;
    const iterator = ds[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(memory().numTensors - before).toBe(2);
    dispose(first.value as Tensor[]);
    await iterator.return?.();
    dispose([x, y]);
  });
});
