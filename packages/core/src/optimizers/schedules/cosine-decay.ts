import { LearningRateSchedule, type ScheduleSettings } from './learning-rate-schedule.js';
import { FINITE, NON_NEGATIVE, numberArgument, POSITIVE } from '../../util/arguments.js';

export interface CosineDecayConfig {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps of the cosine decay (after any warmup); must be positive. */
  decaySteps: number;
  /** The final learning rate as a fraction of the decay's starting one. Default 0. */
  alpha?: number;
  /** Rise linearly from initialLearningRate to this over warmupSteps, then decay from it. Default null: no warmup. */
  warmupTarget?: number | null;
  /** Default 0. */
  warmupSteps?: number;
  /** The schedule's name in its config. */
  name?: string;
}

/**
 * Keras's CosineDecay, with its optional linear warmup. Without warmupTarget:
 * lr = initial·((1 − alpha)·½(1 + cos(π·s/D)) + alpha) with s = min(step, D), D = decaySteps.
 * With it, step is first capped at warmupSteps + D; below warmupSteps W,
 * lr = initial + (warmupTarget − initial)·step/W, and after it the cosine above runs on
 * step − W, starting from warmupTarget.
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  readonly name: string;

  constructor(config: CosineDecayConfig) {
    super();
    const given: Partial<CosineDecayConfig> = config ?? {};
    this.initialLearningRate = numberArgument(this.className, 'initialLearningRate', given.initialLearningRate, NON_NEGATIVE);
    this.decaySteps = numberArgument(this.className, 'decaySteps', given.decaySteps, POSITIVE);
    this.alpha = numberArgument(this.className, 'alpha', given.alpha ?? 0, FINITE);
    const warmupTarget = given.warmupTarget ?? null;
    this.warmupTarget = warmupTarget === null ? null : numberArgument(this.className, 'warmupTarget', warmupTarget, NON_NEGATIVE);
    this.warmupSteps = numberArgument(this.className, 'warmupSteps', given.warmupSteps ?? 0, NON_NEGATIVE);
    this.name = given.name ?? this.className;
  }

  call(step: number): number {
    if (this.warmupTarget === null) return this.decayed(Math.min(step, this.decaySteps), this.initialLearningRate);
    const capped = Math.min(step, this.decaySteps + this.warmupSteps);
    if (capped < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (capped / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decayed(capped - this.warmupSteps, this.warmupTarget);
  }

  /** The cosine part: `from` at 0 decay steps, alpha·from at decaySteps. */
  private decayed(decayStep: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (decayStep / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  override getConfig(): ScheduleSettings {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha,
      warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps, name: this.name,
    };
  }
}
