import { getLoss, Loss, type LossIdentifier } from '../losses/index.js';
import { Metric, resolveMetric, type MetricIdentifier } from '../metrics/index.js';
import { getOptimizer, Optimizer, type OptimizerIdentifier } from '../optimizers/index.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { isPlainObject } from '../util/plain-object.js';

/** One entry per output of the model: a list in output order, or an object keyed by output name. */
export type PerOutput<T> = readonly T[] | { readonly [outputName: string]: T };

/** What `model.compile` takes; strings are resolved by getOptimizer, getLoss and resolveMetric. */
export interface CompileArgs {
  /**
   * An Optimizer, a name ('adam') or `{className, config}` as an optimizer's getConfig describes
   * it (Keras's optimizers.get). An optimizer compile makes is the model's own, which
   * `model.dispose()` frees; one passed in may serve other models, so it stays the caller's.
   */
  optimizer: OptimizerIdentifier;
  /**
   * The loss; for a model of several outputs one loss for all of them, or one per output (null:
   * that output is not trained). The loss minimised is the sum over outputs, times `lossWeights`.
   */
  loss: LossIdentifier | PerOutput<LossIdentifier | null>;
  /** Scales each output's loss in the total (default 1 each): a number per output. */
  lossWeights?: PerOutput<number>;
  /**
   * Tracked during fit and evaluate; they ignore sample and class weights, as in Keras. For a
   * model of several outputs, one entry per output: a metric, a list of them, or null.
   */
  metrics?: readonly MetricIdentifier[] | PerOutput<MetricIdentifier | readonly MetricIdentifier[] | null>;
  /** Tracked as weighted means of the batches' sample (or class) weights: Keras's weighted_metrics. Given as `metrics`. */
  weightedMetrics?: CompileArgs['metrics'];
  /**
   * Steps that fit and evaluate run as one execution (Keras's steps_per_execution; default 1):
   * the batch callbacks run once per execution, with its last step's index and logs, and the
   * steps in between leave their losses and metrics on the device, read once at its end. On a
   * GPU backend (tfjs-webgl) the steps then run without waiting to hand a loss back each time.
   */
  stepsPerExecution?: number;
}

/** A metric a compiled model tracks. */
export interface CompiledMetric {
  /** The metric object, which keeps the epoch's running state. */
  readonly metric: Metric;
  /** Given the batch's sample weights (it came from weightedMetrics). */
  readonly weighted: boolean;
  /** Its key in the logs and in `metricsNames`. */
  readonly logName: string;
}

/** What one output of a compiled model trains with and reports. */
export interface CompiledOutput {
  /** The output's name, which prefixes its logs (`digit_loss`, `digit_accuracy`); null for a model of one output. */
  readonly name: string | null;
  /** What the output trains with; null when compile gave it no loss. */
  readonly loss: Loss | null;
  /** Its loss's weight in the total (compile's lossWeights). Default 1. */
  readonly lossWeight: number;
  /** compile's metrics for this output, then its weightedMetrics. */
  readonly metrics: readonly CompiledMetric[];
}

/** compile's arguments, resolved but not yet matched to the model's outputs. */
export interface CompileSpec {
  optimizer: Optimizer;
  loss: Loss | PerOutput<Loss | null>;
  lossWeights: PerOutput<number> | undefined;
  metrics: PerOutput<Metric | readonly Metric[] | null>;
  weightedMetrics: PerOutput<Metric | readonly Metric[] | null>;
  stepsPerExecution: number;
}

const COMPILE_ARGS: Record<keyof CompileArgs, true> = { optimizer: true, loss: true, lossWeights: true, metrics: true, weightedMetrics: true, stepsPerExecution: true };

/** A serialized identifier (`{className, config}`) rather than an object keyed by output name. */
function isSerialized(value: unknown): boolean {
  return isPlainObject(value) && typeof value.className === 'string';
}

export function isPerOutput(value: unknown): value is PerOutput<unknown> {
  return Array.isArray(value) || (isPlainObject(value) && !isSerialized(value));
}

/** `resolve` applied to each entry of a per-output list or object, keeping its form. */
export function mapPerOutput<T, R>(given: PerOutput<T>, resolve: (entry: T, key: string) => R): PerOutput<R> {
  if (Array.isArray(given)) return (given as readonly T[]).map((entry, i) => resolve(entry, `[${i}]`));
  return Object.fromEntries(Object.entries(given as Record<string, T>).map(([key, entry]) => [key, resolve(entry, `.${key}`)]));
}

function resolveMetricEntries(option: 'metrics' | 'weightedMetrics', given: CompileArgs['metrics']): CompileSpec['metrics'] {
  if (given === undefined) return [];
  if (!isPerOutput(given)) throw new Error(`compile: ${option} must be a list (or, for a model of several outputs, an object keyed by output name), got ${JSON.stringify(given)}`);
  return mapPerOutput(given, (entry) => {
    if (entry === null) return null;
    return Array.isArray(entry) ? (entry as readonly MetricIdentifier[]).map((m) => resolveMetric(m)) : resolveMetric(entry as MetricIdentifier);
  });
}

/** Resolves the optimizer, losses and metrics compile was given; they are matched to the outputs by `compiledOutputs`. */
export function resolveCompileArgs(given: CompileArgs): CompileSpec {
  if (!given || typeof given !== 'object') throw new Error(`compile: expected {optimizer, loss, lossWeights?, metrics?, weightedMetrics?, stepsPerExecution?}, got ${JSON.stringify(given)}`);
  const args = checkOptions('compile', given, COMPILE_ARGS);
  if (args.optimizer === undefined) throw new Error('compile: an optimizer is required (an Optimizer or a name such as \'adam\')');
  if (args.loss === undefined || args.loss === null) throw new Error('compile: a loss is required (a Loss or a name such as \'sparseCategoricalCrossentropy\')');
  if (args.lossWeights !== undefined && !(isPerOutput(args.lossWeights) && Object.values(args.lossWeights).every((w) => typeof w === 'number' && Number.isFinite(w)))) {
    throw new Error(`compile: lossWeights must be a list of finite numbers, one per output, or an object of them keyed by output name, got ${JSON.stringify(args.lossWeights)}`);
  }
  const stepsPerExecution = numberArgument('compile', 'stepsPerExecution', args.stepsPerExecution ?? 1, POSITIVE_INTEGER);
  const metrics = resolveMetricEntries('metrics', args.metrics);
  const weightedMetrics = resolveMetricEntries('weightedMetrics', args.weightedMetrics);
  const loss = isPerOutput(args.loss)
    ? mapPerOutput(args.loss as PerOutput<LossIdentifier | null>, (entry) => (entry === null ? null : getLoss(entry)))
    : getLoss(args.loss as LossIdentifier);
  return { optimizer: getOptimizer(args.optimizer), loss, lossWeights: args.lossWeights, metrics, weightedMetrics, stepsPerExecution };
}

/**
 * The entries of a per-output argument in output order, checked against the outputs: a list
 * needs one entry per output, an object only keys that name outputs (a missing one is null).
 */
function perOutput<T>(option: string, given: PerOutput<T>, names: readonly string[]): (T | null)[] {
  if (Array.isArray(given)) {
    if (given.length !== names.length) {
      throw new Error(`compile: ${option} has ${given.length} entries but the model has ${names.length} output${names.length === 1 ? '' : 's'} (${names.map((n) => `'${n}'`).join(', ')}); give one per output, or an object keyed by output name`);
    }
    return [...(given as readonly T[])];
  }
  const byName = given as Record<string, T>;
  const unknown = Object.keys(byName).filter((key) => !names.includes(key));
  if (unknown.length > 0) throw new Error(`compile: ${option} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length === 1 ? 'is not an output' : 'are not outputs'} of the model; its outputs are ${names.map((n) => `'${n}'`).join(', ')}`);
  return names.map((name) => byName[name] ?? null);
}

/**
 * compile's losses and metrics matched to the outputs `names` (their count is the model's; the
 * logs of a model of one output take no output name). A single loss serves every output; a flat
 * metric list belongs to a model of one output, as in Keras.
 */
export function compiledOutputs(spec: CompileSpec, names: readonly string[]): CompiledOutput[] {
  const single = names.length === 1;
  const losses = spec.loss instanceof Loss ? names.map(() => spec.loss as Loss) : perOutput('loss', spec.loss, names);
  if (losses.every((loss) => loss === null)) throw new Error('compile: every output\'s loss is null; at least one output needs a loss');
  const weights = spec.lossWeights === undefined ? names.map(() => 1) : perOutput('lossWeights', spec.lossWeights, names).map((w) => w ?? 1);
  const metricsOf = (option: string, given: CompileSpec['metrics']): (readonly Metric[])[] => {
    if (single && Array.isArray(given)) return [given.flat().filter((m): m is Metric => m !== null)];
    // None given (or an empty list): none for any output.
    if (Array.isArray(given) && given.length === 0) return names.map(() => []);
    return perOutput(option, given, names).map((entry) => (entry === null ? [] : [entry].flat()));
  };
  const metrics = metricsOf('metrics', spec.metrics);
  const weightedMetrics = metricsOf('weightedMetrics', spec.weightedMetrics);
  // Each output's loss is logged as `name_loss`: no metric may take that key.
  const logNames = new LogNames(single ? [] : names.map((name) => `${name}_loss`));
  return names.map((name, i) => {
    const outputName = single ? null : name;
    return {
      name: outputName,
      loss: losses[i]!,
      lossWeight: weights[i]!,
      metrics: [...metrics[i]!.map((m) => logNames.add(m, false, outputName, metrics[i]!)), ...weightedMetrics[i]!.map((m) => logNames.add(m, true, outputName, metrics[i]!))],
    };
  });
}

/**
 * Log names as Keras 3 gives them: each metric's name, after its output's name for a model of
 * several outputs; a weighted metric whose name is taken by an unweighted one of its output is
 * logged as `weighted_` + name. Any other clash is an error, since two values under one key
 * would overwrite each other.
 */
class LogNames {
  readonly #taken: Set<string>;
  readonly #metrics = new Set<Metric>();

  constructor(lossNames: readonly string[]) {
    this.#taken = new Set(['loss', ...lossNames]);
  }

  add(metric: Metric, weighted: boolean, output: string | null, unweighted: readonly Metric[]): CompiledMetric {
    if (this.#metrics.has(metric)) throw new Error(`compile: the metric object '${metric.name}' is listed twice; each entry needs a Metric of its own (a metric's state is per entry)`);
    this.#metrics.add(metric);
    const name = weighted && unweighted.some((m) => m.name === metric.name) ? `weighted_${metric.name}` : metric.name;
    const logName = output === null ? name : `${output}_${name}`;
    if (this.#taken.has(logName)) throw new Error(`compile: two metrics would be logged as '${logName}'; give them distinct names`);
    this.#taken.add(logName);
    return { metric, weighted, logName };
  }
}
