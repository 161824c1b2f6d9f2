import type { Callback, Logs } from '../callbacks/index.js';
import { dispose } from '../engine/memory.js';
import { concat } from '../ops/concat.js';
import { clone } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import type { LayerOutput } from '../layers/layer.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBatchSize } from './batches.js';
import type { Coroutine } from './coroutine.js';
import type { Model } from './model.js';
import { checkModelInput, disposeTensors, mapTensors, samplesIn, tensorsOf, type ModelInput } from './model-input.js';

/**
 * What onPredictBatchEnd receives, as Keras 3: `outputs`, the batch's output (a list for a model
 * of several outputs). The tensors belong
 * to predict, which concatenates them into the result: read them in the hook, do not dispose them.
 * When the call returns they are freed (or, when there was a single batch, they are the result),
 * so clone them to keep them. Logs are typed as numbers; read them as `(logs as PredictBatchLogs).outputs`.
 */
export type PredictBatchLogs = Logs & { readonly outputs: LayerOutput };

/** The hooks the predict loop calls; predictAsync awaits what they return. */
export type PredictHooks = Pick<Callback, 'onPredictBegin' | 'onPredictBatchBegin' | 'onPredictBatchEnd' | 'onPredictEnd'>;

/**
 * The input batches of one predict call. Each batch stays the iterator's: it frees the batch when
 * asked for the next one or when closed, so the loop never frees an input.
 */
export type InputBatches = Iterator<ModelInput, void, undefined> | AsyncIterator<ModelInput, void, undefined>;

/** Batches of rows of a tensor input, and how many there are. */
export interface TensorInput {
  batches: Generator<ModelInput, void, undefined>;
  count: number;
}

/** `x` in batches of `batchSize` rows; x itself when it fits in one, to skip a copy. */
function* rowBatches(x: ModelInput, batchSize: number): Generator<ModelInput, void, undefined> {
  const n = samplesIn(x);
  if (n <= batchSize) {
    yield x;
    return;
  }
  for (let start = 0; start < n; start += batchSize) {
    const batch = mapTensors(x, (t) => slice(t, start, Math.min(batchSize, n - start)));
    try {
      yield batch;
    } finally {
      disposeTensors(batch);
    }
  }
}

/**
 * x given to predict or predictAsync, checked, as batches of `batchSize` rows. `alternative`
 * names what else the caller takes, for the error.
 */
export function tensorInput(caller: string, given: unknown, batchSize: number, alternative?: string): TensorInput {
  const x = checkModelInput(caller, given, alternative);
  checkBatchSize(caller, batchSize);
  // No rows is still one (empty) batch: the result then has no rows either.
  return { batches: rowBatches(x, batchSize), count: Math.max(1, Math.ceil(samplesIn(x) / batchSize)) };
}

/**
 * `output` with each tensor that is one of the batch's inputs (a model passing its input through,
 * as Dropout does at inference) cloned: the batch belongs to its iterator or the caller, the
 * result to predict's caller.
 */
export function ownOutput(output: LayerOutput, batch: ModelInput): LayerOutput {
  const inputs = tensorsOf(batch);
  const own = (t: Tensor) => (inputs.includes(t) ? clone(t) : t);
  return Array.isArray(output) ? output.map(own) : own(output as Tensor);
}

/**
 * Keras's predict loop: predictStep on each batch (the first `steps` at most), the predict hooks
 * around it, the outputs concatenated along the first axis, each output of a model of several
 * apart (the caller owns the result). Written once as a coroutine (see coroutine.ts) for predict
 * and predictAsync.
 */
export function* predictLoop(caller: string, model: Model, batches: InputBatches, hooks: PredictHooks, steps = Infinity): Coroutine<LayerOutput> {
  const outputs: LayerOutput[] = [];
  try {
    yield hooks.onPredictBegin?.({});
    for (let step = 0; step < steps; step++) {
      const next = (yield batches.next()) as IteratorResult<ModelInput, void>;
      if (next.done) break;
      yield hooks.onPredictBatchBegin?.(step, {});
      const output = ownOutput(model.predictStep(next.value), next.value);
      outputs.push(output);
      yield hooks.onPredictBatchEnd?.(step, { outputs: output } as PredictBatchLogs);
    }
    if (outputs.length === 0) throw new Error(`${caller}: the data yielded no batches`);
    yield hooks.onPredictEnd?.({});
    if (outputs.length === 1) return outputs.pop()!;
    const first = outputs[0]!;
    return Array.isArray(first) ? first.map((_, i) => concat(outputs.map((batch) => (batch as Tensor[])[i]!), 0)) : concat(outputs as Tensor[], 0);
  } finally {
    dispose(outputs);
    // Frees the batch in hand, and what the input pipeline still buffers, when the loop ends early.
    yield batches.return?.();
  }
}
