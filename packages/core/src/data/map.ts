import { ENGINE } from '../engine/engine.js';
import { tidy, type TensorContainer } from '../engine/memory.js';
import { madeSince, materialize, release, tensorsIn, type Item, type Materialized } from './element.js';

/**
 * Applies a `map` function to one item, inside `tidy` so its intermediate tensors are freed.
 * The pipeline owns the result's tensors that `fn` made and the owned inputs it passed through;
 * one that existed before the call (a captured constant), a variable or a kept tensor stays its maker's, so no
 * later stage frees it. Owned inputs `fn` did not return are freed now: nothing else holds them.
 */
export function mapItem<T>(fn: (element: T) => unknown, item: Item): Materialized {
  const input = materialize(item);
  // Tensor ids only grow: the tensors `fn` makes are the ones numbered from here on.
  const firstMade = ENGINE.nextTensorId;
  let value: unknown;
  try {
    value = tidy('Dataset.map', () => fn(input.value as T) as TensorContainer);
  } catch (error) {
    release(input);
    throw error;
  }
  const returned = tensorsIn(value);
  for (const t of input.owned) if (!returned.has(t)) t.dispose();
  const madeForElement = madeSince(firstMade);
  const owned = new Set([...returned].filter((t) => input.owned.has(t) || madeForElement(t)));
  return { value, owned };
}
