import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';

/** Scalar results passed to callbacks: `{loss: 0.43, accuracy: 0.88, val_loss: ...}`. */
export type Logs = Record<string, number>;

/** What `fit`, `evaluate` and `predict` tell callbacks before they start. */
export interface TrainingParams {
  /** How many epochs `fit` runs (1 for `evaluate` and `predict`). */
  epochs: number;
  /** Batches per epoch, or null when the data's length is unknown. */
  steps: number | null;
  /** The verbosity the call was given: 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: number;
}

/**
 * What callbacks need of a model. Structural, so callbacks do not depend on the models folder.
 * `getWeights` may return the live variables: callbacks copy what they keep and never dispose
 * what it returns; `setWeights` copies the given values into the model's weights.
 */
export interface TrainableModel {
  /** The model's name. */
  readonly name: string;
  /** Set by a callback to end `fit` after the current batch / epoch. */
  stopTraining: boolean;
  /** The weights, in the model's order. */
  getWeights(): Tensor[];
  /** Copies the values into the weights, in the model's order. */
  setWeights(weights: Tensor[]): void;
  /** Writes the whole model (architecture, weights, optimizer state) to `path`. */
  save(path: string): Promise<void>;
  /** Writes the weights only to `path`. */
  saveWeights(path: string): Promise<void>;
  /** The compiled optimizer, for callbacks that steer the learning rate. */
  readonly optimizer?: Optimizer | null;
}

/**
 * A training callback: any object with some of these hooks (a plain object literal works).
 * Batch and epoch indices are 0-based. A hook may return a Promise; `CallbackList` awaits each
 * in turn.
 */
export interface Callback {
  /** Called first by `fit`, `evaluate` and `predict` with the model they run. */
  setModel?(model: unknown): void;
  /** Called after `setModel` with the run's epochs, steps and verbosity. */
  setParams?(params: TrainingParams): void;
  /** At the start of `fit`. */
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** At the end of `fit`, with the last epoch's logs. */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  /** Before each epoch of `fit`, numbered from 0. */
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  /** After each epoch of `fit`, with its loss and metrics, and the validation's (`val_` names) when there is validation data. */
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Before each training batch, numbered from 0 in its epoch. */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each training batch, with the loss and metrics averaged over the epoch so far. */
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** At the start of `evaluate`, and of the validation at the end of each epoch of `fit`. */
  onTestBegin?(logs?: Logs): void | Promise<void>;
  /** Before each batch of an evaluation. */
  onTestBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each batch of an evaluation, with the loss and metrics so far. */
  onTestBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** At the end of an evaluation, with its loss and metrics. */
  onTestEnd?(logs?: Logs): void | Promise<void>;
  /** At the start of `predict`. */
  onPredictBegin?(logs?: Logs): void | Promise<void>;
  /** Before each batch of `predict`. */
  onPredictBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each batch of `predict`. */
  onPredictBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** At the end of `predict`. */
  onPredictEnd?(logs?: Logs): void | Promise<void>;
}

/** A base for callbacks that act on the model: keeps what `setModel` / `setParams` give. */
export class BaseCallback implements Callback {
  protected model: TrainableModel | null = null;
  protected params: TrainingParams | null = null;

  setModel(model: unknown): void {
    this.model = model as TrainableModel;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  /** The model, or an error naming `who` when no one called `setModel`. */
  protected requireModel(who: string): TrainableModel {
    if (this.model === null) throw new Error(`${who}: no model; fit calls setModel before training (or call it yourself)`);
    return this.model;
  }
}
