import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { selfAndDescendants } from './held-layers.js';
import type { Layer } from './layer.js';

/** A layer that carries states from one call to the next: a recurrent layer built with `stateful: true`. */
export interface StatefulLayer extends Layer {
  /** True: each call starts from the states the call before ended with. */
  readonly stateful: boolean;
  /** The states the next call starts from; null before the first call. */
  readonly states: readonly Variable[] | null;
  /** The states back to zeros, or to `states`, which the next call starts from. */
  resetStates(states?: Tensor | readonly Tensor[]): void;
}

/**
 * The stateful layers within `root` (itself included), each once, outermost first: what
 * `model.resetStates()` resets, and what an export that would freeze their states refuses.
 */
export function statefulLayersOf(root: Layer): StatefulLayer[] {
  return selfAndDescendants(root, (layer) => layer.childLayers).filter(isStateful);
}

function isStateful(layer: Layer): layer is StatefulLayer {
  const candidate = layer as Partial<StatefulLayer>;
  return candidate.stateful === true && typeof candidate.resetStates === 'function';
}
