import type { Optimizer } from '../optimizers/optimizer.js';
import type { TrainableModel } from './callback.js';

/**
 * The model's optimizer, for a callback (`who`) that sets its learning rate. An optimizer whose
 * rate follows a LearningRateSchedule is refused, as Keras refuses to set such a rate: the
 * schedule and the callback would each claim the rate.
 */
export function steerableOptimizer(model: TrainableModel, who: string): Optimizer {
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error(`${who}: model '${model.name}' has no optimizer; compile it first`);
  const schedule = optimizer.learningRateSchedule;
  if (schedule !== null) {
    throw new Error(`${who}: the learning rate of optimizer '${optimizer.name}' follows a LearningRateSchedule (${schedule.className}), so it cannot be set; create the optimizer with a number as learningRate to use ${who}`);
  }
  return optimizer;
}
