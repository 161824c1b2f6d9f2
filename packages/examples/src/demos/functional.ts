// demo:functional: a Keras functional-API model on real MNIST: two inputs (the top and the
// bottom half of each image), a branch each, joined by Concatenate, a residual block closed by
// Add, trained as demo:cnn is. Called by src/bin/demo-functional.ts.
import * as pc from '@perceptron/core';
import { loadMnist } from '../mnist/load-mnist.js';
import { splitMnist, type MnistArrays } from '../mnist/split.js';
import { trainOnMnist, type TrainingDemoResult, type TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';

const IMAGE_SIDE = 28;
/** Rows 0–13 of a 28×28 image: the first 392 values of the lab's 784-wide row (rows 14–27 are the rest). */
export const HALF_IMAGE_SIZE = (IMAGE_SIDE / 2) * IMAGE_SIDE;

/** The top and the bottom halves of a batch of 784-wide rows: the functional model's two inputs. */
export function imageHalves(rows: pc.Tensor): [pc.Tensor, pc.Tensor] {
  return [pc.slice(rows, [0, 0], [-1, HALF_IMAGE_SIZE]), pc.slice(rows, [0, HALF_IMAGE_SIZE], [-1, HALF_IMAGE_SIZE])];
}

/**
 * Each half through its own Dense(64, relu), the two joined into 128 features, a residual block
 * (Dense(128, relu) → Dense(128), added to the block's input, then relu), and the classifier.
 */
export function mnistFunctional(): pc.Model {
  const top = pc.Input({ shape: [HALF_IMAGE_SIZE], name: 'top_half' });
  const bottom = pc.Input({ shape: [HALF_IMAGE_SIZE], name: 'bottom_half' });
  const halves = new pc.Concatenate({ name: 'halves' }).apply([
    new pc.Dense(64, { activation: 'relu', name: 'top_features' }).apply(top),
    new pc.Dense(64, { activation: 'relu', name: 'bottom_features' }).apply(bottom),
  ]);
  const hidden = new pc.Dense(128, { activation: 'relu', name: 'block_hidden' }).apply(halves);
  const residual = new pc.Dense(128, { name: 'block_residual' }).apply(hidden);
  const skip = new pc.Add({ name: 'skip' }).apply([halves, residual]);
  const block = new pc.Activation('relu', { name: 'block_relu' }).apply(skip);
  const digits = new pc.Dense(10, { activation: 'softmax', name: 'digits' }).apply(block);
  return new pc.Model({ inputs: [top, bottom], outputs: digits, name: 'mnist_functional' });
}

/** Trains mnistFunctional on the halves of `arrays`' images, the lab's split of real MNIST unless given. */
export function runFunctionalDemo(settings: TrainingDemoSettings, print: Print, arrays: MnistArrays = splitMnist(loadMnist())): Promise<TrainingDemoResult> {
  return trainOnMnist({ build: mnistFunctional, inputsOf: imageHalves }, arrays, settings, print);
}
