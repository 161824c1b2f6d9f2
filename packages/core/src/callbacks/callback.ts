import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';

/** Scalar results passed to callbacks: `{loss: 0.43, accuracy: 0.88, val_loss: ...}`. */
export type Logs = Record<string, number>;

/** What `fit`, `evaluate` and `predict` tell callbacks before they start. */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch, or null when the data's length is unknown. */
  steps: number | null;
  verbose: number;
}

/**
 * What callbacks need of a model. Structural, so callbacks do not depend on the models folder.
 * `getWeights` may return the live variables: callbacks copy what they keep and never dispose
 * what it returns; `setWeights` copies the given values into the model's weights.
 */
export interface TrainableModel {
  readonly name: string;
  /** Set by a callback to end `fit` after the current batch / epoch. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  save(path: string): Promise<void>;
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
  setModel?(model: unknown): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  onTestBegin?(logs?: Logs): void | Promise<void>;
  onTestBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onTestBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  onTestEnd?(logs?: Logs): void | Promise<void>;
  onPredictBegin?(logs?: Logs): void | Promise<void>;
  onPredictBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onPredictBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
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
