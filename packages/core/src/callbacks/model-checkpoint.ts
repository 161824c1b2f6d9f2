import { checkOptions } from '../util/options.js';
import { BaseCallback, type Logs } from './callback.js';
import { monitorDirection, type MonitorMode } from './monitor.js';
import { defaultWrite, type OutputOptions } from './output.js';
import { formatFixed, formatTemplate } from './python-format.js';

export interface ModelCheckpointOptions extends Pick<OutputOptions, 'write'> {
  /** Where to save; may hold `{epoch}` (1-based), `{epoch:02d}`, `{val_loss:.2f}` and other log keys. */
  filepath: string;
  /** Default 'val_loss'. */
  monitor?: string;
  /** 1 prints a line for every decision. Default 0. */
  verbose?: number;
  /** Save only when the monitored value improves on the best so far. Default false. */
  saveBestOnly?: boolean;
  /** `model.saveWeights(path)` instead of `model.save(path)`. Default false. */
  saveWeightsOnly?: boolean;
  /** Whether `monitor` improves by going down ('min') or up ('max'); 'auto' (the default) reads it from the name: down for losses and errors, up for accuracy-like scores. */
  mode?: MonitorMode;
  /** The best value to beat before the first save (with `saveBestOnly`). */
  initialValueThreshold?: number;
}

/** Saves the model (or its weights) at the end of every epoch, or only of improving ones. */
export class ModelCheckpoint extends BaseCallback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  /** The best monitored value seen. */
  best: number;
  private readonly lowerIsBetter: boolean;
  private readonly verbose: number;
  private readonly write: (text: string) => void;

  constructor(given: ModelCheckpointOptions) {
    super();
    const options = checkOptions('ModelCheckpoint', given, {
      filepath: true, monitor: true, verbose: true, saveBestOnly: true, saveWeightsOnly: true, mode: true, initialValueThreshold: true, write: true,
    });
    if (typeof options?.filepath !== 'string' || options.filepath === '') {
      throw new Error(`ModelCheckpoint: expected a non-empty filepath, got ${JSON.stringify(options?.filepath)}`);
    }
    this.filepath = options.filepath;
    this.monitor = options.monitor ?? 'val_loss';
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.verbose = options.verbose ?? 0;
    this.write = options.write ?? defaultWrite;
    this.lowerIsBetter = monitorDirection(this.monitor, options.mode ?? 'auto', 'ModelCheckpoint') === 'min';
    this.best = options.initialValueThreshold ?? (this.lowerIsBetter ? Infinity : -Infinity);
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const path = formatTemplate(this.filepath, { ...logs, epoch: epoch + 1 }, 'ModelCheckpoint');
    if (!this.shouldSave(epoch, logs, path)) return;
    const model = this.requireModel('ModelCheckpoint');
    await makeParentDirectory(path);
    if (this.saveWeightsOnly) await model.saveWeights(path);
    else await model.save(path);
  }

  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    const say = (text: string): void => {
      if (this.verbose > 0) this.write(`\nEpoch ${epoch + 1}: ${text}\n`);
    };
    if (!this.saveBestOnly) {
      say(`saving model to ${path}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      // As Keras: without the value there is nothing to compare, so save rather than lose the epoch.
      console.warn(`ModelCheckpoint: can save the best model only with '${this.monitor}' in the logs; saving anyway`);
      return true;
    }
    const best = formatFixed(this.best, 5);
    if (this.lowerIsBetter ? current < this.best : current > this.best) {
      say(`${this.monitor} improved from ${best} to ${formatFixed(current, 5)}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    say(`${this.monitor} did not improve from ${best}`);
    return false;
  }
}

/** Creates the folder a file path lives in (Node only; URL-like paths are the saver's business). */
async function makeParentDirectory(path: string): Promise<void> {
  const parent = path.replace(/[\\/][^\\/]*$/, '');
  if (parent === path || parent === '' || path.includes('://')) return;
  const fs = await import('node:fs/promises');
  await fs.mkdir(parent, { recursive: true });
}
