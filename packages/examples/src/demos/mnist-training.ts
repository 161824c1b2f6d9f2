// The run demo:cnn and demo:functional share: MNIST through the lab's Dataset pipeline, the
// model compiled as the lab compiles its own (Adam 1e-3, sparse categorical cross-entropy,
// accuracy), fit with the progress bar and the validation split, then the test set.
import * as pc from '@perceptron/core';
import { mnistDatasets } from '../mnist/datasets.js';
import type { MnistArrays } from '../mnist/split.js';
import type { Print } from './print.js';
import { stepTimer } from './step-timer.js';

export interface TrainingDemoSettings {
  epochs: number;
  batchSize: number;
  /** Seeds the weights and the shuffling. */
  seed: number;
  /** The folder a demo that writes pictures writes them into (made already); absent for the others. */
  out?: string;
}

export interface TrainingDemoResult {
  testLoss: number;
  testAccuracy: number;
  /** Training time per step over every epoch, validation excluded. */
  msPerStep: number;
  /** Each epoch's mean training loss, as its progress bar ends. */
  trainingLoss: number[];
}

/** A model for a demo to train, and how it takes MNIST's 784-wide rows. */
export interface MnistModel {
  /** Makes the model; called once the seed is set, so its weights come from it. */
  build(): pc.Model;
  /** The model's x for a split's 784-wide rows; the rows themselves when absent. */
  inputsOf?(rows: pc.Tensor): pc.ModelInput;
  /** A look inside the trained model, before it is freed (demo:sequences draws its attention). */
  afterTraining?(model: pc.Model): Promise<void>;
}

/** Prints the model's summary, trains it on `arrays` and prints its test accuracy and ms/step. */
export async function trainOnMnist(mnistModel: MnistModel, arrays: MnistArrays, settings: TrainingDemoSettings, print: Print): Promise<TrainingDemoResult> {
  const { epochs, batchSize, seed } = settings;
  pc.setSeed(seed);
  const data = mnistDatasets(arrays, { batchSize, seed, inputsOf: mnistModel.inputsOf });
  const model = mnistModel.build();
  // The model does not own its optimizer: Adam's two slots per weight are freed with it, below.
  const optimizer = new pc.Adam({ learningRate: 1e-3 });
  try {
    model.summary(print);
    model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const timer = stepTimer();
    const history = await model.fit(data.train, { validationData: data.validation, epochs, callbacks: [timer.callback] });
    const [testLoss, testAccuracy] = await model.evaluate(data.xTest, data.yTest, { batchSize: 256, verbose: 0 });
    const result = { testLoss: testLoss!, testAccuracy: testAccuracy!, msPerStep: timer.msPerStep(), trainingLoss: history.history.loss! };
    print(`\nTest accuracy: ${result.testAccuracy.toFixed(4)} (loss ${result.testLoss.toFixed(4)}), on the ${arrays.test.count.toLocaleString('en-US')} test images`);
    print(`Training: ${result.msPerStep.toFixed(1)} ms/step (batch ${batchSize})`);
    await mnistModel.afterTraining?.(model);
    return result;
  } finally {
    model.dispose();
    optimizer.dispose();
    pc.dispose([data.xTest, data.yTest]);
  }
}
