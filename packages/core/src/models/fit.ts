import type { Callback, History, Logs } from '../callbacks/index.js';
import { Dataset } from '../data/index.js';
import { dispose } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { checkBatchSize, checkFinite, checkTensorData, limitSteps, sliceData, tensorBatches, toBatchSource, type BatchSource, type TensorData } from './batches.js';
import { withClassWeight, type ClassWeight } from './class-weight.js';
import { callbackListFor, historyFor } from './default-callbacks.js';
import { testLoop } from './evaluate.js';
import { runExecutions } from './executions.js';
import type { Model } from './model.js';
import { describeTensors, tensorsOf, isTensorOrList, samplesIn, type ModelInput, type ModelTarget, type SampleWeight } from './model-input.js';
import { checkOptions } from '../util/options.js';

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Rows per batch for tensor inputs (default 32); a Dataset is already batched. */
  batchSize?: number;
  /**
   * Evaluated after each epoch; its results are logged as `val_` + name. A third tensor weighs
   * the validation samples (for the loss and compile's weightedMetrics).
   */
  validationData?: readonly [ModelInput, ModelTarget] | readonly [ModelInput, ModelTarget, SampleWeight] | Dataset<unknown>;
  /** Fraction of the tensors (their last rows, before shuffling) kept for validation. */
  validationSplit?: number;
  /** Rows per validation batch; default batchSize. */
  validationBatchSize?: number;
  /** Shuffle tensor inputs before each epoch, from the seeded generator. Default true. */
  shuffle?: boolean;
  /** Called at each stage of the run (see Callback); a History and, with verbose, a progress bar are added. */
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
  /**
   * Validate every `n` epochs (2: after epochs 2, 4, ...), or after the epochs listed (counted
   * from 1), as Keras's validation_freq. Default 1.
   */
  validationFreq?: number | readonly number[];
  /**
   * A weight per training sample ([samples], or [samples, 1]), for tensor inputs: the loss is
   * sum(loss·weight) / batch size, and compile's weightedMetrics are weighted means. A Dataset
   * gives its weights as a third element of each batch instead.
   */
  sampleWeight?: SampleWeight;
  /**
   * A weight per class index ({0: 1, 1: 5}) that becomes each training sample's weight, taken
   * from its label (the argmax of a one-hot row); classes not listed weigh 1. Training only.
   */
  classWeight?: ClassWeight;
}

const FIT_OPTIONS: Record<keyof FitOptions, true> = {
  epochs: true, batchSize: true, validationData: true, validationSplit: true, validationBatchSize: true, shuffle: true,
  callbacks: true, verbose: true, initialEpoch: true, stepsPerEpoch: true, validationSteps: true, validationFreq: true,
  sampleWeight: true, classWeight: true,
};

/** Validation data as a BatchSource plus the tensors made for it (freed after fit). */
interface Split {
  train: BatchSource;
  validation: BatchSource | null;
  owned: TensorData[];
}

function prepare(x: unknown, y: ModelTarget | undefined, options: FitOptions): Split {
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? true;
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`fit: validationSplit must be in [0, 1), got ${split}`);
  if (split > 0 && options.validationData !== undefined) throw new Error('fit: give either validationData or validationSplit, not both');
  if (options.sampleWeight !== undefined && options.classWeight !== undefined) throw new Error('fit: give either sampleWeight or classWeight, not both');
  const validationBatchSize = options.validationBatchSize ?? batchSize;
  const owned: TensorData[] = [];
  try {
    let train: BatchSource;
    let validation: BatchSource | null = null;
    if (split > 0) {
      if (x instanceof Dataset) throw new Error('fit: validationSplit needs tensor inputs; with a Dataset pass validationData instead');
      checkBatchSize('fit', batchSize);
      const data = checkTensorData('fit', x, y, options.sampleWeight);
      const n = samplesIn(data.x);
      const trainRows = Math.floor(n * (1 - split));
      if (trainRows === 0 || trainRows === n) throw new Error(`fit: validationSplit ${split} of ${n} samples leaves ${trainRows} for training and ${n - trainRows} for validation; both must be non-empty`);
      const trainData = sliceData(data, 0, trainRows);
      const validationData = sliceData(data, trainRows);
      owned.push(trainData, validationData);
      train = tensorBatches(trainData, batchSize, shuffle);
      validation = tensorBatches(validationData, validationBatchSize, false);
    } else {
      train = toBatchSource('fit', x, y, options.sampleWeight, batchSize, shuffle);
    }
    if (options.classWeight !== undefined) train = withClassWeight('fit', train, options.classWeight);
    if (options.validationData !== undefined) {
      const data = options.validationData;
      if (data instanceof Dataset) {
        validation = toBatchSource('fit (validationData)', data, undefined, undefined, validationBatchSize, false);
      } else if (Array.isArray(data) && (data.length === 2 || data.length === 3)) {
        validation = toBatchSource('fit (validationData)', data[0], data[1], data[2], validationBatchSize, false);
        checkSameFeatures(x, data[0] as ModelInput);
      } else {
        invalidValidationData(data);
      }
    }
    return {
      train: withSteps(train, options.stepsPerEpoch, 'stepsPerEpoch', 'training'),
      validation: validation && withSteps(validation, options.validationSteps, 'validationSteps', 'validation'),
      owned,
    };
  } catch (error) {
    // Slices made for validationSplit belong to fit until it returns.
    dispose(owned);
    throw error;
  }
}

/** Whether to validate after an epoch (counted from 1), from Keras's validation_freq. */
function validationSchedule(frequency: number | readonly number[]): (epoch: number) => boolean {
  if (Number.isInteger(frequency) && (frequency as number) >= 1) return (epoch) => epoch % (frequency as number) === 0;
  if (Array.isArray(frequency) && frequency.every((e) => Number.isInteger(e) && e >= 1)) return (epoch) => frequency.includes(epoch);
  throw new Error(`fit: validationFreq must be a positive integer or an array of epochs counted from 1, got ${JSON.stringify(frequency)}`);
}

/**
 * `source` bounded to `steps` batches per epoch when given; otherwise it must end by itself.
 * Data known to be empty is refused now rather than after an epoch of training.
 */
function withSteps(source: BatchSource, steps: number | undefined, option: string, what: string): BatchSource {
  if (source.steps === 0) throw new Error(`fit: the ${what} data has no batches`);
  if (steps !== undefined) return limitSteps(`fit: ${option}`, source, steps);
  checkFinite('fit', source, option);
  return source;
}

/** Training and validation samples must match before the first epoch changes any weight. */
function checkSameFeatures(x: unknown, xValidation: ModelInput): void {
  if (!isTensorOrList(x)) return;
  const [train, validation] = [tensorsOf(x), tensorsOf(xValidation)];
  const features = (tensors: readonly Tensor[]) => tensors.map((t) => t.shape.slice(1));
  if (train.length !== validation.length || features(train).some((shape, i) => !shapesEqual(shape, features(validation)[i]!))) {
    const describe = (tensors: readonly Tensor[]) => features(tensors).map(formatShape).join(', ');
    throw new Error(`fit: validationData x ${describeTensors(xValidation)} has samples of shape ${describe(validation)}, the training x ${describeTensors(x)} has ${describe(train)}`);
  }
}

function invalidValidationData(data: unknown): never {
  throw new Error(`fit: validationData must be [xVal, yVal] or [xVal, yVal, sampleWeightVal] tensors or a Dataset of [x, y] batches, got ${Array.isArray(data) ? `an array of ${data.length}` : typeof data}`);
}

/** Keras's `fit` loop: epochs of trainStep over batches, callbacks around each, validation after each epoch. */
export async function runFit(model: Model, x: unknown, y: ModelTarget | undefined, given: FitOptions): Promise<History> {
  const compiled = model.requireCompiled('fit');
  const options = checkOptions('fit', given, FIT_OPTIONS);
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  const verbose = options.verbose ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const shouldValidate = validationSchedule(options.validationFreq ?? 1);
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
      const { steps, logs } = await runExecutions(compiled, train.batches(), compiled.spec.stepsPerExecution, (batch) => model.trainStep(...batch), {
        begin: (step) => callbacks.onBatchBegin(step, {}),
        end: (step, stepLogs) => callbacks.onBatchEnd(step, stepLogs),
        stop: () => model.stopTraining,
      });
      if (steps === 0) throw new Error('fit: the training data yielded no batches');
      epochLogs = { ...logs };
      if (validation && shouldValidate(epoch + 1)) {
        const validationLogs = await testLoop('fit (validationData)', model, validation, callbacks);
        for (const [name, value] of Object.entries(validationLogs)) epochLogs[`val_${name}`] = value;
      }
      await callbacks.onEpochEnd(epoch, epochLogs);
      if (model.stopTraining) break;
    }
    // As Keras's fit: an optimizer keeping moving averages (useEma) gives them to the weights now.
    if (epochs > 0) compiled.spec.optimizer.finalizeVariableValues(model.trainableWeights);
    await callbacks.onTrainEnd(epochLogs);
  } finally {
    await train.close?.();
    await validation?.close?.();
    dispose(owned);
  }
  return history;
}
