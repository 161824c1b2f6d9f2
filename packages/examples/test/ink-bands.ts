// Made-up 28×28 "digits" for the demos' tests (the real runs read MNIST): vertical bands of ink
// whose width is the class, so a model can learn them in a few epochs on the naive backend.
import type { FlatSplit } from '../src/mnist/split.js';

const SIDE = 28;

/** Images whose ink fills columns [first, first + width) of rows 4–23, pixel (row, col) = (row + col) / 64; label = i % 3, width 2 + 5·label. */
export function inkBands(count: number, first = 3): FlatSplit {
  const x = new Float32Array(count * SIDE * SIDE);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = i % 3;
    const left = first + (i % 4); // where the band starts varies; its width is the class
    for (let row = 4; row < 24; row++) {
      for (let col = left; col < left + 2 + 5 * y[i]!; col++) x[(i * SIDE + row) * SIDE + col] = (row + col) / 64;
    }
  }
  return { x, y, count, features: SIDE * SIDE };
}
