/** Serializable settings of a schedule, as Keras's `get_config()` (camelCased) returns them. */
export type ScheduleSettings = Record<string, number | boolean | string | null | readonly number[]>;

/** A schedule as saved inside an optimizer's config: its class and its settings. */
export type SavedSchedule = {
  className: string;
  config: ScheduleSettings;
};

/**
 * The learning rate as a function of the optimizer's step (Keras's
 * `keras.optimizers.schedules.LearningRateSchedule`). Pass one as an optimizer's `learningRate`:
 * each `applyGradients` uses `call(iterations)`, the number of updates made before it. Where
 * Python writes `schedule(step)`, write `schedule.call(step)`.
 *
 * Subclass it for a schedule of your own: implement `call`, and `getConfig` if the optimizer is
 * to be saved with a model (loading needs the class to be one of the built-in schedules).
 */
export abstract class LearningRateSchedule {
  /** The Keras class name, written to saved configs. */
  abstract readonly className: string;

  /** The learning rate for `step` (0 for the first update). */
  abstract call(step: number): number;

  getConfig(): ScheduleSettings {
    throw new Error(`Learning rate schedule '${this.className}' must override getConfig() to be saved`);
  }
}
