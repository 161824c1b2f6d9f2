import type { Logs } from '../callbacks/index.js';
import { dispose } from '../engine/memory.js';
import type { LayerOutput } from '../layers/layer.js';
import { checkOptions } from '../util/options.js';
import { checkTensorData, tensorBatches, type Batch, type BatchSource } from './batches.js';
import { withClassWeight, type ClassWeight } from './class-weight.js';
import type { Model } from './model.js';
import { checkModelInput, describeTensors, samplesIn, type ModelInput, type ModelTarget, type SampleWeight } from './model-input.js';
import { ownOutput } from './predict-loop.js';

export interface TestOnBatchOptions {
  /** A weight per sample of the batch, for the loss and compile's weightedMetrics (see fit). */
  sampleWeight?: SampleWeight;
}

export interface TrainOnBatchOptions extends TestOnBatchOptions {
  /** A weight per class index that becomes each sample's weight, from its label (see fit). */
  classWeight?: ClassWeight;
}

const TEST_ON_BATCH_OPTIONS: Record<keyof TestOnBatchOptions, true> = { sampleWeight: true };
const TRAIN_ON_BATCH_OPTIONS: Record<keyof TrainOnBatchOptions, true> = { sampleWeight: true, classWeight: true };

/** The loss alone when there are no metrics, else loss and metrics in `metricsNames` order, as Keras. */
export type BatchResult = number | number[];

type Step = (x: ModelInput, y: ModelTarget, sampleWeight?: SampleWeight) => Logs;

/**
 * Keras 3's train_on_batch / test_on_batch: `step` once on the whole batch, no shuffling, no
 * callbacks. The metrics are reset first, so the results are this batch's alone (Keras 3 since
 * keras-team/keras#22617, as Keras 2's reset_metrics=True and tfjs). The batch goes through the
 * same checks and class weighting as fit's batches.
 */
async function stepOnBatch(caller: string, model: Model, step: Step, x: unknown, y: unknown, options: TrainOnBatchOptions): Promise<BatchResult> {
  model.requireCompiled(caller);
  const data = checkTensorData(caller, checkModelInput(caller, x), y, options.sampleWeight);
  const rows = samplesIn(data.x);
  if (rows === 0) throw new Error(`${caller}: expected a batch of at least one sample, got x ${describeTensors(data.x)}`);
  if (options.sampleWeight !== undefined && options.classWeight !== undefined) throw new Error(`${caller}: give either sampleWeight or classWeight, not both`);
  let source: BatchSource = tensorBatches(data, rows, false);
  if (options.classWeight !== undefined) source = withClassWeight(caller, source, options.classWeight);
  model.resetMetrics();
  let logs: Logs = {};
  for await (const batch of source.batches()) logs = stepAndFree(step, batch);
  const results = model.metricsNames.map((name) => logs[name]!);
  return results.length === 1 ? results[0]! : results;
}

function stepAndFree(step: Step, batch: Batch): Logs {
  try {
    return step(...batch);
  } finally {
    dispose(batch);
  }
}

/** One optimization step on the batch; resolves to its loss (and metrics). */
export async function runTrainOnBatch(model: Model, x: ModelInput, y: ModelTarget, given: TrainOnBatchOptions | undefined): Promise<BatchResult> {
  const options = checkOptions('trainOnBatch', given, TRAIN_ON_BATCH_OPTIONS);
  return stepOnBatch('trainOnBatch', model, (...batch) => model.trainStep(...batch), x, y, options);
}

/** Loss (and metrics) of the batch without training. */
export async function runTestOnBatch(model: Model, x: ModelInput, y: ModelTarget, given: TestOnBatchOptions | undefined): Promise<BatchResult> {
  const options = checkOptions('testOnBatch', given, TEST_ON_BATCH_OPTIONS);
  return stepOnBatch('testOnBatch', model, (...batch) => model.testStep(...batch), x, y, options);
}

/** The output for the batch, in one step (the caller owns it). */
export function runPredictOnBatch(model: Model, x: ModelInput): LayerOutput {
  const batch = checkModelInput('predictOnBatch', x);
  return ownOutput(model.predictStep(batch), batch);
}
