import { divideNoNan, type ConfusionCounts } from './confusion-counts.js';

export type Curve = 'ROC' | 'PR';
export type SummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** The height of the strip between two neighbouring points of the curve. */
const HEIGHTS: Record<SummationMethod, (left: number, right: number) => number> = {
  interpolation: (left, right) => (left + right) / 2, // the trapezoid rule
  minoring: Math.min,
  majoring: Math.max,
};

/**
 * The area under the ROC curve (recall against false-positive rate) or the PR curve (precision
 * against recall) through the points the counts give at each threshold, as keras.metrics.AUC:
 * a Riemann sum of strips of the chosen height, except for PR with 'interpolation', which
 * interpolates the counts rather than the precision (interpolatedPrArea). Thresholds ascend,
 * so each point lies left of the one before it.
 */
export function areaUnderCurve(counts: ConfusionCounts, curve: Curve, method: SummationMethod): number {
  if (curve === 'PR' && method === 'interpolation') return interpolatedPrArea(counts);
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  const recall = (i: number) => divideNoNan(tp[i]!, tp[i]! + fn[i]!);
  const falsePositiveRate = (i: number) => divideNoNan(fp[i]!, fp[i]! + tn[i]!);
  const precision = (i: number) => divideNoNan(tp[i]!, tp[i]! + fp[i]!);
  const [x, y] = curve === 'ROC' ? [falsePositiveRate, recall] : [recall, precision];
  const height = HEIGHTS[method];
  let area = 0;
  for (let i = 0; i + 1 < tp.length; i++) area += (x(i) - x(i + 1)) * height(y(i), y(i + 1));
  return area;
}

/**
 * The PR area with Davis & Goadrich's (2006) interpolation, in Keras's closed form. Between two
 * thresholds the true positives TP and the predicted positives P = TP + FP move linearly, so
 * TP = intercept + slope·P and precision TP/P is not linear: its integral over the recall
 * step is slope·(ΔTP + intercept·ln(P_low / P_high)) / (all positives). Where P_high is 0 the
 * strip takes the constant precision `slope`.
 */
export function interpolatedPrArea(counts: ConfusionCounts): number {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  const predictedPositives = (i: number) => tp[i]! + fp[i]!;
  let area = 0;
  for (let low = 0, high = 1; high < tp.length; low++, high++) {
    const truePositiveStep = tp[low]! - tp[high]!;
    const [pLow, pHigh] = [predictedPositives(low), predictedPositives(high)];
    const slope = divideNoNan(truePositiveStep, Math.max(pLow - pHigh, 0));
    const intercept = tp[high]! - slope * pHigh;
    const ratio = pLow > 0 && pHigh > 0 ? pLow / pHigh : 1;
    area += divideNoNan(slope * (truePositiveStep + intercept * Math.log(ratio)), Math.max(tp[high]! + fn[high]!, 0));
  }
  return area;
}
