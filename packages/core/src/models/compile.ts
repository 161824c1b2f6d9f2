import { getLoss, Loss } from '../losses/index.js';
import { Metric, resolveMetric } from '../metrics/index.js';
import { getOptimizer, Optimizer } from '../optimizers/index.js';
import { checkOptions } from './options.js';

/** What `model.compile` takes; strings are resolved by getOptimizer, getLoss and resolveMetric. */
export interface CompileArgs {
  optimizer: Optimizer | string;
  loss: Loss | string;
  metrics?: readonly (Metric | string)[];
}

/** The resolved objects a compiled model trains with. */
export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metrics: Metric[];
}

const COMPILE_ARGS: Record<keyof CompileArgs, true> = { optimizer: true, loss: true, metrics: true };

export function resolveCompileArgs(args: CompileArgs): Compiled {
  if (!args || typeof args !== 'object') throw new Error(`compile: expected {optimizer, loss, metrics?}, got ${JSON.stringify(args)}`);
  checkOptions('compile', args, COMPILE_ARGS);
  if (args.optimizer === undefined) throw new Error('compile: an optimizer is required (an Optimizer or a name such as \'adam\')');
  if (args.loss === undefined) throw new Error('compile: a loss is required (a Loss or a name such as \'sparseCategoricalCrossentropy\')');
  if (args.metrics !== undefined && !Array.isArray(args.metrics)) throw new Error(`compile: metrics must be an array, got ${JSON.stringify(args.metrics)}`);
  const optimizer = getOptimizer(args.optimizer);
  const loss = getLoss(args.loss);
  const metrics = (args.metrics ?? []).map((m) => resolveMetric(m));
  const names = metrics.map((m) => m.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i || n === 'loss');
  if (repeated) throw new Error(`compile: two metrics would be logged as '${repeated}'; give them distinct names`);
  return { optimizer, loss, metrics };
}
