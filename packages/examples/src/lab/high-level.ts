import { tidy, type Callback } from '@perceptron/core';
import type { Print } from '../demos/print.js';
import { formatNameList, formatNumberList } from './format.js';
import type { LabData } from './low-level.js';
import { firstRows, reportPredictions } from './predictions.js';
import type { PreparedModel } from './prepare-model.js';
import type { EpochRecord, TrainingRecord } from './training-record.js';

export interface HighLevelOptions {
  epochs: number;
  batchSize: number;
  verbose?: 0 | 1 | 2;
}

/** The lab's high_level_fit_and_predict: compile, fit with validation, evaluate, predict. */
export async function highLevelFitAndPredict(model: PreparedModel, data: LabData, options: HighLevelOptions, print: Print): Promise<TrainingRecord> {
  const { mlp, optimizer, lossObject, trainMetric } = model;
  // a shortcut to compile and fit, available because the model subclasses Model
  mlp.compile({ optimizer, loss: lossObject, metrics: [trainMetric] });

  // Training time per epoch up to its last batch, so validation is excluded as in low mode.
  const timing = { started: 0, lastBatchEnd: 0, batches: 0, seconds: [] as number[], steps: [] as number[] };
  const timer: Callback = {
    onEpochBegin: () => {
      timing.batches = 0;
      timing.started = performance.now();
    },
    onBatchEnd: () => {
      timing.batches++;
      timing.lastBatchEnd = performance.now();
    },
    onEpochEnd: () => {
      timing.seconds.push((timing.lastBatchEnd - timing.started) / 1000);
      timing.steps.push(timing.batches);
    },
  };
  // the dataset already batches, so no batchSize here; validation runs at the end of each epoch
  const history = await mlp.fit(data.train, {
    validationData: data.validation,
    epochs: options.epochs,
    verbose: options.verbose ?? 1,
    callbacks: [timer],
  });

  print('\nEvaluating model on test data...');
  const scores = await mlp.evaluate(data.xTest, data.yTest, { batchSize: options.batchSize, verbose: 0 });
  print(`Evaluation ${formatNameList(mlp.metricsNames)}: ${formatNumberList(scores)}`);

  // finally, the output of the last layer for ten samples: one "probability" per class
  print('\nGenerating predictions for ten samples...');
  const probs = tidy(() => mlp.predict(firstRows(data.xTest, 10)));
  const predictions = reportPredictions(probs, data.testLabels, print);
  probs.dispose();

  const h = history.history;
  const metricName = trainMetric.name;
  const epochs: EpochRecord[] = (h.loss ?? []).map((loss, i) => ({
    epoch: i + 1,
    loss,
    accuracy: h[metricName]![i]!,
    valLoss: h.val_loss?.[i],
    valAccuracy: h[`val_${metricName}`]?.[i],
    seconds: timing.seconds[i] ?? NaN,
    steps: timing.steps[i] ?? 0,
    msPerStep: ((timing.seconds[i] ?? NaN) * 1000) / (timing.steps[i] ?? NaN),
  }));
  return { epochs, steps: [], test: { loss: scores[0]!, accuracy: scores[1]! }, predictions };
}
