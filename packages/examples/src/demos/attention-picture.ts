// demo:sequences' picture: each test digit as the attention reader sees it (its columns from the
// left, then padding) beside its self-attention weights, one row per step attending and one
// column per step attended to, so the weights' columns line up with the digit's.
import { digitGridSpec, GREY_LEVELS, type ColourScale, type DigitImage } from '../plot/digits.js';
import type { VegaLiteSpec } from '../plot/render.js';
import { IMAGE_SIDE } from './column-sequences.js';

/** One test digit and what the trained reader made of it. */
export interface AttentionSample {
  /** [28 steps, 28 pixels], step-major, padding steps PADDING. */
  steps: ArrayLike<number>;
  /** Data steps before the padding. */
  length: number;
  /** [28 query steps, 28 key steps]: the attention weights, averaged over the heads. */
  weights: ArrayLike<number>;
  label: number;
  predicted: number;
}

/**
 * Padding has no value (NaN) in both images and is drawn in this grey: darker than ink, lighter
 * than the background (grey level 0.3), and a colour no weight is drawn in.
 */
const PADDING_COLOUR = '#474747';

/** The digit in the lab's grey levels, its padding in PADDING_COLOUR. */
const DIGIT_GREY: ColourScale = { ...GREY_LEVELS, missing: PADDING_COLOUR };

/** The sequence drawn back as an image: column t is step t (top to bottom), padding NaN. */
export function sequenceImage({ steps, length }: AttentionSample): Float32Array {
  const image = new Float32Array(IMAGE_SIDE * IMAGE_SIDE).fill(NaN);
  for (let row = 0; row < IMAGE_SIDE; row++) {
    for (let step = 0; step < length; step++) image[row * IMAGE_SIDE + step] = steps[step * IMAGE_SIDE + row]!;
  }
  return image;
}

/**
 * The weights between data steps, scaled so the sample's largest is 1. The padding's rows and
 * columns are NaN: masked keys get no weight, and masked queries' outputs are dropped.
 */
export function attentionImage({ weights, length }: AttentionSample): Float32Array {
  const heat = new Float32Array(IMAGE_SIDE * IMAGE_SIDE).fill(NaN);
  let largest = 0;
  for (let query = 0; query < length; query++) {
    for (let key = 0; key < length; key++) largest = Math.max(largest, weights[query * IMAGE_SIDE + key]!);
  }
  for (let query = 0; query < length; query++) {
    for (let key = 0; key < length; key++) heat[query * IMAGE_SIDE + key] = weights[query * IMAGE_SIDE + key]! / largest;
  }
  return heat;
}

/** The weights in a perceptually even scheme, so faint weights stay told apart. */
const ATTENTION_HEAT: ColourScale = { colours: 'viridis', missing: PADDING_COLOUR, legend: 'weight ÷ largest' };

/** Two samples per line: each digit, captioned with its label and length, then its weights, captioned with the prediction (red when wrong). */
export function attentionPictureSpec(samples: readonly AttentionSample[]): VegaLiteSpec {
  const images: DigitImage[] = samples.flatMap((sample) => [
    { pixels: sequenceImage(sample), scale: DIGIT_GREY, caption: `a ${sample.label}, ${sample.length} steps` },
    { pixels: attentionImage(sample), scale: ATTENTION_HEAT, caption: `read as ${sample.predicted}`, highlight: sample.predicted !== sample.label },
  ]);
  return digitGridSpec(images, { rows: IMAGE_SIDE, cols: IMAGE_SIDE, columns: 4, title: 'Where each column attends (mean of the heads)' });
}
