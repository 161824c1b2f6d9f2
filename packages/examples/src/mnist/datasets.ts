import { Dataset, dispose, tensor, tidy, type ModelInput, type Tensor } from '@perceptron/core';
import type { FlatSplit, MnistArrays } from './split.js';

/** Batches of [x, labels], as `fromTensorSlices` types them: each x has X's structure. */
export type MnistBatches<X extends ModelInput> = ReturnType<typeof Dataset.fromTensorSlices<[X, Tensor]>>;

/** `X`: what the model takes for the rows, the 784-wide rows themselves unless `inputsOf` says otherwise. */
export interface MnistDatasets<X extends ModelInput = Tensor> {
  /** Shuffled (buffer `shuffleBuffer`) and batched, reshuffled each epoch. */
  train: MnistBatches<X>;
  /** Batched, in order. */
  validation: MnistBatches<X>;
  xTest: X;
  yTest: Tensor;
}

export interface MnistDatasetOptions<X extends ModelInput = Tensor> {
  batchSize: number;
  shuffleBuffer?: number;
  seed?: number;
  /**
   * The model's x for a split's rows, for a model of several inputs (`rows` → `[top, bottom]`):
   * cut once per split, before batching, rather than in every batch (3× the pipeline's time).
   */
  inputsOf?: (rows: Tensor) => X;
}

function toTensors<X extends ModelInput>(split: FlatSplit, inputsOf: (rows: Tensor) => X): [X, Tensor] {
  // tidy frees the rows unless inputsOf returns them
  const x = tidy(() => inputsOf(tensor(split.x, [split.count, split.features], 'float32')));
  return [x, tensor(split.y, [split.count], 'int32')];
}

/** The lab's `tf.data` pipeline: from_tensor_slices → shuffle(1024) → batch for training. */
export function mnistDatasets<X extends ModelInput = Tensor>(arrays: MnistArrays, options: MnistDatasetOptions<X>): MnistDatasets<X> {
  // Without inputsOf, X is its default, Tensor: the rows themselves.
  const { batchSize, shuffleBuffer = 1024, seed, inputsOf = (rows: Tensor) => rows as X } = options;
  // fromTensorSlices reads the values once, so the source tensors are freed right after.
  const trainTensors = toTensors(arrays.train, inputsOf);
  const validationTensors = toTensors(arrays.validation, inputsOf);
  try {
    const train = Dataset.fromTensorSlices(trainTensors).shuffle(shuffleBuffer, seed === undefined ? {} : { seed }).batch(batchSize);
    const validation = Dataset.fromTensorSlices(validationTensors).batch(batchSize);
    const [xTest, yTest] = toTensors(arrays.test, inputsOf);
    return { train, validation, xTest, yTest };
  } finally {
    dispose([trainTensors, validationTensors]);
  }
}
