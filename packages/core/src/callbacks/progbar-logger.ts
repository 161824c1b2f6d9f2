import type { Callback, Logs, TrainingParams } from './callback.js';
import { defaultWrite } from './output.js';
import { ProgressBar, type ProgressBarOptions } from './progress-bar.js';

/** Clock and output of the bars; verbosity comes from the constructor or from `setParams`. */
export type ProgbarLoggerOptions = Omit<ProgressBarOptions, 'verbose' | 'width' | 'interval' | 'unitName'>;

/**
 * Prints `Epoch e/E` (when there is more than one epoch) and a progress bar per epoch, as Keras's
 * ProgbarLogger. In `fit`, validation runs silently and its `val_*` results join the epoch's last
 * line; on its own, `evaluate` shows a bar with its metrics and `predict` one without.
 */
export class ProgbarLogger implements Callback {
  private verbose: number;
  private epochs = 1;
  private target: number | null = null;
  private seen = 0;
  private bar: ProgressBar | null = null;
  private inFit = false;

  /** @param verbose 1 a live bar, 2 one line per epoch; default: the `verbose` of `setParams`. */
  constructor(private readonly fixedVerbose?: number, private readonly options: ProgbarLoggerOptions = {}) {
    this.verbose = fixedVerbose ?? 1;
  }

  setParams(params: TrainingParams): void {
    this.verbose = this.fixedVerbose ?? params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps;
  }

  onTrainBegin(): void {
    this.inFit = true;
  }

  onTrainEnd(): void {
    this.inFit = false;
  }

  onEpochBegin(epoch: number): void {
    this.startBar();
    if (this.verbose && this.epochs > 1) (this.options.write ?? defaultWrite)(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  onBatchEnd(batch: number, logs?: Logs): void {
    this.step(batch, logs);
  }

  onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finish(logs);
  }

  onTestBegin(): void {
    if (!this.inFit) this.startBar();
  }

  onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.inFit) this.step(batch, logs);
  }

  onTestEnd(logs?: Logs): void {
    if (!this.inFit) this.finish(logs);
  }

  onPredictBegin(): void {
    this.startBar();
  }

  onPredictBatchEnd(batch: number): void {
    this.step(batch);
  }

  onPredictEnd(): void {
    this.finish();
  }

  private startBar(): void {
    this.seen = 0;
    this.bar = this.verbose ? new ProgressBar(this.target, { ...this.options, verbose: this.verbose }) : null;
  }

  private step(batch: number, logs?: Logs): void {
    this.seen = batch + 1;
    if (this.verbose === 1) this.bar?.update(this.seen, logs, false);
  }

  private finish(logs: Logs = {}): void {
    if (!this.bar) return;
    // Once an epoch has run, its length is known for the epochs after it.
    if (this.target === null) this.target = this.seen;
    this.bar.target = this.target;
    // Keys the batches did not show (val_ results, then what callbacks before this one added,
    // such as learning_rate) follow in the order fit and those callbacks added them, as Keras 3.
    this.bar.update(this.target, logs, true);
    this.bar = null;
  }
}
