import type { Tensor } from '../tensor/tensor.js';
import type { Layer, LayerOutput, OutputShape } from './layer.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';

/**
 * Sequential and the wrapper layers pass one tensor from layer to layer: these take a layer's
 * output (or output shape) and refuse a list, naming the `user` that needs one tensor, as Keras
 * refuses a layer of several outputs in a Sequential.
 */
export function singleOutput(user: string, layer: Layer, output: LayerOutput): Tensor {
  if (Array.isArray(output)) throw severalOutputs(user, layer, output.length);
  return output;
}

export function singleOutputShape(user: string, layer: Layer, shape: OutputShape): SymbolicShape {
  if (isShapeList(shape)) throw severalOutputs(user, layer, shape.length);
  return shape;
}

function severalOutputs(user: string, layer: Layer, count: number): Error {
  return new Error(`${user}: expected layer '${layer.name}' to return one tensor, got a list of ${count}; use a functional model (new Model({inputs, outputs})) for layers of several outputs`);
}
