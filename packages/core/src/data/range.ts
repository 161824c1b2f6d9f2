import type { Requirement } from '../util/arguments.js';
import type { Stream } from './stream.js';
import { rowOfLeaves } from './table.js';

const INT32_LIMIT = 2 ** 31;

/** Range bounds, which must fit the int32 elements. */
export const INT32: Requirement = ['an integer in the int32 range', (x) => Number.isInteger(x) && x >= -INT32_LIMIT && x < INT32_LIMIT];

/** A range's step: it must move. */
export const NON_ZERO_INT32: Requirement = ['a non-zero integer in the int32 range', (x) => x !== 0 && INT32[1](x)];

/** How many of start, start + step, ... lie before `stop` (after it, for a negative step). */
export function rangeLength(start: number, stop: number, step: number): number {
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** The int32 scalars of a range, as lazy rows: `range(n).batch(k)` uploads one tensor per batch. */
export function* rangeItems(start: number, stop: number, step: number): Stream {
  const length = rangeLength(start, stop, step);
  for (let i = 0; i < length; i++) {
    yield rowOfLeaves(null, [{ values: Int32Array.of(start + i * step), shape: [], dtype: 'int32' }]);
  }
}
