import { checkOptions } from '../util/options.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { NON_NEGATIVE, NON_NEGATIVE_INTEGER, numberArgument, type Requirement } from '../util/arguments.js';
import { BaseCallback, type Logs } from './callback.js';
import { monitorDirection, type MonitorMode } from './monitor.js';
import { defaultWrite, type OutputOptions } from './output.js';
import { formatRepr } from './python-format.js';
import { steerableOptimizer } from './steerable-optimizer.js';

export interface ReduceLROnPlateauOptions extends Pick<OutputOptions, 'write'> {
  /** Default 'val_loss'. */
  monitor?: string;
  /** The new rate is rate · factor; in [0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before the rate is reduced. Default 10. */
  patience?: number;
  /** 1 prints each reduction. Default 0. */
  verbose?: number;
  /** Whether `monitor` improves by going down ('min') or up ('max'); 'auto' (the default) reads it from the name: down for losses and errors, up for accuracy-like scores. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs after a reduction during which no epoch counts against patience. Default 0. */
  cooldown?: number;
  /** The rate is never reduced below this. Default 0. */
  minLr?: number;
}

const NAME = 'ReduceLROnPlateau';
const BELOW_ONE: Requirement = ['a number in [0, 1)', (x) => x >= 0 && x < 1];

/**
 * Multiplies the learning rate by `factor` when the monitored quantity has not improved for
 * `patience` epochs (Keras's ReduceLROnPlateau), then waits `cooldown` epochs before counting
 * again. Logs the rate in use during the epoch as `learning_rate`.
 */
export class ReduceLROnPlateau extends BaseCallback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs since the last improvement, not counting cooldown epochs. */
  wait = 0;
  /** Cooldown epochs still to pass. */
  cooldownCounter = 0;
  best: number;
  private readonly lowerIsBetter: boolean;
  private readonly verbose: number;
  private readonly write: (text: string) => void;

  constructor(given: ReduceLROnPlateauOptions = {}) {
    super();
    const options = checkOptions(NAME, given, { monitor: true, factor: true, patience: true, verbose: true, mode: true, minDelta: true, cooldown: true, minLr: true, write: true });
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = numberArgument(NAME, 'factor', options.factor ?? 0.1, BELOW_ONE);
    this.patience = numberArgument(NAME, 'patience', options.patience ?? 10, NON_NEGATIVE_INTEGER);
    this.minDelta = numberArgument(NAME, 'minDelta', options.minDelta ?? 1e-4, NON_NEGATIVE);
    this.cooldown = numberArgument(NAME, 'cooldown', options.cooldown ?? 0, NON_NEGATIVE_INTEGER);
    this.minLr = numberArgument(NAME, 'minLr', options.minLr ?? 0, NON_NEGATIVE);
    this.verbose = options.verbose ?? 0;
    this.write = options.write ?? defaultWrite;
    this.lowerIsBetter = monitorDirection(this.monitor, options.mode ?? 'auto', NAME) === 'min';
    this.best = this.lowerIsBetter ? Infinity : -Infinity;
  }

  /**
   * Resets the counters (instances may be reused across fits) and refuses a scheduled learning
   * rate now: Keras would fail only at the first reduction, possibly many epochs in.
   */
  onTrainBegin(): void {
    this.optimizer();
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.lowerIsBetter ? Infinity : -Infinity;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = this.optimizer();
    logs['learning_rate'] = optimizer.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`${NAME}: reducing the learning rate is conditioned on '${this.monitor}', which is not in the logs (available: ${Object.keys(logs).join(', ')})`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.isImprovement(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait++;
    if (this.wait < this.patience) return;
    const oldLr = optimizer.learningRate;
    // Keras compares in float32, where its rate is stored: a rate at minLr up to float32 rounding
    // (0.1 · 0.1 = 0.010000000000000002 against minLr 0.01) is not reduced again.
    if (!(Math.fround(oldLr) > Math.fround(this.minLr))) return;
    const newLr = Math.max(oldLr * this.factor, this.minLr);
    optimizer.learningRate = newLr;
    if (this.verbose > 0) this.write(`\nEpoch ${epoch + 1}: ${NAME} reducing learning rate to ${formatRepr(newLr)}.\n`);
    this.cooldownCounter = this.cooldown;
    this.wait = 0;
  }

  private optimizer(): Optimizer {
    return steerableOptimizer(this.requireModel(NAME), NAME);
  }

  private isImprovement(value: number): boolean {
    return this.lowerIsBetter ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }
}
