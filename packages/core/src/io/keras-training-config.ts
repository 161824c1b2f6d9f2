// Keras's training config, as TensorFlow.js keeps it beside a compiled model (`trainingConfig`
// in model.json; tensorflowjs_converter writes Keras's `training_config` into the topology):
// the optimizer's class and settings, the loss and the metrics, which become compile's arguments.
import type { CompileArgs } from '../models/compile.js';
import { isPlainObject } from '../util/plain-object.js';
import { fromKerasObject } from './from-keras-json.js';

/** compile's arguments for the training config `config` (found at `path` in the file). */
export function compileArgsFromTrainingConfig(config: unknown, path: string): CompileArgs {
  if (!isPlainObject(config)) throw new Error(`${path}: expected an object, got ${JSON.stringify(config)}`);
  const { optimizer_config: optimizer, loss, metrics, loss_weights: lossWeights, weighted_metrics: weightedMetrics } = config;
  if (!isPlainObject(optimizer) || typeof optimizer.class_name !== 'string') {
    throw new Error(`${path}.optimizer_config: expected {class_name, config}, got ${JSON.stringify(optimizer)}`);
  }
  if (loss === undefined || loss === null) throw new Error(`${path}.loss: expected the loss, got ${JSON.stringify(loss)}`);
  // Losses and metrics are names, or {class_name, config} objects, alone or per output.
  const converted = (value: unknown, key: string) => fromKerasObject(value, `${path}.${key}`) as never;
  return {
    optimizer: converted(optimizer, 'optimizer_config'),
    loss: converted(loss, 'loss'),
    ...(metrics === undefined || metrics === null ? {} : { metrics: converted(metrics, 'metrics') }),
    ...(lossWeights === undefined || lossWeights === null ? {} : { lossWeights: lossWeights as never }),
    ...(weightedMetrics === undefined || weightedMetrics === null ? {} : { weightedMetrics: converted(weightedMetrics, 'weighted_metrics') }),
  };
}
