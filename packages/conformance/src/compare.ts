import type { DType } from '@perceptron/core';
import type { Bound } from './cases/types.js';

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

export function compare(got: ArrayLike<number>, want: ArrayLike<number>, bound: Bound, scale: number, dtype: DType): Comparison {
  if (got.length !== want.length) {
    return { pass: false, maxAbs: Infinity, maxRel: Infinity, failure: `${got.length} values, expected ${want.length}` };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let failure: string | null = null;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
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
