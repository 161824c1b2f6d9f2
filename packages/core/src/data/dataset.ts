import { forEachTensor, tidy, type TensorContainer } from '../engine/memory.js';
import { RandomGenerator } from '../random/generator.js';
import { generatorFor } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { materialize, release, Row, stack, tableOf, type DatasetElement, type Item } from './element.js';
import { shuffleItems } from './shuffle.js';

export interface ShuffleOptions {
  /** Seeds this shuffle alone; without it draws come from the global generator (`setSeed`). */
  seed?: number;
  /** A new order on every pass over the dataset (default), or the same order every time. */
  reshuffleEachIteration?: boolean;
}

export interface BatchOptions {
  /** Drop a last batch smaller than `batchSize` (default false). */
  dropRemainder?: boolean;
}

/**
 * A lazy, re-iterable input pipeline in the style of `tf.data.Dataset`.
 *
 * `for await (const batch of ds)` yields elements that belong to the consumer: dispose them (or
 * run the step that uses them inside `tidy`) when done. Pipeline stages own what passes through
 * them: `batch` disposes the elements it stacks, `skip` the ones it drops, `map` the inputs its
 * function did not return, `shuffle` whatever is still buffered when iteration stops early.
 * Elements of `fromTensorSlices` stay slices of typed arrays until `batch`, `map` or the consumer
 * needs tensors, so `shuffle(...).batch(32)` uploads one tensor per batch component.
 */
export class Dataset<T = DatasetElement> implements AsyncIterable<T> {
  /**
   * @param items starts one pass over the elements.
   * @param size the number of elements when known; `Infinity` after `repeat()`; `null` if unknown
   *   (Keras's `cardinality`).
   */
  private constructor(
    private readonly items: () => Generator<Item>,
    readonly size: number | null,
  ) {}

  /**
   * A dataset of the slices of `x` along its first dimension. `x` may be a tensor, an array
   * (`[images, labels]`) or an object of tensors; every first dimension must agree. The values
   * are read once, here; later changes to the tensors are not seen.
   */
  static fromTensorSlices(x: Tensor): Dataset<Tensor>;
  static fromTensorSlices<const S extends readonly Tensor[] | { readonly [key: string]: Tensor }>(
    x: S,
  ): Dataset<{ -readonly [K in keyof S]: Tensor }>;
  static fromTensorSlices(x: DatasetElement): Dataset<unknown> {
    const table = tableOf(x);
    return new Dataset(function* rows() {
      for (let i = 0; i < table.length; i++) yield new Row(table, i);
    }, table.length);
  }

  /** Shuffles with a buffer of `bufferSize` elements, as `tf.data.Dataset.shuffle`. */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new Error(`Dataset.shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    }
    const { seed, reshuffleEachIteration = true } = options;
    let randomForPass: () => RandomGenerator;
    if (reshuffleEachIteration) {
      // A seeded shuffle owns a generator that runs on across passes: each pass differs, the
      // sequence of passes repeats. Unseeded passes ask for the global generator at their start,
      // so a `setSeed` made before iterating takes effect.
      const own = seed === undefined ? null : generatorFor(seed);
      randomForPass = () => own ?? generatorFor();
    } else {
      // One seed for every pass; unseeded, it is drawn now from the global generator.
      const fixed = seed ?? generatorFor().nextUint32();
      randomForPass = () => new RandomGenerator(fixed);
    }
    return new Dataset(() => shuffleItems(this.items(), bufferSize, randomForPass()), this.size);
  }

  /** Stacks consecutive elements into batches along a new first dimension. */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<T> {
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    }
    const { dropRemainder = false } = options;
    const size = this.size === null || this.size === Infinity
      ? this.size
      : (dropRemainder ? Math.floor : Math.ceil)(this.size / batchSize);
    const source = this.items;
    return new Dataset(function* batches() {
      const pending: Item[] = [];
      try {
        for (const item of source()) {
          pending.push(item);
          if (pending.length === batchSize) {
            const batch = stack(pending);
            pending.length = 0;
            yield batch;
          }
        }
        if (pending.length > 0 && !dropRemainder) {
          const batch = stack(pending);
          pending.length = 0;
          yield batch;
        }
      } finally {
        for (const item of pending) release(item);
      }
    }, size);
  }

  /**
   * Applies `fn` to every element. `fn` runs inside `tidy`, so its intermediate tensors are freed;
   * input tensors it does not return are disposed after it.
   */
  map<U>(fn: (element: T) => U): Dataset<U> {
    const source = this.items;
    return new Dataset(function* mapped() {
      for (const item of source()) {
        const input = materialize(item);
        let output: U;
        try {
          output = tidy('Dataset.map', () => fn(input as T) as TensorContainer) as U;
        } finally {
          const kept = new Set<Tensor>();
          forEachTensor(output!, (t) => kept.add(t));
          forEachTensor(input, (t) => {
            if (!kept.has(t)) t.dispose();
          });
        }
        yield output;
      }
    }, this.size);
  }

  /** The first `count` elements (all of them when `count` is negative, as in Keras). */
  take(count: number): Dataset<T> {
    checkCount('take', count);
    if (count < 0) return this;
    const size = this.size === null ? null : Math.min(this.size, count);
    const source = this.items;
    return new Dataset(function* taken() {
      if (count === 0) return;
      let n = 0;
      for (const item of source()) {
        yield item;
        if (++n >= count) return;
      }
    }, size);
  }

  /** Every element after the first `count` (which are dropped and freed). */
  skip(count: number): Dataset<T> {
    checkCount('skip', count);
    const size = this.size === null ? null : Math.max(0, this.size - count);
    const source = this.items;
    return new Dataset(function* skipped() {
      let n = 0;
      for (const item of source()) {
        if (n++ < count) release(item);
        else yield item;
      }
    }, size);
  }

  /** Passes over the data `count` times (forever when omitted); each pass reshuffles. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('repeat', count);
    const times = count === undefined || count < 0 ? Infinity : count;
    const size = this.size === null ? null : this.size === 0 || times === 0 ? 0 : this.size * times;
    const source = this.items;
    return new Dataset(function* repeated() {
      for (let pass = 0; pass < times; pass++) {
        let empty = true;
        for (const item of source()) {
          empty = false;
          yield item;
        }
        if (empty) return; // an empty dataset repeated forever is still empty
      }
    }, size);
  }

  /** Every element, in order; the caller owns (and disposes) them. */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Dataset.toArray: the dataset is infinite (repeat() without a count)');
    const out: T[] = [];
    for await (const element of this) out.push(element);
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (const item of this.items()) yield materialize(item) as T;
  }
}

function checkCount(op: string, count: number): void {
  if (!Number.isInteger(count)) throw new Error(`Dataset.${op}: count must be an integer, got ${count}`);
  if (op === 'skip' && count < 0) throw new Error(`Dataset.skip: count must be ≥ 0, got ${count}`);
}
