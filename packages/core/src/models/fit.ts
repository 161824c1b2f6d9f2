import type { Callback, History, Logs } from '../callbacks/index.js';
import { Dataset } from '../data/index.js';
import { dispose } from '../engine/memory.js';
import { slice } from '../ops/slice.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { checkBatchSize, checkFinite, checkSameLength, limitSteps, toBatchSource, type BatchSource } from './batches.js';
import { callbackListFor, historyFor } from './default-callbacks.js';
import { testLoop } from './evaluate.js';
import type { Model } from './model.js';
import { checkOptions } from './options.js';

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Rows per batch for tensor inputs (default 32); a Dataset is already batched. */
  batchSize?: number;
  /** Evaluated after each epoch; its results are logged as `val_` + name. */
  validationData?: readonly [Tensor, Tensor] | Dataset<unknown>;
  /** Fraction of the tensors (their last rows, before shuffling) kept for validation. */
  validationSplit?: number;
  /** Rows per validation batch; default batchSize. */
  validationBatchSize?: number;
  /** Shuffle tensor inputs before each epoch, from the seeded generator. Default true. */
  shuffle?: boolean;
  callbacks?: readonly Callback[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start at (to resume a run); epochs counts from 0 regardless. */
  initialEpoch?: number;
  /**
   * Batches per epoch (Keras's steps_per_epoch); each epoch continues where the last stopped.
   * Required for a dataset that never ends. Default: one pass over the data.
   */
  stepsPerEpoch?: number;
  /** Validation batches per epoch, likewise; required for validation data that never ends. */
  validationSteps?: number;
}

const FIT_OPTIONS: Record<keyof FitOptions, true> = {
  epochs: true, batchSize: true, validationData: true, validationSplit: true, validationBatchSize: true, shuffle: true,
  callbacks: true, verbose: true, initialEpoch: true, stepsPerEpoch: true, validationSteps: true,
};

/** Validation data as a BatchSource plus the tensors made for it (freed after fit). */
interface Split {
  train: BatchSource;
  validation: BatchSource | null;
  owned: Tensor[];
}

function prepare(x: unknown, y: Tensor | undefined, options: FitOptions): Split {
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? true;
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`fit: validationSplit must be in [0, 1), got ${split}`);
  if (split > 0 && options.validationData !== undefined) throw new Error('fit: give either validationData or validationSplit, not both');
  const validationBatchSize = options.validationBatchSize ?? batchSize;
  const owned: Tensor[] = [];
  try {
    let train: BatchSource;
    let validation: BatchSource | null = null;
    if (split > 0) {
      if (x instanceof Dataset) throw new Error('fit: validationSplit needs tensor inputs; with a Dataset pass validationData instead');
      checkBatchSize('fit', batchSize);
      checkSameLength('fit', x, y);
      const n = x.shape[0]!;
      const trainRows = Math.floor(n * (1 - split));
      if (trainRows === 0 || trainRows === n) throw new Error(`fit: validationSplit ${split} of ${n} samples leaves ${trainRows} for training and ${n - trainRows} for validation; both must be non-empty`);
      const parts = [slice(x, 0, trainRows), slice(y!, 0, trainRows), slice(x, trainRows), slice(y!, trainRows)] as const;
      owned.push(...parts);
      train = toBatchSource('fit', parts[0], parts[1], batchSize, shuffle);
      validation = toBatchSource('fit', parts[2], parts[3], validationBatchSize, false);
    } else {
      train = toBatchSource('fit', x, y, batchSize, shuffle);
    }
    if (options.validationData !== undefined) {
      const data = options.validationData;
      if (data instanceof Dataset) {
        validation = toBatchSource('fit (validationData)', data, undefined, validationBatchSize, false);
      } else if (Array.isArray(data) && data.length === 2) {
        validation = toBatchSource('fit (validationData)', data[0], data[1], validationBatchSize, false);
        checkSameFeatures(x, data[0] as Tensor);
      } else {
        invalidValidationData(data);
      }
    }
    return {
      train: withSteps(train, options.stepsPerEpoch, 'stepsPerEpoch'),
      validation: validation && withSteps(validation, options.validationSteps, 'validationSteps'),
      owned,
    };
  } catch (error) {
    // Slices made for validationSplit belong to fit until it returns.
    dispose(owned);
    throw error;
  }
}

/** `source` bounded to `steps` batches per epoch when given; otherwise it must end by itself. */
function withSteps(source: BatchSource, steps: number | undefined, option: string): BatchSource {
  if (steps !== undefined) return limitSteps(`fit: ${option}`, source, steps);
  checkFinite('fit', source, option);
  return source;
}

/** Training and validation samples must match before the first epoch changes any weight. */
function checkSameFeatures(x: unknown, xValidation: Tensor): void {
  if (x instanceof Tensor && !shapesEqual(x.shape.slice(1), xValidation.shape.slice(1))) {
    throw new Error(`fit: validationData x ${formatShape(xValidation.shape)} has samples of shape ${formatShape(xValidation.shape.slice(1))}, the training x ${formatShape(x.shape)} has ${formatShape(x.shape.slice(1))}`);
  }
}

function invalidValidationData(data: unknown): never {
  throw new Error(`fit: validationData must be [xVal, yVal] tensors or a Dataset of [x, y] batches, got ${Array.isArray(data) ? `an array of ${data.length}` : typeof data}`);
}

/** Keras's `fit` loop: epochs of trainStep over batches, callbacks around each, validation after each epoch. */
export async function runFit(model: Model, x: unknown, y: Tensor | undefined, options: FitOptions): Promise<History> {
  model.requireCompiled('fit');
  checkOptions('fit', options, FIT_OPTIONS);
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  const verbose = options.verbose ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const { train, validation, owned } = prepare(x, y, options);

  const history = historyFor(options.callbacks);
  const callbacks = callbackListFor(model, options.callbacks, verbose, history);
  callbacks.setParams({ epochs, steps: train.steps, verbose });
  model.history = history;
  model.stopTraining = false;
  try {
    await callbacks.onTrainBegin({});
    let epochLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      model.resetMetrics();
      await callbacks.onEpochBegin(epoch, {});
      let step = 0;
      let logs: Logs = {};
      for await (const [xBatch, yBatch] of train.batches()) {
        await callbacks.onBatchBegin(step, {});
        try {
          logs = model.trainStep(xBatch, yBatch);
        } finally {
          dispose([xBatch, yBatch]);
        }
        await callbacks.onBatchEnd(step, logs);
        step++;
        if (model.stopTraining) break;
      }
      if (step === 0) throw new Error('fit: the training data yielded no batches');
      epochLogs = { ...logs };
      if (validation) {
        const validationLogs = await testLoop(model, validation, callbacks);
        for (const [name, value] of Object.entries(validationLogs)) epochLogs[`val_${name}`] = value;
      }
      await callbacks.onEpochEnd(epoch, epochLogs);
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd(epochLogs);
  } finally {
    await train.close?.();
    await validation?.close?.();
    dispose(owned);
  }
  return history;
}
