import type { Tensor } from '../tensor/tensor.js';
import type { CallKwargs, Layer, LayerOutput } from './layer.js';
import { hasMask, maskOf, type LayerMask } from './mask.js';

/** Layers already warned that they drop a mask: Keras warns once per layer too. */
const warned = new WeakSet<Layer>();

/**
 * One call of a model's graph: `layer` applied to `inputs` with their mask (as `kwargs.mask`
 * when there is one), and the mask of its output, which `computeMask` gives, or for a model
 * nested in this one (asked to keep its output masks), the masks its own graph made. A layer
 * that does not support masking ends the mask there, with a warning, as Keras 3 does.
 */
export function applyWithMask(layer: Layer, inputs: Tensor | Tensor[], kwargs: CallKwargs, mask: LayerMask): { output: LayerOutput; mask: LayerMask } {
  const masked = hasMask(mask);
  const output = layer.apply(inputs, { ...kwargs, ...(masked ? { mask } : {}), keepOutputMask: true });
  if (masked && !layer.supportsMasking && !warned.has(layer)) {
    warned.add(layer);
    console.warn(`Layer '${layer.name}' was given a mask (from an Embedding with maskZero, or Masking) but does not support masking: the layers after it see every timestep`);
  }
  const kept = (Array.isArray(output) ? output : [output]).map(maskOf);
  if (kept.some((m) => m !== null)) return { output, mask: Array.isArray(output) ? kept : kept[0]! };
  return { output, mask: layer.computeMask(inputs, mask) };
}
