// demo:cnn: a small convolutional network trained on real MNIST with compile / fit, using the
// lab's loader and validation split. Called by src/bin/demo-cnn.ts.
import { loadMnist } from '../mnist/load-mnist.js';
import { splitMnist, type MnistArrays } from '../mnist/split.js';
import { mnistCnn } from './mnist-cnn.js';
import { trainOnMnist, type TrainingDemoResult, type TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';

/** Trains mnistCnn on `arrays`, the lab's split of real MNIST unless given. */
export function runCnnDemo(settings: TrainingDemoSettings, print: Print, arrays: MnistArrays = splitMnist(loadMnist())): Promise<TrainingDemoResult> {
  return trainOnMnist({ build: mnistCnn }, arrays, settings, print);
}
