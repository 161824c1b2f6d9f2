import type { Layer } from '@perceptron/core';

/** Every layer under `model` (itself included, then its children's trees in tracking order), each once. */
export function layersUnder(model: Layer, seen = new Set<Layer>()): Layer[] {
  if (seen.has(model)) return [];
  seen.add(model);
  return [model, ...model.childLayers.flatMap((child) => layersUnder(child, seen))];
}
