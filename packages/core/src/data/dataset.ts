import { RandomGenerator } from '../random/generator.js';
import { generatorFor } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { booleanArgument, checkFunction, INTEGER, numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { batchItems } from './batch.js';
import { handOver, materialize, release, type Item } from './element.js';
import { filterItems } from './filter.js';
import { mapItem } from './map.js';
import { shuffleItems } from './shuffle.js';
import type { DatasetElement } from './structure.js';
import { Row, tableOf } from './table.js';

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

const SHUFFLE_OPTIONS: Record<keyof ShuffleOptions, true> = { seed: true, reshuffleEachIteration: true };
const BATCH_OPTIONS: Record<keyof BatchOptions, true> = { dropRemainder: true };

/**
 * A lazy, re-iterable input pipeline in the style of `tf.data.Dataset`.
 *
 * Ownership: the pipeline frees only tensors it made — the slices of `fromTensorSlices` it
 * uploads, the batches it stacks, the tensors a `map` function made. A tensor a `map` function
 * returns that existed before the call (a captured constant, a variable) stays its maker's: as
 * in tf.data, where a captured tensor is a constant, no stage ever frees it, so it can go into
 * every element. Each stage frees what it owns once it is done with it: `batch` the elements it
 * stacks, `skip` and `filter` the ones they drop, `map` the inputs its function did not return,
 * `shuffle` whatever is still buffered when iteration stops early or the input throws.
 *
 * `for await (const batch of ds)` yields elements that belong to the consumer, borrowed tensors
 * handed over as copies: dispose them (or run the step that uses them inside `tidy`) when done.
 * Elements of `fromTensorSlices` stay slices of typed arrays until `batch`, `map`, `filter` or
 * the consumer needs tensors, so `shuffle(...).batch(32)` uploads one tensor per batch component.
 */
export class Dataset<T = DatasetElement> implements AsyncIterable<T> {
  /**
   * @param items starts one pass over the elements.
   * @param size the number of elements when known; `Infinity` after `repeat()`; `null` if unknown,
   *   as after `filter` (Keras's `cardinality`).
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
  shuffle(bufferSize: number, options?: ShuffleOptions): Dataset<T> {
    const owner = 'Dataset.shuffle';
    numberArgument(owner, 'bufferSize', bufferSize, POSITIVE_INTEGER);
    const given = checkOptions(owner, options, SHUFFLE_OPTIONS);
    const seed = given.seed === undefined ? undefined : numberArgument(owner, 'seed', given.seed, INTEGER);
    let randomForPass: () => RandomGenerator;
    if (booleanArgument(owner, 'reshuffleEachIteration', given.reshuffleEachIteration, true)) {
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

  /**
   * Stacks consecutive elements into batches along a new first dimension. Every element must
   * have the structure of the first; an object's tensors are matched by key.
   */
  batch(batchSize: number, options?: BatchOptions): Dataset<T> {
    const owner = 'Dataset.batch';
    numberArgument(owner, 'batchSize', batchSize, POSITIVE_INTEGER);
    const dropRemainder = booleanArgument(owner, 'dropRemainder', checkOptions(owner, options, BATCH_OPTIONS).dropRemainder, false);
    const size = this.size === null || this.size === Infinity
      ? this.size
      : (dropRemainder ? Math.floor : Math.ceil)(this.size / batchSize);
    return new Dataset(() => batchItems(this.items(), batchSize, dropRemainder), size);
  }

  /**
   * Applies `fn` to every element. `fn` runs inside `tidy`, so its intermediate tensors are freed;
   * input tensors it does not return are disposed after it (those the pipeline owns).
   */
  map<U>(fn: (element: T) => U): Dataset<U> {
    checkFunction('Dataset.map', 'fn', fn);
    const source = this.items;
    return new Dataset(function* mapped() {
      for (const item of source()) yield mapItem(fn, item);
    }, this.size);
  }

  /**
   * The elements for which `predicate` returns true (a boolean or a bool scalar tensor), as
   * `tf.data.Dataset.filter`; the others are freed. How many pass is unknown: `size` is null.
   */
  filter(predicate: (element: T) => boolean | Tensor): Dataset<T> {
    checkFunction('Dataset.filter', 'predicate', predicate);
    return new Dataset(() => filterItems(this.items(), predicate), null);
  }

  /** The first `count` elements; all of them when `count` is negative, as in tf.data. */
  take(count: number): Dataset<T> {
    numberArgument('Dataset.take', 'count', count, INTEGER);
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

  /**
   * Every element after the first `count`, which are dropped and freed; a negative `count` skips
   * them all, as in tf.data (so an infinite dataset, whose size stays Infinity, never yields).
   */
  skip(count: number): Dataset<T> {
    numberArgument('Dataset.skip', 'count', count, INTEGER);
    const skipped = count < 0 ? Infinity : count;
    const size = this.size === null || this.size === Infinity ? this.size : Math.max(0, this.size - skipped);
    const source = this.items;
    return new Dataset(function* rest() {
      let n = 0;
      for (const item of source()) {
        if (n++ < skipped) release(item);
        else yield item;
      }
    }, size);
  }

  /** Passes over the data `count` times (forever when omitted or negative); each pass reshuffles. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) numberArgument('Dataset.repeat', 'count', count, INTEGER);
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
    for (const item of this.items()) yield handOver(materialize(item)) as T;
  }
}
