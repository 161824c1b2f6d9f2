import { checkOptions } from '../util/options.js';
import { BaseCallback, type Logs } from './callback.js';
import { defaultWrite, type OutputOptions } from './output.js';

/** Stops training as soon as a batch's loss is NaN or infinite, and says where. */
export class TerminateOnNaN extends BaseCallback {
  /** The message printed when training was stopped, else null. */
  message: string | null = null;
  private epoch = 0;
  private readonly write: (text: string) => void;

  constructor(given: Pick<OutputOptions, 'write'> = {}) {
    super();
    const options = checkOptions('TerminateOnNaN', given, { write: true });
    this.write = options.write ?? defaultWrite;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** Batch indices are 0-based as Keras prints them; epochs 1-based, as `Epoch e/E` shows them. */
  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs['loss'];
    if (loss === undefined || Number.isFinite(loss)) return;
    this.message = `Batch ${batch} of epoch ${this.epoch + 1}: invalid loss ${loss}, terminating training`;
    this.write(`${this.message}\n`);
    this.requireModel('TerminateOnNaN').stopTraining = true;
  }
}
