import { cast } from '../ops/cast.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** Throws, naming the layer's `label`, unless `shape` is channels-last images: batched [batch, height, width, channels] or one [height, width, channels]. */
export function checkImageShape(label: string, shape: SymbolicShape): void {
  if (shape.length !== 3 && shape.length !== 4) {
    throw new Error(`${label}: expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape ${formatShape(shape.map((d) => d ?? -1))}`);
  }
}

/** The inputs as float32 images, checked: Keras's image preprocessing layers compute in float32 whatever the pixels' type. */
export function floatImages(label: string, inputs: Tensor): Tensor {
  checkImageShape(label, inputs.shape);
  return inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
}
