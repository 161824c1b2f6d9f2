import { Dataset } from '../data/index.js';
import { dispose } from '../engine/memory.js';
import { tensor } from '../ops/convert.js';
import { gather } from '../ops/gather.js';
import { slice } from '../ops/slice.js';
import { generatorFor } from '../random/random.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { checkModelInput, describeTensors, isTensorOrList, mapTensors, samplesIn, tensorsOf, type ModelInput, type ModelTarget, type NamedTensors, type SampleWeight } from './model-input.js';

/** x, y and, when given, a weight per sample (Keras's sample_weight). */
export type Batch = [x: ModelInput, y: ModelTarget, sampleWeight?: SampleWeight];

/** One pass of batches. Each yielded batch belongs to the consumer, who disposes it. */
export interface BatchSource {
  /** Batches per pass, or null when the data cannot tell (Infinity: it never ends). */
  readonly steps: number | null;
  batches(): AsyncGenerator<Batch>;
  /** Ends a pass left open across calls (see limitSteps). */
  close?(): Promise<void>;
}

/**
 * Passes of `steps` batches drawn from one running pass of `source`, as Keras's
 * steps_per_epoch: each call continues where the last stopped, and a pass that runs out is
 * followed by a new one (a new shuffle). Empty data ends the call with no batch.
 */
export function limitSteps(caller: string, source: BatchSource, steps: number): BatchSource {
  if (!Number.isInteger(steps) || steps <= 0) throw new Error(`${caller}: steps must be a positive integer, got ${JSON.stringify(steps)}`);
  let pass: AsyncGenerator<Batch> | null = null;
  return {
    steps,
    async *batches() {
      for (let step = 0; step < steps; step++) {
        pass ??= source.batches();
        let next = await pass.next();
        if (next.done) next = await (pass = source.batches()).next();
        if (next.done) return;
        yield next.value;
      }
    },
    async close() {
      await pass?.return(undefined);
      pass = null;
    },
  };
}

/** An error for a dataset that never ends given without a step count. */
export function checkFinite(caller: string, source: BatchSource, stepsOption: string): void {
  if (source.steps === Infinity) throw new Error(`${caller}: the dataset never ends (repeat() without a count); give ${stepsOption} to bound it`);
}

export function checkBatchSize(caller: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new Error(`${caller}: batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`);
  }
}

/** Tensors given to fit or evaluate: samples along the first dimension of each. */
export type TensorData = {
  x: ModelInput;
  y: ModelTarget;
  sampleWeight?: SampleWeight | undefined;
};

/**
 * x, y (a list of tensors, one per output, for a model of several outputs) and the sample
 * weights, when given, must be tensors with one row per sample; the weights' dimensions must be
 * each y's leading ones (or 1), with at most a trailing 1 more, so a weight that cannot fit the
 * per-sample losses is refused before any step (validation weights included).
 */
export function checkTensorData(caller: string, given: unknown, y: unknown, sampleWeight?: unknown): TensorData {
  const x = checkModelInput(caller, given, 'a Dataset of [x, y] batches');
  if (!isTensorOrList(y)) throw new Error(`${caller}: expected y to be a Tensor (a list of Tensors for a model of several outputs) when x is a Tensor, got ${y === undefined ? 'undefined' : Array.isArray(y) ? (y.length === 0 ? 'an empty list' : 'a list with non-tensors') : typeof y}`);
  const targets = tensorsOf(y);
  for (const t of targets) t.assertUsable(caller);
  if (targets.some((t) => t.rank === 0 || t.shape[0] !== samplesIn(x))) {
    throw new Error(`${caller}: x and y must have the same number of samples, got x ${describeTensors(x)} (${samplesIn(x)}) and y ${describeTensors(y)} (${targets.map((t) => t.shape[0] ?? 'scalar').join(', ')})`);
  }
  if (sampleWeight === undefined || sampleWeight === null) return { x, y };
  if (!isTensorOrList(sampleWeight)) throw new Error(`${caller}: expected sampleWeight to be a Tensor (or one per output: a list, or keyed by output name), got ${Array.isArray(sampleWeight) ? 'an array with non-tensors' : typeof sampleWeight}`);
  const weights = tensorsOf(sampleWeight);
  for (const weight of weights) {
    weight.assertUsable(caller);
    if (weight.rank === 0 || weight.shape[0] !== samplesIn(x)) {
      throw new Error(`${caller}: sampleWeight must have one entry per sample, got sampleWeight ${formatShape(weight.shape)} for x ${describeTensors(x)} (${samplesIn(x)} samples)`);
    }
  }
  if (weights.length > 1 && weights.length !== targets.length) {
    throw new Error(`${caller}: expected one sampleWeight for every output or one per output, got ${weights.length} for y ${describeTensors(y)}`);
  }
  // Per-sample losses have y's shape or y's without its last axis; weights broadcast to them.
  // One weight serves every output, as in Keras; several pair with the outputs (by name if keyed).
  for (const [weight, target] of weightTargetPairs(sampleWeight, y)) {
    if (weight.rank > target.rank + 1 || !weight.shape.every((d, i) => d === 1 || d === target.shape[i])) {
      throw new Error(`${caller}: sampleWeight ${formatShape(weight.shape)} does not fit y ${formatShape(target.shape)}; expected y's leading dimensions (or 1s), such as ${formatShape([target.shape[0]!])}`);
    }
  }
  return { x, y, sampleWeight };
}

/** Each weight with the target it weighs: the one weight with every target, else by name when both are keyed, else by position. */
function weightTargetPairs(sampleWeight: SampleWeight, y: ModelTarget): [Tensor, Tensor][] {
  const targets = tensorsOf(y);
  if (sampleWeight instanceof Tensor) return targets.map((target) => [sampleWeight, target]);
  if (!Array.isArray(sampleWeight) && !(y instanceof Tensor) && !Array.isArray(y)) {
    const named = y as NamedTensors;
    return Object.entries(sampleWeight).flatMap(([name, weight]) => (named[name] ? [[weight, named[name]] as [Tensor, Tensor]] : []));
  }
  return tensorsOf(sampleWeight).map((weight, i) => [weight, targets[i]!] as [Tensor, Tensor]).filter(([, target]) => target !== undefined);
}

/** `rows` applied to each tensor of `data`. */
function selectRows(data: TensorData, rows: (t: Tensor) => Tensor): TensorData {
  return { x: mapTensors(data.x, rows), y: mapTensors(data.y, rows), sampleWeight: data.sampleWeight && mapTensors(data.sampleWeight, rows) };
}

/** Rows [start, start + size) of each tensor of `data`. */
export function sliceData(data: TensorData, start: number, size?: number): TensorData {
  return selectRows(data, (t) => slice(t, start, size));
}

function toBatch(data: TensorData): Batch {
  return data.sampleWeight ? [data.x, data.y, data.sampleWeight] : [data.x, data.y];
}

/** Batches of rows of the data; a new shuffle on every pass when `shuffle` is true, as Keras. */
export function tensorBatches(data: TensorData, batchSize: number, shuffle: boolean): BatchSource {
  const n = samplesIn(data.x);
  return {
    steps: Math.ceil(n / batchSize),
    async *batches() {
      const order = shuffle ? generatorFor().permutation(n) : null; // the global, seeded generator
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        if (!order) {
          yield toBatch(sliceData(data, start, size));
          continue;
        }
        const indices = tensor(order.subarray(start, start + size), [size], 'int32');
        try {
          yield toBatch(selectRows(data, (t) => gather(t, indices)));
        } finally {
          indices.dispose();
        }
      }
    },
  };
}

/**
 * The batches a Dataset yields, which must be [x, y] or [x, y, sampleWeight] tensors (x a list
 * of tensors for a model of several inputs, y for one of several outputs).
 */
export function datasetBatches(caller: string, dataset: Dataset<unknown>): BatchSource {
  return {
    steps: dataset.size,
    async *batches() {
      for await (const element of dataset) {
        if (!Array.isArray(element) || (element.length !== 2 && element.length !== 3) || !isTensorOrList(element[0]) || !isTensorOrList(element[1]) || (element.length === 3 && !isTensorOrList(element[2]))) {
          dispose(element as never);
          throw new Error(`${caller}: expected the dataset to yield [x, y] or [x, y, sampleWeight] tensors, got ${describeElement(element)}`);
        }
        yield element as Batch;
      }
    },
  };
}

/** x, y and sample weights as given to fit/evaluate (tensors, or one Dataset) as a BatchSource. */
export function toBatchSource(caller: string, x: unknown, y: unknown, sampleWeight: unknown, batchSize: number, shuffle: boolean): BatchSource {
  if (x instanceof Dataset) {
    if (y !== undefined) throw new Error(`${caller}: when x is a Dataset, y must be omitted (the dataset yields [x, y] batches)`);
    if (sampleWeight !== undefined) throw new Error(`${caller}: when x is a Dataset, sampleWeight must be omitted (the dataset yields [x, y, sampleWeight] batches)`);
    return datasetBatches(caller, x);
  }
  checkBatchSize(caller, batchSize);
  return tensorBatches(checkTensorData(caller, x, y, sampleWeight), batchSize, shuffle);
}

function describeElement(element: unknown): string {
  if (element instanceof Tensor) return `a single tensor ${formatShape(element.shape)}`;
  if (Array.isArray(element)) return `an array of ${element.length}`;
  return typeof element;
}
