import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { floatImages } from './image-inputs.js';

/** The inputs as float32 images, checked to be RGB (3 channels last): the layers that work on hue, saturation or luma need all three. */
export function rgbImages(label: string, inputs: Tensor): Tensor {
  const images = floatImages(label, inputs);
  if (images.shape[images.rank - 1] !== 3) {
    throw new Error(`${label}: expected RGB images with 3 channels in the last dimension, got shape ${formatShape(images.shape)}`);
  }
  return images;
}
