import { LearningRateSchedule, type ScheduleSettings } from './learning-rate-schedule.js';
import { booleanArgument, NON_NEGATIVE, numberArgument, POSITIVE } from '../../util/arguments.js';

export interface PolynomialDecayConfig {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps to go from initialLearningRate to endLearningRate; must be positive. */
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Start a new, longer decay at each multiple of decaySteps instead of staying at the end. Default false. */
  cycle?: boolean;
  /** The schedule's name in its config. */
  name?: string;
}

/**
 * Keras's PolynomialDecay: (initial − end)·(1 − s/D)^power + end, with s = min(step, D) and
 * D = decaySteps; with `cycle`, s = step and D = decaySteps·ceil(step / decaySteps) (1 period at
 * step 0), so each cycle decays again from a little lower.
 */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(config: PolynomialDecayConfig) {
    super();
    const given: Partial<PolynomialDecayConfig> = config ?? {};
    this.initialLearningRate = numberArgument(this.className, 'initialLearningRate', given.initialLearningRate, NON_NEGATIVE);
    this.decaySteps = numberArgument(this.className, 'decaySteps', given.decaySteps, POSITIVE);
    this.endLearningRate = numberArgument(this.className, 'endLearningRate', given.endLearningRate ?? 0.0001, NON_NEGATIVE);
    this.power = numberArgument(this.className, 'power', given.power ?? 1, NON_NEGATIVE);
    this.cycle = booleanArgument(this.className, 'cycle', given.cycle, false);
    this.name = given.name ?? this.className;
  }

  call(step: number): number {
    const periods = this.cycle ? (step === 0 ? 1 : Math.ceil(step / this.decaySteps)) : 1;
    const decaySteps = this.decaySteps * periods;
    const fraction = Math.min(step, decaySteps) / decaySteps;
    return (this.initialLearningRate - this.endLearningRate) * (1 - fraction) ** this.power + this.endLearningRate;
  }

  override getConfig(): ScheduleSettings {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, endLearningRate: this.endLearningRate,
      power: this.power, cycle: this.cycle, name: this.name,
    };
  }
}
