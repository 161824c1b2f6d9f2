import { LearningRateSchedule, type ScheduleSettings } from './learning-rate-schedule.js';
import { FINITE, NON_NEGATIVE, numberArgument, POSITIVE } from '../../util/arguments.js';

export interface CosineDecayRestartsConfig {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps of the first cosine period; must be positive. */
  firstDecaySteps: number;
  /** Each period lasts tMul times as many steps as the one before. Default 2. */
  tMul?: number;
  /** Each period starts from mMul times the rate the one before started from. Default 1. */
  mMul?: number;
  /** The rate each period decays to, as a fraction of initialLearningRate. Default 0. */
  alpha?: number;
  /** The schedule's name in its config. */
  name?: string;
}

/**
 * Keras's CosineDecayRestarts (SGDR, Loshchilov & Hutter 2016): a cosine decay that restarts.
 * With D = firstDecaySteps, period i (from 0) lasts D·tMul^i steps and starts at step
 * D·(1 + tMul + … + tMul^(i−1)); at fraction f of it,
 * lr = initial·((1 − alpha)·mMul^i·½(1 + cos(π·f)) + alpha).
 * With tMul < 1 the periods shrink and add up to D/(1 − tMul) steps, beyond which the rate is
 * NaN, as in Keras.
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(config: CosineDecayRestartsConfig) {
    super();
    const given: Partial<CosineDecayRestartsConfig> = config ?? {};
    this.initialLearningRate = numberArgument(this.className, 'initialLearningRate', given.initialLearningRate, NON_NEGATIVE);
    this.firstDecaySteps = numberArgument(this.className, 'firstDecaySteps', given.firstDecaySteps, POSITIVE);
    this.tMul = numberArgument(this.className, 'tMul', given.tMul ?? 2, POSITIVE);
    this.mMul = numberArgument(this.className, 'mMul', given.mMul ?? 1, NON_NEGATIVE);
    this.alpha = numberArgument(this.className, 'alpha', given.alpha ?? 0, FINITE);
    this.name = given.name ?? 'SGDRDecay';
  }

  call(step: number): number {
    const { period, fraction } = this.position(step / this.firstDecaySteps);
    const cosine = 0.5 * this.mMul ** period * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  /**
   * The period that `elapsed` (steps in units of the first period) falls in, counting from 0,
   * and the fraction of that period done.
   */
  private position(elapsed: number): { period: number; fraction: number } {
    if (this.tMul === 1) {
      const period = Math.floor(elapsed);
      return { period, fraction: elapsed - period };
    }
    // Period i starts after 1 + tMul + … + tMul^(i−1) = (1 − tMul^i) / (1 − tMul) first periods.
    const start = (i: number): number => (1 - this.tMul ** i) / (1 - this.tMul);
    let period = Math.floor(Math.log(1 - elapsed * (1 - this.tMul)) / Math.log(this.tMul));
    // The logarithms round: exactly at a restart their ratio can fall just short of the whole
    // number (with tMul 1.5, at the start of period 5), which would put the restart at the end of
    // the period before.
    if (start(period + 1) <= elapsed) period++;
    else if (start(period) > elapsed) period--;
    return { period, fraction: (elapsed - start(period)) / this.tMul ** period };
  }

  override getConfig(): ScheduleSettings {
    return {
      initialLearningRate: this.initialLearningRate, firstDecaySteps: this.firstDecaySteps,
      tMul: this.tMul, mMul: this.mMul, alpha: this.alpha, name: this.name,
    };
  }
}
