import { LearningRateSchedule, type ScheduleSettings } from './learning-rate-schedule.js';
import { booleanArgument, FINITE, NON_NEGATIVE, numberArgument, POSITIVE } from '../../util/arguments.js';

/** The arguments ExponentialDecay and InverseTimeDecay share. */
export interface RateDecayConfig {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps per decay period; must be positive. */
  decaySteps: number;
  /** ExponentialDecay multiplies the rate by it each period; InverseTimeDecay divides the initial rate by 1 + decayRate · periods. */
  decayRate: number;
  /** Decay in whole periods only (floor(step / decaySteps)). Default false. */
  staircase?: boolean;
  /** The schedule's name in its config. */
  name?: string;
}

/**
 * A schedule driven by how many decay periods have passed, p = step / decaySteps (floored with
 * `staircase`); subclasses turn p into a learning rate.
 */
abstract class RateDecay extends LearningRateSchedule {
  readonly className: string;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(className: string, config: RateDecayConfig) {
    super();
    this.className = className;
    const given: Partial<RateDecayConfig> = config ?? {};
    this.initialLearningRate = numberArgument(className, 'initialLearningRate', given.initialLearningRate, NON_NEGATIVE);
    this.decaySteps = numberArgument(className, 'decaySteps', given.decaySteps, POSITIVE);
    this.decayRate = numberArgument(className, 'decayRate', given.decayRate, FINITE);
    this.staircase = booleanArgument(className, 'staircase', given.staircase, false);
    this.name = given.name ?? className;
  }

  protected periods(step: number): number {
    const p = step / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }

  override getConfig(): ScheduleSettings {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate,
      staircase: this.staircase, name: this.name,
    };
  }
}

/** initialLearningRate · decayRate^p (Keras's ExponentialDecay). */
export class ExponentialDecay extends RateDecay {
  constructor(config: RateDecayConfig) {
    super('ExponentialDecay', config);
  }

  call(step: number): number {
    return this.initialLearningRate * this.decayRate ** this.periods(step);
  }
}

/** initialLearningRate / (1 + decayRate · p) (Keras's InverseTimeDecay). */
export class InverseTimeDecay extends RateDecay {
  constructor(config: RateDecayConfig) {
    super('InverseTimeDecay', config);
  }

  call(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.periods(step));
  }
}
