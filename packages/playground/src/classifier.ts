// Reading digits with a model: one the page trained, or an ONNX model the user opened, which
// may take its 784 pixels in another layout and end in scores instead of probabilities.
import { reshape, softmax, tensor, tidy, type Model } from '@perceptron/core';
import type { Split } from './mnist.js';

export interface DigitClassifier {
  model: Model;
  /** What the model is called on the page: the settings' model, or the opened file's name. */
  name: string;
  /** One image's input shape: [784] for the page's models; any shape of 784 values for an opened one ([28, 28, 1], [1, 28, 28]). */
  imageShape: readonly number[];
  /** Whether the model's ten outputs are class probabilities or scores (logits) the page turns into probabilities with a softmax. */
  outputs: 'probabilities' | 'scores';
}

/** The class probabilities of `count` flat images starting at image `from`, as [count × 10]. */
export function probabilities(classifier: DigitClassifier, images: Float32Array, count: number, from = 0): Float32Array {
  const rows = tidy(() => {
    const x = tensor(images.subarray(from * 784, (from + count) * 784), [count, ...classifier.imageShape], 'float32');
    const output = classifier.model.predict(x);
    if (Array.isArray(output)) throw new Error(`expected one output from ${classifier.name}, got ${output.length}`);
    if (output.size !== 10 * count) {
      throw new Error(`expected ${classifier.name} to give 10 class values per image, got output ${JSON.stringify(output.shape)} for ${count} image${count === 1 ? '' : 's'}`);
    }
    const values = reshape(output, [count, 10]);
    return classifier.outputs === 'scores' ? softmax(values) : values;
  });
  try {
    return rows.dataSync() as Float32Array;
  } finally {
    rows.dispose();
  }
}

/** The most likely class of each of `count` images starting at image `from`. */
export function predictClasses(classifier: DigitClassifier, split: Split, count: number, from = 0): number[] {
  const values = probabilities(classifier, split.x, count, from);
  return Array.from({ length: count }, (_, i) => {
    const row = Array.from(values.subarray(i * 10, i * 10 + 10));
    return row.indexOf(Math.max(...row));
  });
}

/** Class probabilities for one 28×28 image. */
export function classProbabilities(classifier: DigitClassifier, image: Float32Array): number[] {
  return Array.from(probabilities(classifier, image, 1));
}
