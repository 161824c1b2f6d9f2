import { Dataset, dispose, GradientTape, tidy, type Tensor } from '@perceptron/core';
import type { Print } from '../demos/print.js';
import type { StepPoint } from '../plot/learning-curves.js';
import { formatFloat32, formatFloat32AsFloat64 } from './format.js';
import { firstRows, reportPredictions } from './predictions.js';
import type { PreparedModel } from './prepare-model.js';
import type { EpochRecord, TrainingRecord } from './training-record.js';

export interface LabData {
  train: Dataset;
  validation: Dataset;
  xTest: Tensor;
  yTest: Tensor;
  testLabels: ArrayLike<number>;
}

export interface LowLevelOptions {
  epochs: number;
  batchSize: number;
  /** Training batches per epoch, to place logged steps on the learning curve. */
  stepsPerEpoch: number;
  logEvery?: number;
}

/**
 * Sample-weighted mean loss and accuracy over a dataset, without training. Uses the lab's
 * `valMetric` and leaves it reset.
 */
async function evaluateDataset(model: PreparedModel, dataset: Dataset): Promise<{ loss: number; accuracy: number }> {
  const metric = model.valMetric;
  let lossSum = 0;
  let count = 0;
  metric.resetStates();
  for await (const batch of dataset) {
    const [x, y] = batch as [Tensor, Tensor];
    tidy(() => {
      const probs = model.mlp.apply(x);
      metric.update(y, probs);
      lossSum += model.lossObject.call(y, probs).dataSync()[0]! * x.shape[0]!;
    });
    count += x.shape[0]!;
    dispose([x, y]);
  }
  const accuracy = metric.result();
  metric.resetStates();
  return { loss: lossSum / count, accuracy };
}

/** One GradientTape step; everything it creates is freed by tidy. Returns the batch loss. */
function trainStep(model: PreparedModel, xBatch: Tensor, yBatch: Tensor): number {
  const { mlp, optimizer, lossObject, trainMetric } = model;
  return tidy(() => {
    const tape = new GradientTape();
    // the forward pass of all layers, recorded on the tape, and how far it is from the labels
    const [probs, lossValue] = tape.record(() => {
      const probs = mlp.apply(xBatch, { training: true });
      return [probs, lossObject.call(yBatch, probs)] as const;
    });
    // gradients of the loss with respect to the trainable variables, then one Adam step
    const gradients = tape.gradient(lossValue, mlp.trainableWeights);
    optimizer.applyGradients(gradients, mlp.trainableWeights);
    trainMetric.update(yBatch, probs);
    return lossValue.dataSync()[0]!;
  });
}

/** The lab's low_level_fit_and_predict: a GradientTape training loop, validation, predictions. */
export async function lowLevelFitAndPredict(model: PreparedModel, data: LabData, options: LowLevelOptions, print: Print): Promise<TrainingRecord> {
  const { epochs, stepsPerEpoch, logEvery = 200 } = options;
  const { trainMetric, mlp } = model;
  const records: EpochRecord[] = [];
  const steps: StepPoint[] = [];

  for (let epoch = 0; epoch < epochs; epoch++) {
    print(`Epoch ${epoch + 1}/${epochs}`);
    const lossHistory: number[] = [];
    let lossTotal = 0;
    let step = 0;
    const started = performance.now();
    for await (const batch of data.train) {
      const [xBatch, yBatch] = batch as [Tensor, Tensor];
      const lossValue = trainStep(model, xBatch, yBatch);
      dispose([xBatch, yBatch]);
      lossHistory.push(lossValue);
      lossTotal += lossValue;
      if (step % logEvery === 0) {
        const meanLoss = lossTotal / lossHistory.length;
        print(`Step ${step}. Loss Value = ${formatFloat32(lossValue)}; Mean loss = ${formatFloat32(meanLoss)}`);
        steps.push({ progress: epoch + (step + 1) / stepsPerEpoch, meanLoss, accuracy: trainMetric.result() });
      }
      step++;
    }
    const seconds = (performance.now() - started) / 1000;

    // metrics at the end of each epoch, then reset for the next one
    const accuracy = trainMetric.result();
    print(`Training accuracy for epoch ${epoch + 1}: ${formatFloat32AsFloat64(accuracy)}`);
    trainMetric.resetStates();

    // the validation loop at the end of each epoch
    const validation = await evaluateDataset(model, data.validation);
    print(`Validation accuracy for epoch ${epoch + 1}: ${formatFloat32AsFloat64(validation.accuracy)}`);
    records.push({
      epoch: epoch + 1,
      loss: lossTotal / lossHistory.length,
      accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy,
      seconds,
      steps: step,
      msPerStep: (seconds * 1000) / step,
    });
  }

  // Not printed by the lab's low-level path; measured for report.json.
  const test = await evaluateDataset(model, Dataset.fromTensorSlices([data.xTest, data.yTest]).batch(options.batchSize));

  print('\nGenerating predictions for ten samples...');
  const probs = tidy(() => mlp.apply(firstRows(data.xTest, 10)));
  const predictions = reportPredictions(probs, data.testLabels, print);
  probs.dispose();
  return { epochs: records, steps, test, predictions };
}
