// demo:sequences' data: MNIST digits read column by column, left to right, as a line of text is
// read. Each step is one column's 28 pixels, top to bottom. The blank columns left and right of
// the ink are dropped, so a "1" is a few steps long and a "0" nearly twenty; the sequences are
// padded after their last step to the image's 28 columns, which the models' masks then skip.
import type { FlatSplit } from '../mnist/split.js';

/** MNIST's image side: its column count (the longest sequence) and each column's pixel count. */
export const IMAGE_SIDE = 28;
/** The value of every pixel of a padding step; no pixel of a digit has it (they are in [0, 1]). */
export const PADDING = -1;

/** A split's images as padded column sequences: each sample's x is [28 steps, 28 pixels], flattened. */
export interface ColumnSequences extends FlatSplit {
  /** Each sequence's steps before its padding: the columns from the first to the last with ink. */
  lengths: Int32Array;
}

/** The first and the last column of an image (28×28, row-major) with ink, or null for a blank image. */
function inkColumns(image: Float32Array): { first: number; last: number } | null {
  const hasInk = (col: number) => {
    for (let row = 0; row < IMAGE_SIDE; row++) if (image[row * IMAGE_SIDE + col]! > 0) return true;
    return false;
  };
  let first = 0;
  while (first < IMAGE_SIDE && !hasInk(first)) first++;
  if (first === IMAGE_SIDE) return null;
  let last = IMAGE_SIDE - 1;
  while (!hasInk(last)) last--;
  return { first, last };
}

/**
 * `split`'s 28×28 images as column sequences: step t of a sample holds column first + t of its
 * image (top to bottom), for t up to its length; the later steps hold PADDING. A blank image is
 * all padding (length 0).
 */
export function columnSequences(split: FlatSplit): ColumnSequences {
  const imageSize = IMAGE_SIDE * IMAGE_SIDE;
  if (split.features !== imageSize) throw new Error(`columnSequences: expected ${IMAGE_SIDE}×${IMAGE_SIDE} images (${imageSize} features), got ${split.features} features`);
  const x = new Float32Array(split.count * imageSize).fill(PADDING);
  const lengths = new Int32Array(split.count);
  for (let i = 0; i < split.count; i++) {
    const image = split.x.subarray(i * imageSize, (i + 1) * imageSize);
    const ink = inkColumns(image);
    if (ink === null) continue;
    lengths[i] = ink.last - ink.first + 1;
    for (let step = 0; step < lengths[i]!; step++) {
      for (let row = 0; row < IMAGE_SIDE; row++) x[i * imageSize + step * IMAGE_SIDE + row] = image[row * IMAGE_SIDE + ink.first + step]!;
    }
  }
  return { x, y: split.y, count: split.count, features: imageSize, lengths };
}
