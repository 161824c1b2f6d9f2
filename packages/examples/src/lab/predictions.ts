import { argMax, formatShape, slice, type Tensor } from '@perceptron/core';
import type { Print } from '../demos/print.js';

export interface Prediction {
  predicted: number;
  label: number;
}

/** The first `count` rows of x (the lab's `x_test[:10]`). */
export function firstRows(x: Tensor, count: number): Tensor {
  return slice(x, [0, ...x.shape.slice(1).map(() => 0)], [count, ...x.shape.slice(1)]);
}

/** Prints the lab's prediction lines for probabilities [n, classes] and returns them. */
export function reportPredictions(predictions: Tensor, labels: ArrayLike<number>, print: Print): Prediction[] {
  print(`Predictions shape: ${formatShape(predictions.shape)}`);
  // argMax returns the INDEX of the largest value: the class with the highest "probability"
  const indices = argMax(predictions, -1);
  const predicted = indices.dataSync();
  indices.dispose();
  return Array.from(predicted, (p, i) => {
    const label = labels[i]!;
    print(`Predicted a ${p}. Real value is ${label}.`);
    return { predicted: p, label };
  });
}
