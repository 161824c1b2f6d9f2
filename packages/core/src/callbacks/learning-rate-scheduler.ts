import { checkOptions } from '../util/options.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { describeValue } from '../util/arguments.js';
import { BaseCallback, type Logs } from './callback.js';
import { defaultWrite, type OutputOptions } from './output.js';
import { formatRepr } from './python-format.js';
import { steerableOptimizer } from './steerable-optimizer.js';

const NAME = 'LearningRateScheduler';

/** The learning rate for an epoch (0-based), given the rate in use now. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerOptions extends Pick<OutputOptions, 'write'> {
  /** 1 prints each rate set. Default 0. */
  verbose?: number;
}

/**
 * Sets the optimizer's learning rate at the start of every epoch to `schedule(epoch, rate)`, and
 * logs the rate as `learning_rate` at the end of the epoch (Keras's LearningRateScheduler).
 */
export class LearningRateScheduler extends BaseCallback {
  readonly schedule: EpochSchedule;
  private readonly verbose: number;
  private readonly write: (text: string) => void;

  constructor(schedule: EpochSchedule, given: LearningRateSchedulerOptions = {}) {
    super();
    const options = checkOptions(NAME, given, { verbose: true, write: true });
    if (typeof schedule !== 'function') throw new Error(`${NAME}: schedule must be a function (epoch, learningRate) => learningRate, got ${describeValue(schedule)}`);
    this.schedule = schedule;
    this.verbose = options.verbose ?? 0;
    this.write = options.write ?? defaultWrite;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.optimizer();
    const learningRate = this.schedule(epoch, optimizer.learningRate);
    if (typeof learningRate !== 'number' || !(learningRate >= 0)) {
      throw new Error(`${NAME}: the schedule must return a non-negative number, got ${describeValue(learningRate)} for epoch ${epoch}`);
    }
    optimizer.learningRate = learningRate;
    if (this.verbose > 0) this.write(`\nEpoch ${epoch + 1}: ${NAME} setting learning rate to ${formatRepr(learningRate)}.\n`);
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs['learning_rate'] = this.optimizer().learningRate;
  }

  private optimizer(): Optimizer {
    return steerableOptimizer(this.requireModel(NAME), NAME);
  }
}
