// How a layer finds the layers it holds: Keras's tracking of sublayers assigned to attributes.
import { isPlainObject } from '../util/plain-object.js';

/**
 * The layers `owner` holds in its own enumerable properties, or inside arrays and plain objects
 * there (nested too, as Keras tracks lists and dicts), in assignment order, each once, the owner
 * itself left out. `isLayer` tells layers apart (passed in: this module cannot import Layer,
 * which uses it).
 */
export function heldLayers<L extends object>(owner: L, isLayer: (value: unknown) => value is L): L[] {
  const found: L[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (isLayer(value)) {
      if (value !== owner && !found.includes(value)) found.push(value);
    } else if (value !== null && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      if (Array.isArray(value)) value.forEach(visit);
      else if (isPlainObject(value)) Object.values(value).forEach(visit);
    }
  };
  Object.values(owner).forEach(visit);
  return found;
}

/** `root`, then every layer below it through `childrenOf`, breadth first, each once. */
export function selfAndDescendants<L>(root: L, childrenOf: (layer: L) => readonly L[]): L[] {
  const layers: L[] = [root];
  for (let i = 0; i < layers.length; i++) {
    for (const child of childrenOf(layers[i]!)) if (!layers.includes(child)) layers.push(child);
  }
  return layers;
}
