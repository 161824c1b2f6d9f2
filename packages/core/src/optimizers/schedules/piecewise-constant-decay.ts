import { LearningRateSchedule, type ScheduleSettings } from './learning-rate-schedule.js';
import { describeValue, FINITE, NON_NEGATIVE, numberArgument, type Requirement } from '../../util/arguments.js';

export interface PiecewiseConstantDecayConfig {
  /** Strictly increasing steps at which the learning rate changes. */
  boundaries: readonly number[];
  /** The learning rate up to and including each boundary, then after the last: one more than boundaries. */
  values: readonly number[];
  /** The schedule's name in its config. */
  name?: string;
}

/**
 * Keras's PiecewiseConstantDecay: values[0] while step ≤ boundaries[0], values[i] while
 * boundaries[i−1] < step ≤ boundaries[i], and the last value after the last boundary.
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(config: PiecewiseConstantDecayConfig) {
    super();
    const given: Partial<PiecewiseConstantDecayConfig> = config ?? {};
    this.boundaries = this.numberList('boundaries', given.boundaries, FINITE);
    this.values = this.numberList('values', given.values, NON_NEGATIVE);
    this.name = given.name ?? 'PiecewiseConstant';
    if (this.boundaries.length === 0 || this.values.length !== this.boundaries.length + 1) {
      throw new Error(`${this.className}: values must have one more entry than boundaries, and boundaries at least one; got ${this.boundaries.length} boundaries and ${this.values.length} values`);
    }
    this.boundaries.forEach((b, i) => {
      if (i > 0 && !(b > this.boundaries[i - 1]!)) throw new Error(`${this.className}: boundaries must be strictly increasing, got ${describeValue(this.boundaries)}`);
    });
  }

  call(step: number): number {
    const piece = this.boundaries.findIndex((boundary) => step <= boundary);
    return this.values[piece === -1 ? this.boundaries.length : piece]!;
  }

  override getConfig(): ScheduleSettings {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }

  private numberList(argument: string, list: unknown, requirement: Requirement): number[] {
    if (!Array.isArray(list)) throw new Error(`${this.className}: ${argument} must be an array of numbers, got ${describeValue(list)}`);
    return list.map((value, i) => numberArgument(this.className, `${argument}[${i}]`, value, requirement));
  }
}
