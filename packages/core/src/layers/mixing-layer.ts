import { add, mul, sub } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import { gather } from '../ops/gather.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, LayerOutput } from './layer.js';
import { NoiseLayer } from './noise-layer.js';

/** How a mixing layer mixed one batch: its images, and the share of its own label each image keeps. */
export interface Mixing {
  images: Tensor;
  labelWeights: readonly number[];
}

/**
 * What Keras's MixUp and CutMix share: while training, each image of a batch is mixed with its
 * partner, the image a random permutation of the batch puts in its place (at times itself, as in
 * Keras). Keras takes a dict {images, labels}; a Perceptron layer takes tensors, so these take the
 * images alone, or the list [images, labels] and return [images, labels], the labels (float32,
 * one row per image: one-hot or soft) mixed with the partners' by the weights the images got.
 * One image [h, w, c] has no partner but itself and passes through, as do images at inference.
 */
export abstract class MixingLayer extends NoiseLayer {
  protected override get takesList(): boolean {
    return true;
  }

  /** The batch mixed with `partners` (the images permuted), by draws from `generator`. */
  protected abstract mix(images: Tensor, partners: Tensor, generator: RandomGenerator): Mixing;

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): LayerOutput {
    const [given, labels, ...rest] = Array.isArray(inputs) ? inputs : [inputs];
    if (Array.isArray(inputs) && (labels === undefined || rest.length > 0)) {
      throw new Error(`${this.label}: expected images or the list [images, labels], got a list of ${inputs.length} tensors`);
    }
    const images = floatImages(this.label, given!);
    const batch = images.rank === 4 ? images.shape[0]! : 1;
    if (labels !== undefined && (labels.dtype !== 'float32' || labels.rank === 0 || (images.rank === 4 && labels.shape[0] !== batch))) {
      throw new Error(`${this.label}: expected float32 labels with one row per image (${batch}), one-hot or soft, got ${labels.dtype} ${formatShape(labels.shape)}`);
    }
    if (!kwargs.training || images.rank === 3) return labels === undefined ? images : [images, labels];
    const generator = this.generator();
    const order = tensor(generator.permutation(batch), [batch], 'int32');
    const { images: mixed, labelWeights } = this.mix(images, gather(images, order, 0), generator);
    if (labels === undefined) return mixed;
    const weights = tensor(labelWeights as number[], [batch, ...labels.shape.slice(1).map(() => 1)]);
    // w·y + (1 − w)·y_partner, written as y_partner + w·(y − y_partner).
    const partners = gather(labels, order, 0);
    return [mixed, add(partners, mul(weights, sub(labels, partners)))];
  }
}
