/** The four cells of a binary confusion matrix, as Keras names its metric variables. */
export type Condition = 'truePositives' | 'falsePositives' | 'trueNegatives' | 'falseNegatives';

/** a / b, or 0 where b is 0: Keras's divide_no_nan, so a metric reads 0 before it has seen a case. */
export function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * `count` ascending thresholds: `first`, the (count − 2) points i/(count − 1) evenly spaced inside
 * (0, 1), and `last`. AUC and the rate-at-rate metrics differ only in their ends.
 */
export function evenlySpacedThresholds(count: number, first: number, last: number): number[] {
  return [first, ...Array.from({ length: count - 2 }, (_, i) => (i + 1) / (count - 1)), last];
}

/** How many of the ascending `thresholds` lie strictly below `value` (0 for NaN, which exceeds none). */
function countBelow(thresholds: readonly number[], value: number): number {
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (thresholds[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Weighted confusion counts at each of an ascending list of thresholds, summed in float64 on
 * the host: the state of Precision, Recall, the four condition counts and AUC. As in Keras, a
 * prediction is positive at threshold t when it is strictly greater than t, and a label is
 * positive when it is non-zero (Keras casts labels to bool).
 */
export class ConfusionCounts implements Record<Condition, Float64Array> {
  readonly truePositives: Float64Array;
  readonly falsePositives: Float64Array;
  readonly trueNegatives: Float64Array;
  readonly falseNegatives: Float64Array;

  constructor(readonly thresholds: readonly number[]) {
    this.truePositives = new Float64Array(thresholds.length);
    this.falsePositives = new Float64Array(thresholds.length);
    this.trueNegatives = new Float64Array(thresholds.length);
    this.falseNegatives = new Float64Array(thresholds.length);
  }

  /**
   * Adds one batch of flat labels, predictions and weights (null: all 1). A prediction is
   * positive at exactly the thresholds below it, so each weight is put in the bucket of how
   * many thresholds it exceeds, and a sum over the buckets from the top gives every
   * threshold's counts: O(n log T + T), not O(n·T).
   */
  add(labels: ArrayLike<number>, predictions: ArrayLike<number>, weights: ArrayLike<number> | null): void {
    const count = this.thresholds.length;
    const positiveBuckets = new Float64Array(count + 1);
    const negativeBuckets = new Float64Array(count + 1);
    let positives = 0;
    let negatives = 0;
    for (let i = 0; i < predictions.length; i++) {
      const weight = weights ? weights[i]! : 1;
      const bucket = countBelow(this.thresholds, predictions[i]!);
      if (labels[i] !== 0) {
        positiveBuckets[bucket]! += weight;
        positives += weight;
      } else {
        negativeBuckets[bucket]! += weight;
        negatives += weight;
      }
    }
    let positivesAbove = 0;
    let negativesAbove = 0;
    for (let t = count - 1; t >= 0; t--) {
      positivesAbove += positiveBuckets[t + 1]!;
      negativesAbove += negativeBuckets[t + 1]!;
      this.truePositives[t]! += positivesAbove;
      this.falsePositives[t]! += negativesAbove;
      this.falseNegatives[t]! += positives - positivesAbove;
      this.trueNegatives[t]! += negatives - negativesAbove;
    }
  }

  reset(): void {
    for (const counts of [this.truePositives, this.falsePositives, this.trueNegatives, this.falseNegatives]) counts.fill(0);
  }
}
