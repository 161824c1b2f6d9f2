import { Dataset, tensor, type Tensor } from '@perceptron/core';
import type { FlatSplit, MnistArrays } from './split.js';

export interface MnistDatasets {
  /** Shuffled (buffer `shuffleBuffer`) and batched training samples, reshuffled each epoch. */
  train: Dataset;
  /** Batched, in order. */
  validation: Dataset;
  xTest: Tensor;
  yTest: Tensor;
}

export interface MnistDatasetOptions {
  batchSize: number;
  shuffleBuffer?: number;
  seed?: number;
}

function toTensors(split: FlatSplit): [Tensor, Tensor] {
  return [tensor(split.x, [split.count, split.features], 'float32'), tensor(split.y, [split.count], 'int32')];
}

/** The lab's `tf.data` pipeline: from_tensor_slices → shuffle(1024) → batch for training. */
export function mnistDatasets(arrays: MnistArrays, options: MnistDatasetOptions): MnistDatasets {
  const { batchSize, shuffleBuffer = 1024, seed } = options;
  // fromTensorSlices reads the values once, so the source tensors are freed right after.
  const trainTensors = toTensors(arrays.train);
  const validationTensors = toTensors(arrays.validation);
  try {
    const train = Dataset.fromTensorSlices(trainTensors).shuffle(shuffleBuffer, seed === undefined ? {} : { seed }).batch(batchSize);
    const validation = Dataset.fromTensorSlices(validationTensors).batch(batchSize);
    const [xTest, yTest] = toTensors(arrays.test);
    return { train, validation, xTest, yTest };
  } finally {
    for (const t of [...trainTensors, ...validationTensors]) t.dispose();
  }
}
