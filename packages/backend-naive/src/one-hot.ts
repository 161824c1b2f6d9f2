import { allocate, type NaiveHandle, type NaiveTensor } from './storage.js';

/** float32 [...indices.shape, depth]: row i is `offValue` except `onValue` at column indices[i].
 *  An index outside [0, depth) leaves its row all `offValue`. */
export function oneHot(indices: NaiveTensor, depth: number, onValue: number, offValue: number): NaiveHandle {
  const out = allocate('float32', indices.handle.length * depth).fill(offValue);
  for (let row = 0; row < indices.handle.length; row++) {
    const column = indices.handle[row];
    if (column >= 0 && column < depth) out[row * depth + column] = onValue;
  }
  return out;
}
