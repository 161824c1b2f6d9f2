import type { Logs } from '../callbacks/index.js';
import type { LayerOutput } from '../layers/layer.js';
import { Loss } from '../losses/index.js';
import { Mean, type Metric } from '../metrics/index.js';
import { Optimizer } from '../optimizers/index.js';
import { add, mul } from '../ops/arithmetic.js';
import { Tensor } from '../tensor/tensor.js';
import { compiledOutputs, resolveCompileArgs, type CompileArgs, type CompiledMetric, type CompiledOutput, type CompileSpec } from './compile.js';
import { lazyLogs } from './lazy-logs.js';
import { describeTensors, tensorsOf, type ModelTarget, type SampleWeight } from './model-input.js';
import { lossWeights, metricWeights } from './masked-weights.js';

/**
 * What `compile` sets up and the training and test steps update: compile's losses and metrics
 * matched to the model's outputs, and the running means of the loss (Keras 3's loss tracker)
 * and, for a model of several outputs, of each output's loss. A model whose outputs are known
 * (a functional one) matches them when compiled; another is assumed to have one output until its
 * first step shows what `call` returns.
 */
export class CompiledState {
  #outputs: CompiledOutput[] | null;
  #assumed: boolean;
  /** The running mean of the loss, each batch's weighted by its size (Keras 3's loss tracker). */
  readonly #lossTracker = new Mean({ name: 'loss' });
  /** The same for each output's loss, when several outputs have one. */
  #outputLossTrackers: Mean[] = [];
  /** Each output's loss in the step in progress (null: no loss), tracked when the step is done. */
  #stepOutputLosses: (Tensor | null)[] = [];
  #readsDeferred = false;
  /** compile's arguments, resolved to objects. */
  readonly spec: CompileSpec;
  /** Whether the optimizer is the model's own (compile made it from a name or a config), which the model frees. */
  ownsOptimizer: boolean;

  /** `model` names the model in errors; `args` are compile's; `outputNames` are the outputs' names, when known. */
  constructor(readonly model: string, readonly args: CompileArgs, outputNames: readonly string[] | null) {
    this.spec = resolveCompileArgs(args);
    this.ownsOptimizer = !(args.optimizer instanceof Optimizer);
    this.#assumed = outputNames === null;
    this.#outputs = outputNames
      ? compiledOutputs(this.spec, outputNames)
      : impliesSeveralOutputs(this.spec) ? null : compiledOutputs(this.spec, ['output_1']);
  }

  /**
   * Follows the compile before (`previous`): its own optimizer is freed, unless this compile was
   * given that same optimizer (model.optimizer), which keeps it, its state and its ownership.
   */
  takeOptimizerFrom(previous: CompiledState | null): void {
    if (previous?.spec.optimizer !== this.spec.optimizer) previous?.releaseOptimizer();
    else this.ownsOptimizer ||= previous.ownsOptimizer;
  }

  /** Frees the optimizer's slots if it is the model's own. */
  releaseOptimizer(): void {
    if (this.ownsOptimizer) this.spec.optimizer.dispose();
  }

  /** The outputs as matched so far (none while a model of several waits for its first step). */
  get outputs(): readonly CompiledOutput[] {
    return this.#outputs ?? [];
  }

  /** Every metric, each with the output it watches. */
  get metricEntries(): (CompiledMetric & { output: number })[] {
    return this.outputs.flatMap((output, i) => output.metrics.map((entry) => ({ ...entry, output: i })));
  }

  /** 'loss', each output's loss when several outputs have one, then each metric's log name. */
  get metricsNames(): string[] {
    return ['loss', ...this.#outputLossNames(), ...this.metricEntries.map((e) => e.logName)];
  }

  /** `output_loss` for each output with a loss, when several have one (as Keras 3 tracks them). */
  #outputLossNames(): string[] {
    const named = this.outputs.filter((o) => o.loss !== null && o.name !== null);
    return named.length > 1 ? named.map((o) => `${o.name}_loss`) : [];
  }

  /** Refuses y that does not fit outputs known before a step runs, so nothing runs on it. */
  checkTargets(caller: string, y: ModelTarget): void {
    if (this.#outputs && !this.#assumed) this.#targetsFor(caller, y, this.#outputs);
  }

  /**
   * The sum over outputs of each output's loss times its loss weight, its samples weighted by
   * `sampleWeight`. Each output's own loss is kept for the logs.
   */
  outputsLoss(y: ModelTarget, yPred: LayerOutput, sampleWeight: SampleWeight | undefined): Tensor {
    const outputs = this.#outputsFor('computeLoss', yPred);
    const [targets, predictions, weights] = [this.#targetsFor('computeLoss', y, outputs), tensorsOf(yPred), this.#weightsFor('computeLoss', sampleWeight, outputs)];
    this.#stepOutputLosses = outputs.map((output, i) => output.loss?.call(targets[i]!, predictions[i]!, lossWeights(weights[i], predictions[i]!)) ?? null);
    const terms = this.#stepOutputLosses.flatMap((loss, i) => {
      const weight = outputs[i]!.lossWeight;
      return loss ? [weight === 1 ? loss : mul(loss, weight)] : [];
    });
    return terms.slice(1).reduce((total, term) => add(total, term), terms[0]!);
  }

  updateMetrics(y: ModelTarget, yPred: LayerOutput, sampleWeight: SampleWeight | undefined): void {
    const outputs = this.#outputsFor('updateMetrics', yPred);
    const [targets, predictions, weights] = [this.#targetsFor('updateMetrics', y, outputs), tensorsOf(yPred), this.#weightsFor('updateMetrics', sampleWeight, outputs)];
    for (const { metric, weighted, output } of this.metricEntries) {
      metric.update(targets[output]!, predictions[output]!, metricWeights(weighted ? weights[output] : undefined, predictions[output]!));
    }
  }

  /** Each output's sample weights: the one weight for every output (as Keras repeats it), or one per output. */
  #weightsFor(caller: string, sampleWeight: SampleWeight | undefined, outputs: readonly CompiledOutput[]): (Tensor | undefined)[] {
    if (sampleWeight === undefined || sampleWeight instanceof Tensor) return outputs.map(() => sampleWeight as Tensor | undefined);
    const weights = tensorsOf(sampleWeight);
    if (weights.length !== outputs.length) {
      throw new Error(`${caller}: model '${this.model}' has ${outputs.length} output${outputs.length === 1 ? '' : 's'}; expected one sampleWeight for all or one per output, got ${describeTensors(sampleWeight)}`);
    }
    return [...weights];
  }

  /** Forgets the output losses of a step that did not finish (a step starts with none). */
  beginStep(): void {
    this.#stepOutputLosses = [];
  }

  /**
   * Adds the loss of the step just computed, and each output's when they are logged (several
   * outputs), to the running means, weighted by the batch's size.
   */
  track(loss: Tensor, batchSize: number): void {
    this.#lossTracker.update(loss, batchSize);
    const outputLosses = this.#stepOutputLosses.filter((outputLoss) => outputLoss !== null);
    this.#stepOutputLosses = [];
    if (this.#outputLossNames().length === 0) return;
    outputLosses.forEach((outputLoss, i) => {
      const tracker = (this.#outputLossTrackers[i] ??= new Mean());
      tracker.deferReads = this.#readsDeferred;
      tracker.update(outputLoss, batchSize);
    });
  }

  /** The loss trackers and compile's metrics. */
  #trackers(): Metric[] {
    return [this.#lossTracker, ...this.#outputLossTrackers, ...this.metricEntries.map(({ metric }) => metric)];
  }

  /**
   * Lets the steps leave their losses and metrics on the device (see Metric.deferReads), for
   * the steps of one execution; turned off, reads what they left.
   */
  deferReads(deferred: boolean): void {
    this.#readsDeferred = deferred;
    for (const tracker of this.#trackers()) {
      tracker.deferReads = deferred;
      if (!deferred) tracker.settle();
    }
  }

  /** Starts the running losses and every metric afresh (each epoch, each evaluate). */
  reset(): void {
    for (const tracker of this.#trackers()) tracker.resetStates();
  }

  /**
   * The losses so far and each metric's result, keys in sorted order as Keras 3 logs them (so
   * the progress bar shows `accuracy` before `loss`). While reads are deferred, each value is
   * read when first looked at (see lazyLogs).
   */
  logs(): Logs {
    const entries: [string, () => number][] = [['loss', () => this.#lossTracker.result()]];
    this.#outputLossNames().forEach((name, i) => entries.push([name, () => this.#outputLossTrackers[i]?.result() ?? 0]));
    for (const { metric, logName } of this.metricEntries) entries.push([logName, () => metric.result()]);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return this.#readsDeferred ? lazyLogs(entries) : Object.fromEntries(entries.map(([name, read]) => [name, read()]));
  }

  /**
   * compile's outputs matched to what `call` returned. A model that was assumed to have one
   * output is matched again on its first step if it returned a list, its outputs named
   * output_1, output_2, ...; after that the count must not change.
   */
  #outputsFor(caller: string, yPred: LayerOutput): CompiledOutput[] {
    const count = Array.isArray(yPred) ? yPred.length : 1;
    if (this.#assumed) {
      if (Array.isArray(yPred) || !this.#outputs) this.#outputs = compiledOutputs(this.spec, Array.from({ length: count }, (_, i) => `output_${i + 1}`));
      this.#assumed = false;
    }
    const outputs = this.#outputs!;
    if (outputs.length !== count) {
      throw new Error(`${caller}: model '${this.model}' was compiled for ${outputs.length} output${outputs.length === 1 ? '' : 's'}, but its call returned ${count}`);
    }
    return outputs;
  }

  /** y as one target per output, checked against the outputs' count. */
  #targetsFor(caller: string, y: ModelTarget, outputs: readonly CompiledOutput[]): readonly Tensor[] {
    const targets = tensorsOf(y);
    if (targets.length !== outputs.length) {
      const names = outputs.flatMap((o) => (o.name === null ? [] : [`'${o.name}'`]));
      const expected = outputs.length === 1 ? 'a Tensor' : `a list of ${outputs.length} Tensors, one per output`;
      throw new Error(`${caller}: model '${this.model}' has ${outputs.length} output${outputs.length === 1 ? '' : 's'}${names.length > 0 ? ` (${names.join(', ')})` : ''}; expected y to be ${expected}, got ${describeTensors(y)}`);
    }
    return targets;
  }
}

/**
 * Whether compile was given a loss or loss weights for several outputs (a list of more than one,
 * or an object keyed by output name): a model whose outputs are not known yet then waits for its
 * first step to match them.
 */
function impliesSeveralOutputs(spec: CompileSpec): boolean {
  const several = (given: unknown): boolean => given !== undefined && !(given instanceof Loss) && (!Array.isArray(given) || given.length !== 1);
  return several(spec.loss) || several(spec.lossWeights);
}
