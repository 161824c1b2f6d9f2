import { checkOptions } from '../util/options.js';
import { tidy } from '../engine/memory.js';
import { sub, mul } from '../ops/arithmetic.js';
import { scalar } from '../ops/convert.js';
import { fill } from '../ops/creation.js';
import { reshape } from '../ops/reshape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { booleanArgument, describeValue } from '../util/arguments.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { clipByNorm, clipElements } from './clip-gradient.js';
import { checkedPairs, zipPairs, type GradientPair } from './gradient-pairs.js';
import { accumulate, accumulatedMean, accumulationStepsOf, resetAccumulator } from './gradient-accumulation.js';
import { checkMovingAverage, updateAverage } from './moving-average.js';
import { saveSchedule } from './schedules/get-schedule.js';
import { LearningRateSchedule, type SavedSchedule } from './schedules/learning-rate-schedule.js';

/** Settings every optimizer takes (Keras's base optimizer arguments, camelCased). */
export interface OptimizerConfig {
  /** A fixed rate, or a schedule evaluated at `iterations` before each update. */
  learningRate?: number | LearningRateSchedule;
  /** Rescale each variable's gradient to this L2 norm at most; 0 (or unset) is off, as in Keras. */
  clipnorm?: number;
  /** Clip each gradient element to [−clipvalue, clipvalue]; 0 (or unset) is off, as in Keras. */
  clipvalue?: number;
  /**
   * Rescale all of a step's gradients together so their joint L2 norm is at most this (Keras's
   * global_clipnorm); 0 (or unset) is off.
   */
  globalClipnorm?: number;
  /** Decoupled weight decay: variable −= variable · weightDecay · learningRate before each update. */
  weightDecay?: number;
  /**
   * Keep an exponential moving average of every variable the optimizer updates (Keras's
   * use_ema), updated after each step. Default false.
   */
  useEma?: boolean;
  /** average = emaMomentum · average + (1 − emaMomentum) · variable. Default 0.99. */
  emaMomentum?: number;
  /**
   * Overwrite the variables with their averages every this many updates. Unset: only
   * `finalizeVariableValues()` does, which `fit` calls after its last epoch.
   */
  emaOverwriteFrequency?: number;
  /**
   * Gather the gradients of this many `applyGradients` calls and update only on every n-th,
   * with their mean (Keras's gradient_accumulation_steps, an integer ≥ 2). `iterations` then
   * counts updates; learning-rate schedules still see every call.
   */
  gradientAccumulationSteps?: number;
  /** The optimizer's name in its errors, warnings and saved config. Default: its Keras name ('adam', 'rmsprop', 'SGD'). */
  name?: string;
}

/** A subclass's own options (those OptimizerConfig lacks), each listed once. */
export type OwnOptions<C extends OptimizerConfig> = Record<Exclude<keyof C, keyof OptimizerConfig>, true>;

/**
 * Every option of OptimizerConfig: each optimizer refuses an option it does not know
 * (checkOptions). The moving-average and accumulation options come after a subclass's own in
 * the list an error shows.
 */
const STEP_OPTIONS: Record<'useEma' | 'emaMomentum' | 'emaOverwriteFrequency' | 'gradientAccumulationSteps', true> = {
  useEma: true, emaMomentum: true, emaOverwriteFrequency: true, gradientAccumulationSteps: true,
};
const OPTIMIZER_OPTIONS: Record<Exclude<keyof OptimizerConfig, keyof typeof STEP_OPTIONS>, true> = {
  learningRate: true, clipnorm: true, clipvalue: true, globalClipnorm: true, weightDecay: true, name: true,
};

/** The state Keras's base optimizer keeps per variable, beside a subclass's slots (named as slots are). */
const AVERAGE = 'average';
const ACCUMULATOR = 'gradientAccumulator';

/**
 * Serializable settings, as `getConfig()` returns them; unset options are null, as in Keras. A
 * learning-rate schedule is saved as `{className, config}`.
 */
export type OptimizerSettings = Record<string, number | boolean | string | null | SavedSchedule>;

/** The per-variable state slots of one variable, by slot name. */
export type Slots = Readonly<Record<string, Variable>>;

/**
 * Base of every optimizer, with Keras 3's `apply_gradients` semantics: gradients are clipped
 * (clipnorm, globalClipnorm or clipvalue), weight decay is applied, then each variable gets its
 * update and `iterations` grows by one. A null gradient is skipped with a warning; all null is an error.
 * With gradientAccumulationSteps n, a call only adds its gradients to accumulators, except every
 * n-th, which updates with the mean of the n. With useEma, every call then moves the moving
 * averages.
 *
 * State slots (momentums, ...) are Variables, made lazily the first time a variable is updated
 * (or by `build`), so tidy never frees them; `dispose()` does. Every update runs inside tidy and
 * writes with `variable.assign`, so a step leaves `memory().numTensors` unchanged once the slots
 * exist.
 */
export abstract class Optimizer {
  abstract readonly className: string;
  readonly name: string;
  readonly clipnorm: number | undefined;
  readonly clipvalue: number | undefined;
  readonly globalClipnorm: number | undefined;
  readonly weightDecay: number | undefined;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | undefined;
  readonly gradientAccumulationSteps: number | undefined;
  /** applyGradients calls so far (Keras's `_iterations`); `iterations` counts updates. */
  private steps = 0;
  private rate: number | LearningRateSchedule;
  /** Slots per variable, in the order variables were first seen: the order of getWeights. */
  private readonly slots = new Map<Variable, Slots>();
  private readonly warnedNoGradient = new Set<string>();

  /** `options` lists the subclass's own options, beside OptimizerConfig's; an option neither has is an error naming them. */
  constructor(defaults: { learningRate: number; name: string }, given: OptimizerConfig, options: Readonly<Record<string, true>>) {
    const config = checkOptions(defaults.name, given, { ...OPTIMIZER_OPTIONS, ...options, ...STEP_OPTIONS } as Record<keyof OptimizerConfig, true>);
    this.name = config.name ?? defaults.name;
    this.rate = config.learningRate ?? defaults.learningRate;
    if (!(this.rate instanceof LearningRateSchedule)) this.rate = this.checkedRate(this.rate);
    this.clipnorm = config.clipnorm ?? undefined;
    this.clipvalue = config.clipvalue ?? undefined;
    this.globalClipnorm = config.globalClipnorm ?? undefined;
    this.weightDecay = config.weightDecay ?? undefined;
    this.useEma = booleanArgument(this.name, 'useEma', config.useEma, false);
    this.emaMomentum = config.emaMomentum ?? 0.99;
    // 0 is off, as Keras's falsy ema_overwrite_frequency.
    this.emaOverwriteFrequency = config.emaOverwriteFrequency || undefined;
    if (this.useEma) checkMovingAverage(this.name, this.emaMomentum, this.emaOverwriteFrequency);
    this.gradientAccumulationSteps = accumulationStepsOf(this.name, config.gradientAccumulationSteps);
    const clipping = ([['clipnorm', this.clipnorm], ['clipvalue', this.clipvalue], ['globalClipnorm', this.globalClipnorm]] as const)
      .filter(([, value]) => value !== undefined);
    // As in Keras, a 0 counts as set here although it turns clipping off.
    if (clipping.length > 1) {
      throw new Error(`${this.name}: only one of clipnorm, clipvalue and globalClipnorm can be set, got ${clipping.map(([option, value]) => `${option} ${value}`).join(' and ')}`);
    }
    for (const [option, value] of [...clipping, ['weightDecay', this.weightDecay]] as const) {
      if (value !== undefined && !(value >= 0)) throw new Error(`${this.name}: ${option} must be a non-negative number, got ${value}`);
    }
  }

  /**
   * Number of updates so far (Keras's `optimizer.iterations`): the `applyGradients` calls, or
   * with gradientAccumulationSteps n, the calls divided by n, rounded down.
   */
  get iterations(): number {
    return this.gradientAccumulationSteps ? Math.floor(this.steps / this.gradientAccumulationSteps) : this.steps;
  }

  /**
   * Whether `applyGradients` has run since the optimizer was made (or reset): then its state is
   * worth saving, gathered gradients included before the first update of an accumulation.
   */
  get hasState(): boolean {
    return this.steps > 0;
  }

  /**
   * The rate the next update will use (Keras's `optimizer.learning_rate`): the fixed rate, or
   * the schedule's value at the number of `applyGradients` calls so far (`iterations` unless
   * gradients are accumulated: Keras's schedules count every call).
   */
  get learningRate(): number {
    return this.rate instanceof LearningRateSchedule ? this.rate.call(this.steps) : this.rate;
  }

  /**
   * A schedule replaces whatever drove the rate. A number replaces a fixed rate only: as in
   * Keras, the rate of an optimizer created with a schedule cannot be set to a number, since the
   * schedule would silently stop applying.
   */
  set learningRate(value: number | LearningRateSchedule) {
    if (value instanceof LearningRateSchedule) {
      this.rate = value;
      return;
    }
    if (this.rate instanceof LearningRateSchedule) {
      throw new Error(`${this.name}: the learning rate follows a LearningRateSchedule (${this.rate.className}) and cannot be set to a number (got ${describeValue(value)}); create the optimizer with a number as learningRate to change it during training`);
    }
    this.rate = this.checkedRate(value);
  }

  /** The schedule driving the learning rate, or null when it is a fixed number. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.rate instanceof LearningRateSchedule ? this.rate : null;
  }

  private checkedRate(value: unknown): number {
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new Error(`${this.name}: learningRate must be a non-negative number, got ${describeValue(value)} (a LearningRateSchedule is also accepted)`);
    }
    return value;
  }

  /** Names of the slots each variable gets, in `getWeights` order; [] for plain SGD. */
  abstract get slotNames(): readonly string[];

  /** The value a new slot starts from. */
  protected slotInitialValue(_slot: string): number {
    return 0;
  }

  /** The shape of a slot of `variable`: the variable's own, unless the optimizer keeps less (Adafactor). */
  protected slotShape(_slot: string, variable: Variable): Shape {
    return variable.shape;
  }

  /** Every state Variable a variable gets: the subclass's slots, then the moving average and the gradient accumulator when on. */
  private get stateNames(): string[] {
    return [...this.slotNames, ...(this.useEma ? [AVERAGE] : []), ...(this.gradientAccumulationSteps ? [ACCUMULATOR] : [])];
  }

  /**
   * Computes and assigns one variable's update (called inside tidy). `step` is the 1-based
   * number of this update (iterations + 1), `gradient` is already clipped.
   */
  protected abstract updateStep(variable: Variable, gradient: Tensor, slots: Slots, learningRate: number, step: number): void;

  /** Updates `variables` with `gradients` (as returned by `tape.gradient`). */
  applyGradients(gradients: readonly (Tensor | null)[], variables: readonly Variable[]): void;
  /** Updates with `[gradient, variable]` pairs, Keras's `apply_gradients(zip(grads, vars))`. */
  applyGradients(pairs: readonly GradientPair[]): void;
  applyGradients(first: readonly (Tensor | null)[] | readonly GradientPair[], variables?: readonly Variable[]): void {
    const pairs = this.checkPairs(variables === undefined ? (first as readonly GradientPair[]) : zipPairs(first as readonly (Tensor | null)[], variables));
    this.build(pairs.map(([, v]) => v));
    const updates = this.iterations;
    const learningRate = this.learningRate;
    const n = this.gradientAccumulationSteps;
    tidy(() => {
      if (n === undefined || (this.steps + 1) % n === 0) this.update(pairs, learningRate, updates + 1);
      else pairs.forEach(([gradient, variable]) => accumulate(this.slots.get(variable)![ACCUMULATOR]!, gradient));
      if (this.useEma) this.updateAverages(updates);
    });
    this.steps += 1;
  }

  /** Clipping, weight decay and the subclass's update, on the mean gradient when accumulating (whose accumulators then empty). */
  private update(pairs: readonly (readonly [Tensor, Variable])[], learningRate: number, step: number): void {
    const n = this.gradientAccumulationSteps;
    const gradients = this.clipGradients(pairs.map(([gradient, variable]) => (n === undefined ? gradient : accumulatedMean(gradient, this.slots.get(variable)![ACCUMULATOR]!, n))));
    pairs.forEach(([, variable], i) => {
      if (this.weightDecay !== undefined && this.weightDecay > 0) {
        variable.assign(sub(variable, mul(variable, this.weightDecay * learningRate)));
      }
      this.updateStep(variable, gradients[i]!, this.slots.get(variable)!, learningRate, step);
    });
    // As Keras, every accumulator empties, a variable without a gradient this time included.
    if (n !== undefined) for (const slots of this.slots.values()) resetAccumulator(slots[ACCUMULATOR]!);
  }

  /**
   * Keras's moving average of every variable the optimizer holds state for, after each call (an
   * accumulating one too). `updates` is `iterations` before this call: the first update's
   * average is the variable itself, and the frequency counts updates.
   */
  private updateAverages(updates: number): void {
    const momentum = updates === 0 ? 0 : this.emaMomentum;
    const overwrite = this.emaOverwriteFrequency !== undefined && (updates + 1) % this.emaOverwriteFrequency === 0;
    for (const [variable, slots] of this.slots) {
      updateAverage(slots[AVERAGE]!, variable, momentum);
      if (overwrite) variable.assign(slots[AVERAGE]!);
    }
  }

  /**
   * Keras's `finalize_variable_values`: with useEma, each of `variables` takes its moving average
   * (`fit` calls this after its last epoch, with the model's trainable weights). A variable the
   * optimizer never updated has no average and keeps its value.
   */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    for (const variable of variables) {
      const average = this.slots.get(variable)?.[AVERAGE];
      if (average) variable.assign(average);
    }
  }

  /**
   * Keras's `_clip_gradients`. 0 means off, as Keras's `if self.clipnorm and self.clipnorm > 0`
   * (clipping to norm 0 would zero every gradient, and 0/0 an all-zero one).
   */
  private clipGradients(gradients: Tensor[]): Tensor[] {
    if (this.clipnorm) return gradients.map((g) => clipByNorm([g], this.clipnorm!)[0]!);
    if (this.globalClipnorm) return clipByNorm(gradients, this.globalClipnorm);
    if (this.clipvalue) return gradients.map((g) => clipElements(g, this.clipvalue!));
    return gradients;
  }

  /** The pairs with a gradient, checked (gradient-pairs.ts); a variable without one is warned about once. */
  private checkPairs(pairs: readonly GradientPair[]): [Tensor, Variable][] {
    const { kept, missing } = checkedPairs(this.name, pairs);
    const unwarned = missing.filter((n) => !this.warnedNoGradient.has(n));
    if (unwarned.length > 0) {
      unwarned.forEach((n) => this.warnedNoGradient.add(n));
      console.warn(`${this.name}: gradients do not exist for variables [${unwarned.join(', ')}] when minimizing the loss; they are not updated`);
    }
    return kept;
  }

  /** Creates the state slots of every variable that has none yet (Keras's `optimizer.build`). */
  build(variables: readonly Variable[]): void {
    for (const variable of variables) {
      if (this.slots.has(variable)) continue;
      const slots: Record<string, Variable> = {};
      for (const slot of this.stateNames) {
        // The base optimizer's own state is shaped like the variable and starts at zero.
        const own = this.slotNames.includes(slot);
        const initial = fill(own ? this.slotShape(slot, variable) : variable.shape, own ? this.slotInitialValue(slot) : 0, variable.dtype);
        slots[slot] = new Variable(initial, { trainable: false, name: `${variable.name}/${slot}` });
        initial.dispose();
      }
      this.slots.set(variable, slots);
    }
  }

  /**
   * The state Variables, variable by variable (in first-seen order): slots in `slotNames` order,
   * then the moving average and the gradient accumulator when on.
   */
  private slotList(): Variable[] {
    return [...this.slots.values()].flatMap((slots) => this.stateNames.map((n) => slots[n]!));
  }

  /**
   * The optimizer's state as new tensors the caller owns: the number of `applyGradients` calls
   * (an int32 scalar, Keras's `_iterations`) first, then every slot, variable by variable in the
   * order they were first updated (or built), each variable's moving average and gradient
   * accumulator after its slots.
   */
  getWeights(): Tensor[] {
    return [scalar(this.steps, 'int32'), ...this.slotList().map((s) => reshape(s, s.shape))];
  }

  /**
   * Restores `getWeights()` output. The slots must exist: update or `build` the same variables,
   * in the same order, first. The tensors are copied; the caller keeps ownership.
   */
  setWeights(weights: readonly Tensor[]): void {
    const slots = this.slotList();
    if (weights.length !== slots.length + 1) {
      throw new Error(`${this.name}.setWeights: expected ${slots.length + 1} tensors (iterations, then ${slots.length} slots), got ${weights.length}; call build(variables) first if the optimizer has not run yet`);
    }
    const [iterations, ...values] = weights;
    if (iterations!.size !== 1) throw new Error(`${this.name}.setWeights: the first tensor must be the iterations scalar, got shape ${formatShape(iterations!.shape)}`);
    // Check every slot before assigning any, so a bad list leaves the optimizer untouched.
    slots.forEach((slot, i) => {
      const value = values[i]!;
      if (!shapesEqual(value.shape, slot.shape) || value.dtype !== slot.dtype) {
        throw new Error(`${this.name}.setWeights: slot '${slot.name}' expects ${slot.dtype} ${formatShape(slot.shape)}, got ${value.dtype} ${formatShape(value.shape)}`);
      }
    });
    const step = iterations!.dataSync()[0]!;
    slots.forEach((slot, i) => slot.assign(values[i]!));
    this.steps = step;
  }

  getConfig(): OptimizerSettings {
    return {
      name: this.name, learningRate: this.rate instanceof LearningRateSchedule ? saveSchedule(this.rate) : this.rate,
      clipnorm: this.clipnorm ?? null, clipvalue: this.clipvalue ?? null, globalClipnorm: this.globalClipnorm ?? null,
      weightDecay: this.weightDecay ?? null, useEma: this.useEma, emaMomentum: this.emaMomentum,
      emaOverwriteFrequency: this.emaOverwriteFrequency ?? null, gradientAccumulationSteps: this.gradientAccumulationSteps ?? null,
    };
  }

  /** Frees every slot Variable; the optimizer starts afresh if used again. */
  dispose(): void {
    for (const slot of this.slotList()) slot.dispose();
    this.slots.clear();
    this.steps = 0;
  }
}
