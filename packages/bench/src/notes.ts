/** The report's notes that the Node run and the browser run share: how the cells are measured and what each workload is. */
import type { BenchOptions } from './args.js';
import { slowCellsNote } from './slow-cells.js';
import { MODELS, PREDICT_BATCH, isModelName, type ModelName } from './workloads.js';

export const SHARED_MACHINE_NOTE = 'The machine is shared: other processes can slow any cell. Figures are medians of n samples; min–max shows the spread, and the load averages at start and end are in the JSON.';

export const TRAINING_NOTE = 'Training: one `fit` call per cell, epochs = 1 warm-up + repeats; the warm-up epoch is reported apart. Perceptron uses core\'s Sequential/Dense/LSTM/Conv2D/SeparableConv2D/compile/fit (verbose 0); tfjs uses tfjs-layers tf.sequential/dense/lstm/conv2d/separableConv2d/compile/model.fit (verbose 0); both with batchSize, shuffle: true, Adam, sparse categorical cross-entropy and accuracy.';

/** How many threads simd computes large kernels on, and where its helpers come from; SIMD_ONE_THREAD (named here) is the same backend on one. */
export function simdThreadsNote(threads: number, helpers: string, oneThread: string): string {
  return `simd computes the rows of large matrix products and the images of large convolutions on ${threads} thread${threads === 1 ? '' : 's'} (${helpers}); ${oneThread} is the same backend on one thread.`;
}

export const PREDICT_NOTE = `Predict: every workload's model.predict with batchSize ${PREDICT_BATCH}, output read back to JS (untrained weights: the arithmetic is the same).`;

/**
 * What each selected workload is, whether the epochs are shortened, and which slow cells were
 * left out; `predicted` are the workloads whose predict ran. `trainImages` is the full epoch's
 * image count, or null when no images were loaded.
 */
export function workloadNotes(options: BenchOptions, trainImages: number | null, predicted: readonly ModelName[]): string[] {
  const notes: string[] = [];
  const plainJs = options.stacks.includes('plain-js');
  if (options.only.includes('sequence')) {
    notes.push(`Sequence: ${MODELS.sequence.title}: each image's 784 floats given to the model as [28, 28] (28 steps of 28 pixels, the tensor shaped once, no Reshape layer); LSTM with tanh, sigmoid gates (set explicitly: tfjs-layers defaults to hardSigmoid), unit forget bias, Keras initializers; softmax Dense on its last output.${plainJs ? ' The plain JS loop has no LSTM, so its cell is skipped.' : ''}`);
  }
  if (options.only.includes('separable')) {
    notes.push(`Separable: ${MODELS.separable.title}: each image given as [28, 28, 1]; Conv2D 3×3 'valid', then 2×2 max pooling before each SeparableConv2D 3×3 'same' (depthwise, then pointwise 1×1), relu after each convolution, global average pooling, softmax Dense; Keras initializers.${plainJs ? ' The plain JS loop has no convolutions, so its cell is skipped.' : ''}`);
  }
  if (options.stepsPerExecution > 1 && options.stacks.includes('perceptron')) {
    notes.push(`Perceptron's models are compiled with stepsPerExecution ${options.stepsPerExecution} (--steps-per-execution): fit reads the loss and metrics, and calls the batch callbacks, once per ${options.stepsPerExecution} steps.`);
  }
  if (options.steps !== null && trainImages !== null) {
    notes.push(`Shortened run (--quick or --steps): each "epoch" is the first ${options.steps} steps, not the full ${trainImages} images.`);
  }
  if (!options.all) {
    const slowTraining = slowCellsNote(options.only.filter(isModelName), 'train');
    const slowPredict = predicted.length > 0 ? slowCellsNote(predicted, 'predict') : null;
    notes.push(...[slowTraining, slowPredict].filter((note) => note !== null));
  }
  return notes;
}
