import { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';

/**
 * Keras's rule for a layer whose weights span its input's last axis (Dense's kernel, a recurrent
 * layer's, a 1-D convolution's): that dimension must be known. Left unknown (an Input of shape
 * [null, null]), the layer would be built for the stand-in length of a dry run and refuse real
 * data later, naming a length nobody gave.
 */
export function requireKnownLastDimension(label: string, inputShape: SymbolicShape): void {
  if (inputShape.length > 1 && inputShape[inputShape.length - 1] === null) {
    throw new Error(`${label}: the last dimension of its input must be known (its weights span it), got ${formatSymbolicShape(inputShape)}`);
  }
}
