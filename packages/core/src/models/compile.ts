import { getLoss, Loss } from '../losses/index.js';
import { Metric, resolveMetric } from '../metrics/index.js';
import { getOptimizer, Optimizer } from '../optimizers/index.js';
import { checkOptions } from '../util/options.js';

/** What `model.compile` takes; strings are resolved by getOptimizer, getLoss and resolveMetric. */
export interface CompileArgs {
  optimizer: Optimizer | string;
  loss: Loss | string;
  /** Tracked during fit and evaluate; they ignore sample and class weights, as in Keras. */
  metrics?: readonly (Metric | string)[];
  /** Tracked as weighted means of the batches' sample (or class) weights: Keras's weighted_metrics. */
  weightedMetrics?: readonly (Metric | string)[];
}

/** A metric a compiled model tracks. */
export interface CompiledMetric {
  readonly metric: Metric;
  /** Given the batch's sample weights (it came from weightedMetrics). */
  readonly weighted: boolean;
  /** Its key in the logs and in `metricsNames`. */
  readonly logName: string;
}

/** The resolved objects a compiled model trains with. */
export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  /** compile's metrics, then its weightedMetrics. */
  metrics: CompiledMetric[];
}

const COMPILE_ARGS: Record<keyof CompileArgs, true> = { optimizer: true, loss: true, metrics: true, weightedMetrics: true };

function resolveMetrics(option: 'metrics' | 'weightedMetrics', identifiers: CompileArgs['metrics']): Metric[] {
  if (identifiers !== undefined && !Array.isArray(identifiers)) throw new Error(`compile: ${option} must be an array, got ${JSON.stringify(identifiers)}`);
  return (identifiers ?? []).map((m) => resolveMetric(m));
}

/**
 * Log names as Keras 3 gives them: each metric's name; a weighted metric whose name is taken
 * by an unweighted one is logged as `weighted_` + name. Any other clash is an error, since
 * two values under one key would overwrite each other.
 */
function compiledMetrics(metrics: Metric[], weightedMetrics: Metric[]): CompiledMetric[] {
  const entries: CompiledMetric[] = [];
  const taken = new Set(['loss']);
  const unweightedNames = new Set(metrics.map((m) => m.name));
  const add = (metric: Metric, weighted: boolean) => {
    if (entries.some((e) => e.metric === metric)) throw new Error(`compile: the metric object '${metric.name}' is listed twice; each entry needs a Metric of its own (a metric's state is per entry)`);
    const logName = weighted && unweightedNames.has(metric.name) ? `weighted_${metric.name}` : metric.name;
    if (taken.has(logName)) throw new Error(`compile: two metrics would be logged as '${logName}'; give them distinct names`);
    taken.add(logName);
    entries.push({ metric, weighted, logName });
  };
  for (const metric of metrics) add(metric, false);
  for (const metric of weightedMetrics) add(metric, true);
  return entries;
}

export function resolveCompileArgs(given: CompileArgs): Compiled {
  if (!given || typeof given !== 'object') throw new Error(`compile: expected {optimizer, loss, metrics?, weightedMetrics?}, got ${JSON.stringify(given)}`);
  const args = checkOptions('compile', given, COMPILE_ARGS);
  if (args.optimizer === undefined) throw new Error('compile: an optimizer is required (an Optimizer or a name such as \'adam\')');
  if (args.loss === undefined) throw new Error('compile: a loss is required (a Loss or a name such as \'sparseCategoricalCrossentropy\')');
  const metrics = resolveMetrics('metrics', args.metrics);
  const weightedMetrics = resolveMetrics('weightedMetrics', args.weightedMetrics);
  const optimizer = getOptimizer(args.optimizer);
  const loss = getLoss(args.loss);
  return { optimizer, loss, metrics: compiledMetrics(metrics, weightedMetrics) };
}
