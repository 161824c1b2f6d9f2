// Keras's masks: which timesteps of a padded sequence hold data. Embedding (maskZero) and
// Masking make one; functional models and Sequential carry it from layer to layer (see
// mask-propagation.ts); recurrent layers skip the steps it marks as padding, and the loss and
// metrics of a masked output leave them out (see models/masked-weights.ts).
import { cast } from '../ops/cast.js';
import { notEqual } from '../ops/compare.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';

/** A [batch, timesteps] bool tensor, true where a sequence holds data and false at padding; null: no mask, every step counts. */
export type Mask = Tensor | null;

/** A layer's mask: one, or one per input or output for a layer of several. */
export type LayerMask = Mask | readonly Mask[];

/** Whether any mask is given. */
export function hasMask(mask: LayerMask | undefined): boolean {
  return Array.isArray(mask) ? mask.some((m) => m !== null) : mask instanceof Tensor;
}

/** The first input's mask: a sequence's, where the inputs are [sequence, ...initial states]. */
export function firstMask(mask: LayerMask | undefined): Mask {
  return (Array.isArray(mask) ? mask[0] : mask) ?? null;
}

/**
 * A sequence's mask checked against its [batch, timesteps, ...] shape, as bool; a numeric
 * mask (1 for data, 0 for padding) is read as Keras reads it, nonzero as true. `label` names the
 * layer in the error.
 */
export function sequenceMask(label: string, mask: LayerMask | undefined, sequenceShape: readonly number[]): Mask {
  const given = firstMask(mask);
  if (given === null) return null;
  if (!(given instanceof Tensor)) throw new Error(`${label}: expected the mask to be a Tensor [batch, timesteps], got ${String(given)}`);
  const [batch, timesteps] = sequenceShape;
  if (given.shape.length !== 2 || given.shape[0] !== batch || given.shape[1] !== timesteps) {
    throw new Error(`${label}: expected a mask of shape [${batch},${timesteps}] ([batch, timesteps] of the input ${formatShape(sequenceShape)}), got ${formatShape(given.shape)}`);
  }
  return asBoolMask(given);
}

/** A mask as bool; a numeric one (1 for data, 0 for padding) read as Keras reads it, nonzero as true. */
export function asBoolMask(mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? mask : notEqual(mask, 0);
}

/** A mask as float32 weights: 1 at data, 0 at padding. */
export function asWeights(mask: Tensor): Tensor {
  return cast(mask, 'float32');
}

/**
 * The masks of model outputs, attached when asked (the `keepOutputMask` kwarg): by `trainStep`
 * and `testStep`, so that the loss and the metrics leave padding out as Keras's do, and by a
 * graph calling a model nested in it, so that the mask goes on past it.
 */
const OUTPUT_MASKS = new WeakMap<Tensor, Tensor>();

export function attachMask(output: Tensor, mask: Mask): void {
  if (mask) OUTPUT_MASKS.set(output, mask);
}

/** The mask attached to `output`, while it lives. */
export function maskOf(output: Tensor): Mask {
  const mask = OUTPUT_MASKS.get(output);
  return mask && !mask.isDisposed ? mask : null;
}
