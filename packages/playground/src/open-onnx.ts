// An ONNX model opened in the page: one downloaded from here, or one made elsewhere that reads
// 28×28 digits (PyTorch's [N, 1, 28, 28], Keras's [N, 28, 28, 1], or flat [N, 784]).
import { importOnnx, parseOnnx, type ValueSignature } from '@perceptron/onnx';
import { probabilities, type DigitClassifier } from './classifier.js';

const PIXELS = 784;

/** The one input's shape per image, when it holds 784 numbers; otherwise an error naming the file and the shape it found. */
function imageShape(fileName: string, inputs: readonly ValueSignature[]): number[] {
  const expected = `one input of 784 values per image ([N, 784], [N, 28, 28, 1] or [N, 1, 28, 28])`;
  if (inputs.length !== 1) throw new Error(`${fileName}: expected ${expected}, got ${inputs.length} inputs (${inputs.map((i) => `'${i.name}'`).join(', ')})`);
  const { name, shape } = inputs[0]!;
  const perImage = shape.slice(1);
  if (!perImage.every((d): d is number => typeof d === 'number') || perImage.reduce((a, b) => a * b, 1) !== PIXELS) {
    throw new Error(`${fileName}: expected ${expected}, got input '${name}' of shape [${shape.join(', ')}]`);
  }
  return perImage;
}

/**
 * The model in `bytes`, ready to read digits on the active backend. Whether it ends in
 * probabilities or in scores is read from what it gives for `sample` images (flat, 784 values
 * each): rows of values in [0, 1] summing to 1 are probabilities.
 */
export function openOnnx(bytes: Uint8Array, fileName: string, sample: Float32Array): DigitClassifier {
  const shape = imageShape(fileName, parseOnnx(bytes, fileName).inputs);
  const model = importOnnx(bytes, { name: fileName });
  try {
    // Read as probabilities, as they are, to tell whether they are.
    const raw: DigitClassifier = { model, name: fileName, imageShape: shape, outputs: 'probabilities' };
    const values = Array.from(probabilities(raw, sample, sample.length / PIXELS));
    const rowSums = Array.from({ length: values.length / 10 }, (_, i) => values.slice(10 * i, 10 * i + 10).reduce((a, b) => a + b, 0));
    const areProbabilities = values.every((v) => v >= 0 && v <= 1) && rowSums.every((s) => Math.abs(s - 1) < 1e-3);
    return { ...raw, outputs: areProbabilities ? 'probabilities' : 'scores' };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
