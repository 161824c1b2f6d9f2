// demo:cnn: a small convolutional network trained on real MNIST with compile / fit, using the
// lab's loader and validation split. Called by src/bin/demo-cnn.ts.
import * as pc from '@perceptron/core';
import { mnistDatasets } from '../mnist/datasets.js';
import { loadMnist } from '../mnist/load-mnist.js';
import { splitMnist } from '../mnist/split.js';
import type { Print } from './print.js';

export interface CnnDemoSettings {
  epochs: number;
  batchSize: number;
  seed?: number;
}

export interface CnnDemoResult {
  testLoss: number;
  testAccuracy: number;
  /** Training time per step over every epoch, validation excluded. */
  msPerStep: number;
}

/**
 * 28×28 images from the lab's 784-wide rows, one convolution and pooling, a strided convolution,
 * then the classifier: small enough that an epoch takes seconds on simd (about 9 s on two cores)
 * (a second 'same' convolution before a second pooling doubles that for ~0.5 % accuracy).
 */
export function mnistCnn(): pc.Sequential {
  return new pc.Sequential([
    new pc.Reshape([28, 28, 1], { inputShape: [784] }),
    new pc.Conv2D(8, 3, { activation: 'relu' }),
    new pc.MaxPooling2D(),
    new pc.Conv2D(16, 3, { strides: 2, activation: 'relu' }),
    new pc.Flatten(),
    new pc.Dense(10, { activation: 'softmax' }),
  ], { name: 'mnist_cnn' });
}

/** Counts training steps and their time, from the first batch of an epoch to its last. */
function stepTimer(): { callback: pc.Callback; msPerStep(): number } {
  let [epochStart, lastBatchEnd, totalMs, steps] = [0, 0, 0, 0];
  return {
    callback: {
      onEpochBegin: () => {
        epochStart = performance.now();
      },
      onBatchEnd: () => {
        steps++;
        lastBatchEnd = performance.now();
      },
      onEpochEnd: () => {
        totalMs += lastBatchEnd - epochStart;
      },
    },
    msPerStep: () => totalMs / steps,
  };
}

export async function runCnnDemo(settings: CnnDemoSettings, print: Print): Promise<CnnDemoResult> {
  pc.setSeed(settings.seed ?? 91195003);
  const data = mnistDatasets(splitMnist(loadMnist()), { batchSize: settings.batchSize, seed: settings.seed ?? 91195003 });
  const model = mnistCnn();
  try {
    model.summary(print);
    model.compile({ optimizer: new pc.Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const timer = stepTimer();
    await model.fit(data.train, { validationData: data.validation, epochs: settings.epochs, callbacks: [timer.callback] });
    const [testLoss, testAccuracy] = await model.evaluate(data.xTest, data.yTest, { batchSize: 256, verbose: 0 });
    const result = { testLoss: testLoss!, testAccuracy: testAccuracy!, msPerStep: timer.msPerStep() };
    print(`\nTest accuracy: ${result.testAccuracy.toFixed(4)} (loss ${result.testLoss.toFixed(4)}), on the 10,000 test images`);
    print(`Training: ${result.msPerStep.toFixed(1)} ms/step (batch ${settings.batchSize})`);
    return result;
  } finally {
    model.dispose();
    pc.dispose([data.xTest, data.yTest]);
  }
}
