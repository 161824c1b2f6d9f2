import { checkOptions } from '../util/options.js';
import { dispose } from '../engine/memory.js';
import { tensor } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType, Shape } from '../types.js';
import { BaseCallback, type Logs } from './callback.js';
import { monitorDirection, type MonitorMode } from './monitor.js';
import { defaultWrite, type OutputOptions } from './output.js';

export interface EarlyStoppingOptions extends Pick<OutputOptions, 'write'> {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 1 prints when it stops and restores. Default 0. */
  verbose?: number;
  /** Whether `monitor` improves by going down ('min') or up ('max'); 'auto' (the default) reads it from the name: down for losses and errors, up for accuracy-like scores. */
  mode?: MonitorMode;
  /** Training stops unless the monitored value gets better than this. */
  baseline?: number;
  /** At the end of training, put back the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to let pass before monitoring starts. Default 0. */
  startFromEpoch?: number;
}

/** Stops training when the monitored quantity has stopped improving (Keras's EarlyStopping). */
export class EarlyStopping extends BaseCallback {
  readonly monitor: string;
  readonly patience: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement that also beat the baseline. */
  wait = 0;
  /** The epoch at which training was stopped (0 while it has not stopped). */
  stoppedEpoch = 0;
  best: number;
  bestEpoch = 0;
  private readonly lowerIsBetter: boolean;
  private readonly minDelta: number;
  private readonly verbose: number;
  private readonly write: (text: string) => void;
  /**
   * Host copies of the best weights, as Keras keeps NumPy copies: no tensor memory, so a fit
   * that fails (or a callback dropped afterwards) leaves nothing allocated.
   */
  private bestWeights: { values: DataArray; shape: Shape; dtype: DType }[] | null = null;

  constructor(given: EarlyStoppingOptions = {}) {
    super();
    const options = checkOptions('EarlyStopping', given, {
      monitor: true, minDelta: true, patience: true, verbose: true, mode: true, baseline: true, restoreBestWeights: true, startFromEpoch: true, write: true,
    });
    this.monitor = options.monitor ?? 'val_loss';
    this.patience = options.patience ?? 0;
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    this.verbose = options.verbose ?? 0;
    this.write = options.write ?? defaultWrite;
    this.lowerIsBetter = monitorDirection(this.monitor, options.mode ?? 'auto', 'EarlyStopping') === 'min';
    // Signed so that `current - minDelta` must pass the reference in the improving direction.
    this.minDelta = Math.abs(options.minDelta ?? 0) * (this.lowerIsBetter ? -1 : 1);
    this.best = this.lowerIsBetter ? Infinity : -Infinity;
  }

  onTrainBegin(): void {
    // Instances may be reused across fits.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.lowerIsBetter ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.replaceBestWeights(null);
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`EarlyStopping: monitoring '${this.monitor}', which is not in the logs (available: ${Object.keys(logs).join(', ')})`);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    const model = this.requireModel('EarlyStopping');
    this.wait++;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.replaceBestWeights(model.getWeights());
      // Only restart the wait when both the previous best and the baseline are beaten.
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    // With no improvement yet, the first monitored epoch's weights are the best there are.
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.replaceBestWeights(model.getWeights());
      this.bestEpoch = epoch;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.write(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) this.write(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.\n`);
      const weights = this.bestWeights.map(({ values, shape, dtype }) => tensor(values, shape, dtype));
      try {
        this.requireModel('EarlyStopping').setWeights(weights);
      } finally {
        dispose(weights);
      }
      this.replaceBestWeights(null);
    }
  }

  private isImprovement(value: number, reference: number): boolean {
    return this.lowerIsBetter ? value - this.minDelta < reference : value - this.minDelta > reference;
  }

  /** Keeps a copy of `weights` (they may be the live variables). */
  private replaceBestWeights(weights: Tensor[] | null): void {
    this.bestWeights = weights && weights.map((w) => ({ values: w.dataSync().slice(), shape: [...w.shape], dtype: w.dtype }));
  }
}
