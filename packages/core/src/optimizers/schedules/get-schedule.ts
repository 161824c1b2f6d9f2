import { builtIns, resolveIdentifier } from '../../util/named-registry.js';
import { CosineDecay } from './cosine-decay.js';
import { CosineDecayRestarts } from './cosine-decay-restarts.js';
import { LearningRateSchedule, type SavedSchedule } from './learning-rate-schedule.js';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';
import { ExponentialDecay, InverseTimeDecay } from './rate-decay.js';

/** What `getLearningRateSchedule` accepts: a schedule, or `{className, config}` as an optimizer's getConfig writes it. */
export type ScheduleIdentifier = LearningRateSchedule | SavedSchedule;

/**
 * A factory entry's builder. The saved config is only presumed to fit `Schedule`: its constructor
 * checks every argument, so an incomplete or wrong config fails there, naming the argument.
 */
function fromConfig<Config>(Schedule: new (config: Config) => LearningRateSchedule): (config: Record<string, unknown>) => LearningRateSchedule {
  return (config) => new Schedule(config as Config);
}

const FACTORIES = builtIns<LearningRateSchedule>('learning rate schedule', [
  ['exponentialDecay', [], fromConfig(ExponentialDecay)],
  ['inverseTimeDecay', [], fromConfig(InverseTimeDecay)],
  ['piecewiseConstantDecay', [], fromConfig(PiecewiseConstantDecay)],
  ['polynomialDecay', [], fromConfig(PolynomialDecay)],
  ['cosineDecay', [], fromConfig(CosineDecay)],
  ['cosineDecayRestarts', [], fromConfig(CosineDecayRestarts)],
]);

/** Rebuilds a saved schedule (Keras's `schedules.deserialize`); a schedule is returned as is. */
export function getLearningRateSchedule(identifier: ScheduleIdentifier): LearningRateSchedule {
  return resolveIdentifier(
    'getLearningRateSchedule', 'learning rate schedule', identifier, (x): x is LearningRateSchedule => x instanceof LearningRateSchedule, FACTORIES,
  );
}

/** `{className, config}`, the form optimizers save a schedule in (Keras's `schedules.serialize`). */
export function saveSchedule(schedule: LearningRateSchedule): SavedSchedule {
  return { className: schedule.className, config: schedule.getConfig() };
}
