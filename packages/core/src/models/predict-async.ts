import type { Callback } from '../callbacks/index.js';
import { Dataset } from '../data/index.js';
import { dispose } from '../engine/memory.js';
import type { LayerOutput } from '../layers/layer.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { runAsynchronously } from './coroutine.js';
import { callbackListFor } from './default-callbacks.js';
import type { Model } from './model.js';
import { disposeTensors, tensorsOf, isTensorOrList, type ModelInput } from './model-input.js';
import { predictLoop, tensorInput, type InputBatches } from './predict-loop.js';

export interface PredictAsyncOptions {
  /** Rows per batch for a tensor x; default 32. A Dataset is already batched: giving it one is an error. */
  batchSize?: number;
  /**
   * 0 silent, 1 progress bar, 2 one line at the end. Default 1: Keras 3 resolves its 'auto' to 1,
   * and evaluate defaults to it too (the synchronous predict stays quiet, as tfjs's).
   */
  verbose?: 0 | 1 | 2;
  /**
   * Batches to predict (Keras's steps): the first `steps`, fewer when the data ends before.
   * Required for a dataset that never ends. Default: all.
   */
  steps?: number;
  /**
   * Awaited in turn: onPredictBegin, then onPredictBatchBegin / onPredictBatchEnd around each
   * batch, onPredictEnd. onPredictBatchEnd's logs are Keras 3's `{outputs}` (PredictBatchLogs).
   */
  /** Called at each stage of the run (see Callback); a History and, with verbose, a progress bar are added. */
  callbacks?: readonly Callback[];
}

const PREDICT_ASYNC_OPTIONS: Record<keyof PredictAsyncOptions, true> = { batchSize: true, verbose: true, steps: true, callbacks: true };

const CALLER = 'predictAsync';

/** Keras's predict: the outputs for every batch of x (a Tensor or a Dataset), with callbacks. */
export async function runPredictAsync(model: Model, x: unknown, given: PredictAsyncOptions | undefined): Promise<LayerOutput> {
  const options = checkOptions(CALLER, given, PREDICT_ASYNC_OPTIONS);
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`${CALLER}: verbose must be 0, 1 or 2, got ${JSON.stringify(verbose)}`);
  const { steps } = options;
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) throw new Error(`${CALLER}: steps must be a positive integer, got ${JSON.stringify(steps)}`);
  if (options.callbacks !== undefined && !Array.isArray(options.callbacks)) {
    throw new Error(`${CALLER}: callbacks must be an array of callbacks, got ${typeof options.callbacks}`);
  }
  const { batches, count } = inputOf(x, options.batchSize);
  if (count === Infinity && steps === undefined) throw new Error(`${CALLER}: the dataset never ends (repeat() without a count); give steps to bound it`);
  const callbacks = callbackListFor(model, options.callbacks, verbose, null);
  callbacks.setParams({ epochs: 1, steps: count === null ? steps ?? null : Math.min(count, steps ?? Infinity), verbose });
  return runAsynchronously(predictLoop(CALLER, model, batches, callbacks, steps));
}

/** x's batches and how many there are (null: unknown, Infinity: never ending). */
function inputOf(x: unknown, batchSize: number | undefined): { batches: InputBatches; count: number | null } {
  if (x instanceof Dataset) {
    if (batchSize !== undefined) throw new Error(`${CALLER}: batchSize applies to tensor inputs; a Dataset is already batched (got batchSize ${JSON.stringify(batchSize)})`);
    return { batches: datasetInputs(x), count: x.size };
  }
  return tensorInput(CALLER, x, batchSize ?? 32, 'a Dataset of batches');
}

/**
 * The x of each dataset element — x, [x], [x, y] or [x, y, sampleWeight], as Keras's predict
 * takes them — with y and the weights freed at once, since predict ignores them.
 */
async function* datasetInputs(dataset: Dataset<unknown>): AsyncGenerator<ModelInput, void, undefined> {
  for await (const element of dataset) {
    const x = inputOfElement(element);
    try {
      yield x;
    } finally {
      disposeTensors(x);
    }
  }
}

/** An element's x: the element itself when it is a tensor or tensors keyed by input name, else its first entry (a list for several inputs). */
function inputOfElement(element: unknown): ModelInput {
  if (element instanceof Tensor || (isTensorOrList(element) && !Array.isArray(element))) return element;
  if (Array.isArray(element) && element.length >= 1 && element.length <= 3 && isTensorOrList(element[0]) && (element.length < 2 || isTensorOrList(element[1])) && (element.length < 3 || element[2] instanceof Tensor)) {
    const [x, ...ignored] = element as [ModelInput, ...ModelInput[]];
    // A map may return x again as the target (an autoencoder's [x, x]): that one stays.
    dispose(ignored.flatMap(tensorsOf).filter((t) => !tensorsOf(x).includes(t)));
    return x;
  }
  dispose(element as never);
  throw new Error(`${CALLER}: expected the dataset to yield x, [x], [x, y] or [x, y, sampleWeight] tensors (x a list, or keyed by input name, for a model of several inputs), got ${describeElement(element)}`);
}

function describeElement(element: unknown): string {
  if (Array.isArray(element)) return `an array of ${element.length}${element.some((t) => !(t instanceof Tensor)) ? ' with non-tensors' : ''}`;
  if (element !== null && typeof element === 'object') return `an object with keys ${Object.keys(element).join(', ')}`;
  return typeof element;
}
