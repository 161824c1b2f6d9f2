import type { DType } from '@perceptron/core';
import type { Bound } from './cases/types.js';
import { toInt32 } from './reference/int32.js';

/** How far a backend's values are from the oracle's, and whether that is within the bound. */
export interface Comparison {
  pass: boolean;
  maxAbs: number;
  /** Largest |got − want| / |want| over elements with want ≠ 0. */
  maxRel: number;
  /** The first element outside the bound, for the failure message. */
  failure: string | null;
}

function withinBound(got: number, want: number, bound: Bound, scale: number, dtype: DType): boolean {
  if (!Number.isFinite(want)) return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want));
  if (bound === 'exact') return got === (dtype === 'float32' ? Math.fround(want) : want);
  return Math.abs(got - want) <= scale * (bound.abs + bound.rel * Math.abs(want));
}

/**
 * Integers carry no rounding error, so an int32 result must be exact whatever the op's float
 * bound, and it is compared with the oracle's value as int32 stores it (wrapped).
 */
function boundFor(bound: Bound, dtype: DType): { bound: Bound; asStored: (want: number) => number } {
  return dtype === 'int32' ? { bound: 'exact', asStored: toInt32 } : { bound, asStored: (want) => want };
}

/** Compares a backend's values with the oracle's within `requested` (scaled by `scale`); int32 results must be exact. */
export function compare(got: ArrayLike<number>, want: ArrayLike<number>, requested: Bound, scale: number, dtype: DType): Comparison {
  const { bound, asStored } = boundFor(requested, dtype);
  if (got.length !== want.length) {
    return { pass: false, maxAbs: Infinity, maxRel: Infinity, failure: `${got.length} values, expected ${want.length}` };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let failure: string | null = null;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = asStored(want[i]!);
    const diff = Number.isFinite(w) ? Math.abs(g - w) : Object.is(g, w) ? 0 : Infinity;
    maxAbs = Math.max(maxAbs, diff);
    if (w !== 0) maxRel = Math.max(maxRel, diff / Math.abs(w));
    if (failure === null && !withinBound(g, w, bound, scale, dtype)) {
      const allowed = bound === 'exact' ? 'exact' : `≤ ${scale} × (${bound.abs} + ${bound.rel}·|want|)`;
      failure = `element ${i}: got ${g}, want ${w} (|diff| ${diff.toExponential(3)}, allowed ${allowed})`;
    }
  }
  return { pass: failure === null, maxAbs, maxRel, failure };
}
