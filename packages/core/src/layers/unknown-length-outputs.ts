import type { OutputShape } from './call-signature.js';

/**
 * The symbolic output shape of each layer built for inputs of unknown length (from an `Input` or
 * a Sequential's declared shape), as Keras's summary shows it: `(None, None, 64)`. Its weights
 * were made at a stand-in length, and calls on data give concrete lengths, so neither tells it.
 */
const outputs = new WeakMap<object, OutputShape>();

/** Keeps the first symbolic output shape given for `layer`. */
export function rememberUnknownLengthOutput(layer: object, shape: OutputShape): void {
  if (!outputs.has(layer)) outputs.set(layer, shape);
}

/** The symbolic output shape kept for `layer`, if it was built for inputs of unknown length. */
export function unknownLengthOutputOf(layer: object): OutputShape | undefined {
  return outputs.get(layer);
}
