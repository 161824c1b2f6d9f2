import { RandomGenerator } from '../random/generator.js';
import { generatorFor } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { booleanArgument, checkFunction, describeValue, INTEGER, numberArgument, POSITIVE_INTEGER, type Requirement } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { isPlainObject } from '../util/plain-object.js';
import { batchItems } from './batch.js';
import { cachingItems } from './cache.js';
import { concatenateItems } from './concatenate.js';
import { handOver, materialize, release } from './element.js';
import { filterItems } from './filter.js';
import { rowsOfArray, type ArrayElement, type Tensorized } from './from-array.js';
import { generatedItems, type IteratorFactory } from './generator.js';
import { mapItem } from './map.js';
import { AUTOTUNE_BUFFER, prefetchItems } from './prefetch.js';
import { INT32, NON_ZERO_INT32, rangeItems, rangeLength } from './range.js';
import { shuffleItems } from './shuffle.js';
import { drive, type Pass, type Stream, Wait } from './stream.js';
import type { DatasetElement, Sliced } from './structure.js';
import { Row, tableOf } from './table.js';
import { unbatchItems } from './unbatch.js';
import { zipItems } from './zip.js';

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
const PREFETCH_BUFFER: Requirement = ['a positive integer or Dataset.AUTOTUNE (-1)', (x) => x === Dataset.AUTOTUNE || POSITIVE_INTEGER[1](x)];

/**
 * Throws, naming `owner` and what was given, unless a method that takes no arguments got none:
 * JavaScript would drop them silently. `undefined` counts as absent, as for optional arguments.
 */
function checkNoArguments(owner: string, given: readonly unknown[]): void {
  if (given.every((value) => value === undefined)) return;
  throw new Error(`${owner}: takes no arguments, got ${given.map(describeValue).join(', ')}`);
}

/**
 * A lazy, re-iterable input pipeline in the style of `tf.data.Dataset`.
 *
 * Ownership: the pipeline frees only tensors it made — the slices of `fromTensorSlices` it
 * uploads, the batches it stacks, the tensors a `map` function or a `fromGenerator` iterator made
 * for an element. A tensor a `map` function returns, or a generator yields, that existed before
 * the call (a captured constant, a variable) stays its maker's: as in tf.data, where a captured
 * tensor is a constant, no stage ever frees it, so it can go into every element. Each stage
 * frees what it owns once it is done with it: `batch` the elements it stacks, `skip` and
 * `filter` the ones they drop, `map` the inputs its function did not return, `unbatch` the
 * batches it splits, `zip` what a shorter input strands, and `shuffle` and `prefetch` whatever
 * they still hold when iteration stops early or the input throws. `cache` keeps host copies,
 * never tensors.
 *
 * `for await (const batch of ds)` yields elements that belong to the consumer, borrowed tensors
 * handed over as copies: dispose them (or run the step that uses them inside `tidy`) when done.
 * Elements of `fromTensorSlices` stay slices of typed arrays until `batch`, `map`, `filter` or
 * the consumer needs tensors, so `shuffle(...).batch(32)` uploads one tensor per batch component;
 * so do those of `range`, `fromArray`, `unbatch`, a `cache` replaying and a `zip` of such.
 *
 * A pass runs every stage synchronously, awaiting only an async source: over synchronous
 * sources the consumer's `for await` pays one await per element it gets (see stream.ts).
 */
export class Dataset<T = DatasetElement> implements AsyncIterable<T> {
  /** `prefetch(Dataset.AUTOTUNE)` leaves the buffer size to the pipeline, as `tf.data.AUTOTUNE`. */
  static readonly AUTOTUNE = -1;

  /**
   * @param items starts one pass over the elements (see stream.ts for how a pass runs).
   * @param size the number of elements when known; `Infinity` after `repeat()`; `null` if unknown,
   *   as after `filter` (Keras's `cardinality`).
   */
  private constructor(
    private readonly items: (pass: Pass) => Stream,
    readonly size: number | null,
  ) {}

  /**
   * A dataset of the slices of `x` along its first dimension. `x` may be a tensor, an array
   * (`[images, labels]`) or an object of tensors, or these nested (`[[a, b], labels]` for a
   * model of two inputs); every first dimension must agree. The values are read once, here;
   * later changes to the tensors are not seen.
   */
  static fromTensorSlices<const S extends DatasetElement>(x: S): Dataset<Sliced<S>>;
  static fromTensorSlices(x: DatasetElement): Dataset<unknown> {
    const table = tableOf(x);
    return new Dataset(function* rows() {
      for (let i = 0; i < table.length; i++) yield new Row(table, i);
    }, table.length);
  }

  /**
   * A dataset of what `generator`'s iterator yields, as `tf.data.Dataset.from_generator` and
   * tfjs's `tf.data.generator`. `generator` returns an iterator or async iterator (call a
   * `function*` or an `async function*`), or a promise of one; it is called anew on every pass,
   * so the dataset can repeat. Elements are tensors, or arrays / plain objects of them. As in
   * tfjs, the dataset takes the tensors the iterator made for an element; one it made before
   * and yields again must be kept (`keep`) or made before iterating, else its first element's
   * consumer frees it. The iterator frees its own intermediates. `size` is null (unknown).
   */
  static fromGenerator<T>(generator: IteratorFactory<T>): Dataset<T> {
    checkFunction('Dataset.fromGenerator', 'generator', generator);
    return new Dataset((pass) => generatedItems(generator, pass), null);
  }

  /**
   * The int32 scalars `start`, `start + step`, ... before `stop` (above it for a negative step),
   * as `tf.data.Dataset.range`; `range(n)` is 0 .. n-1.
   */
  static range(start: number, stop?: number, step = 1): Dataset<Tensor> {
    const owner = 'Dataset.range';
    // `range(n)` names its one argument stop, as tf.data does.
    const [from, to] = stop === undefined
      ? [0, numberArgument(owner, 'stop', start, INT32)]
      : [numberArgument(owner, 'start', start, INT32), numberArgument(owner, 'stop', stop, INT32)];
    numberArgument(owner, 'step', step, NON_ZERO_INT32);
    return new Dataset(() => rangeItems(from, to, step), rangeLength(from, to, step));
  }

  /**
   * A dataset of plain values, as tfjs's `tf.data.array`: each element a number, a tensor, or
   * arrays / plain objects of them. Numbers become float32 scalars the pipeline makes on the way;
   * tensors are read once, here, so the caller may dispose them afterwards.
   */
  static fromArray<T extends ArrayElement>(elements: readonly T[]): Dataset<Tensorized<T>> {
    if (!Array.isArray(elements)) throw new Error(`Dataset.fromArray: elements must be an array, got ${describeValue(elements)}`);
    const rows = rowsOfArray(elements);
    return new Dataset(function* fromRows() {
      yield* rows;
    }, rows.length);
  }

  /**
   * Elements of several datasets side by side, as `tf.data.Dataset.zip`: `zip([a, b])` yields
   * `[ea, eb]`, `zip({x: a, y: b})` yields `{x: ea, y: eb}`. It ends with the shortest dataset.
   */
  static zip<const S extends readonly Dataset<unknown>[] | { readonly [key: string]: Dataset<unknown> }>(
    datasets: S,
  ): Dataset<{ -readonly [K in keyof S]: S[K] extends Dataset<infer E> ? E : never }> {
    const owner = 'Dataset.zip';
    if (!Array.isArray(datasets) && !isPlainObject(datasets)) {
      throw new Error(`${owner}: datasets must be an array or a plain object of Datasets, got ${describeValue(datasets)}`);
    }
    const keys = Array.isArray(datasets) ? null : Object.keys(datasets);
    const parts: unknown[] = Object.values(datasets);
    if (parts.length === 0) throw new Error(`${owner}: expected at least one Dataset, got ${describeValue(datasets)}`);
    parts.forEach((part, i) => {
      const name = keys === null ? `datasets[${i}]` : `datasets.${keys[i]}`;
      if (!(part instanceof Dataset)) throw new Error(`${owner}: ${name} must be a Dataset, got ${describeValue(part)}`);
    });
    const zipped = parts as Dataset<unknown>[];
    const sizes = zipped.map((d) => d.size);
    const size = sizes.includes(null) ? null : Math.min(...(sizes as number[]));
    return new Dataset((pass) => zipItems(zipped.map((d) => d.items), keys, pass), size);
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
    return new Dataset((pass) => shuffleItems(this.items(pass), bufferSize, randomForPass()), this.size);
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
    return new Dataset((pass) => batchItems(this.items(pass), batchSize, dropRemainder), size);
  }

  /**
   * Applies `fn` to every element. `fn` runs inside `tidy`, so its intermediate tensors are freed;
   * input tensors it does not return are disposed after it (those the pipeline owns).
   */
  map<U>(fn: (element: T) => U): Dataset<U> {
    checkFunction('Dataset.map', 'fn', fn);
    const source = this.items;
    return new Dataset(function* mapped(pass) {
      for (const item of source(pass)) yield item instanceof Wait ? item : mapItem(fn, item);
    }, this.size);
  }

  /**
   * The elements for which `predicate` returns true (a boolean or a bool scalar tensor), as
   * `tf.data.Dataset.filter`; the others are freed. How many pass is unknown: `size` is null.
   */
  filter(predicate: (element: T) => boolean | Tensor): Dataset<T> {
    checkFunction('Dataset.filter', 'predicate', predicate);
    return new Dataset((pass) => filterItems(this.items(pass), predicate), null);
  }

  /** The first `count` elements; all of them when `count` is negative, as in tf.data. */
  take(count: number): Dataset<T> {
    numberArgument('Dataset.take', 'count', count, INTEGER);
    if (count < 0) return this;
    const size = this.size === null ? null : Math.min(this.size, count);
    const source = this.items;
    return new Dataset(function* taken(pass) {
      if (count === 0) return;
      let n = 0;
      for (const item of source(pass)) {
        yield item;
        if (!(item instanceof Wait) && ++n >= count) return;
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
    return new Dataset(function* rest(pass) {
      let n = 0;
      for (const item of source(pass)) {
        if (item instanceof Wait) yield item;
        else if (n++ < skipped) release(item);
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
    return new Dataset(function* repeated(pass) {
      for (let round = 0; round < times; round++) {
        let empty = true;
        for (const item of source(pass)) {
          if (!(item instanceof Wait)) empty = false;
          yield item;
        }
        if (empty) return; // an empty dataset repeated forever is still empty
      }
    }, size);
  }

  /**
   * Every element of this dataset, then every one of `other`, as `tf.data.Dataset.concatenate`.
   * Their elements must share one structure and dtypes (shapes may differ): where they meet, a
   * mismatch is an error naming both.
   */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new Error(`Dataset.concatenate: other must be a Dataset, got ${describeValue(other)}`);
    const size = this.size === Infinity ? Infinity : this.size === null || other.size === null ? null : this.size + other.size;
    return new Dataset((pass) => concatenateItems(this.items, other.items, pass), size);
  }

  /**
   * Splits each element along the first dimension of its tensors, which must agree, as
   * `tf.data.Dataset.unbatch`; the inverse of `batch`. How many come out is unknown (`size`
   * null) unless the input is empty or infinite.
   */
  unbatch(): Dataset<T>;
  unbatch(...given: unknown[]): Dataset<T> {
    checkNoArguments('Dataset.unbatch', given);
    const size = this.size === 0 || this.size === Infinity ? this.size : null;
    return new Dataset((pass) => unbatchItems(this.items(pass)), size);
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them on later passes
   * without running the stages before it, as `tf.data.Dataset.cache()`. The copies are host
   * arrays, not tensors: the cache leaves every ownership rule as it was and needs no
   * `dispose`; its memory goes with the dataset. A pass stopped early is not kept. Elements
   * must be tensors (arrays / plain objects of them).
   */
  cache(): Dataset<T>;
  cache(...given: unknown[]): Dataset<T> {
    // tf.data's `cache(filename)` keeps the elements in files; quietly keeping them in memory
    // instead would surprise whoever counted on the files.
    if (typeof given[0] === 'string') {
      throw new Error(`Dataset.cache: caching to a file is not supported, got filename ${describeValue(given[0])}; cache() with no argument keeps the elements in memory`);
    }
    checkNoArguments('Dataset.cache', given);
    return new Dataset(cachingItems(this.items), this.size);
  }

  /**
   * Reads up to `bufferSize` elements ahead of the consumer, as `tf.data.Dataset.prefetch`. In
   * JavaScript's one thread this overlaps waiting, not computing: an async `fromGenerator`
   * source works on the next elements while the consumer awaits. Elements read ahead and never
   * consumed are freed when iteration stops. `Dataset.AUTOTUNE` reads 2 ahead (why: prefetch.ts).
   */
  prefetch(bufferSize: number): Dataset<T> {
    numberArgument('Dataset.prefetch', 'bufferSize', bufferSize, PREFETCH_BUFFER);
    const ahead = bufferSize === Dataset.AUTOTUNE ? AUTOTUNE_BUFFER : bufferSize;
    return new Dataset((pass) => prefetchItems(this.items, ahead, pass), this.size);
  }

  /** Every element, in order; the caller owns (and disposes) them. */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Dataset.toArray: the dataset is infinite (repeat() without a count)');
    const out: T[] = [];
    for await (const element of this) out.push(element);
    return out;
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const items = this.items;
    return drive(function* handedOver(pass): Stream<T> {
      for (const item of items(pass)) yield item instanceof Wait ? item : (handOver(materialize(item)) as T);
    });
  }
}
