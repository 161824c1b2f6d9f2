// Non-max suppression on the host, as TensorFlow's CPU kernel (DoNonMaxSuppressionOp) runs it,
// in float32 arithmetic (each step rounded with Math.fround) so that overlaps and scores on a
// threshold compare as they do there.

const f = Math.fround;

/** What one search is asked for; the thresholds already rounded to float32, as TensorFlow's are tensors. */
export interface SuppressionSettings {
  readonly maxOutputSize: number;
  readonly iouThreshold: number;
  readonly scoreThreshold: number;
  /** 0 for hard suppression; above 0, Gaussian soft-NMS of this σ. */
  readonly softNmsSigma: number;
}

export interface Suppression {
  readonly indices: number[];
  /** Each selected box's score when it was selected (lowered by soft-NMS). */
  readonly scores: number[];
}

/**
 * Intersection over union of boxes i and j of `boxes` ([y1, x1, y2, x2] rows, either corner
 * first): 0 when either box has no area.
 */
function iou(boxes: ArrayLike<number>, i: number, j: number): number {
  const side = (b: number, lo: number): [number, number] => [Math.min(boxes[4 * b + lo]!, boxes[4 * b + lo + 2]!), Math.max(boxes[4 * b + lo]!, boxes[4 * b + lo + 2]!)];
  const [[iy0, iy1], [ix0, ix1], [jy0, jy1], [jx0, jx1]] = [side(i, 0), side(i, 1), side(j, 0), side(j, 1)];
  const areaI = f(f(iy1 - iy0) * f(ix1 - ix0));
  const areaJ = f(f(jy1 - jy0) * f(jx1 - jx0));
  if (areaI <= 0 || areaJ <= 0) return 0;
  const overlap = f(Math.max(f(Math.min(iy1, jy1) - Math.max(iy0, jy0)), 0) * Math.max(f(Math.min(ix1, jx1) - Math.max(ix0, jx0)), 0));
  return f(overlap / f(f(areaI + areaJ) - overlap));
}

interface Candidate {
  readonly box: number;
  score: number;
  /** Selections before this one have already lowered `score`. */
  checkedUpTo: number;
}

/** Ahead of: a higher score, or an equal score and a lower box index (TensorFlow's priority queue). */
const ahead = (a: Candidate, b: Candidate): boolean => a.score > b.score || (a.score === b.score && a.box < b.box);

/** Inserts into `queue`, kept in order with the next candidate last, by binary search. */
function enqueue(queue: Candidate[], c: Candidate): void {
  let [lo, hi] = [0, queue.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ahead(queue[mid]!, c)) hi = mid;
    else lo = mid + 1;
  }
  queue.splice(lo, 0, c);
}

/**
 * Greedy selection: candidates (score above scoreThreshold) are taken best first. Hard NMS
 * drops a candidate whose IoU with a selected box is above iouThreshold (equal is kept). Soft-NMS
 * (σ > 0) drops none on overlap but multiplies the score by exp(−IoU²/(2σ)) for each selected box,
 * lazily: a candidate is compared only with the boxes selected since it was last looked at, is
 * selected if that left its score unchanged, re-queued if it changed but is still above
 * scoreThreshold, and dropped otherwise. Stops after maxOutputSize selections.
 */
export function suppress(boxes: ArrayLike<number>, scores: ArrayLike<number>, settings: SuppressionSettings): Suppression {
  const { maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma } = settings;
  const soft = softNmsSigma > 0;
  const scale = soft ? f(-0.5 / softNmsSigma) : 0;
  const queue: Candidate[] = [];
  for (let box = 0; box < scores.length; box++) if (scores[box]! > scoreThreshold) queue.push({ box, score: scores[box]!, checkedUpTo: 0 });
  queue.sort((a, b) => (ahead(a, b) ? 1 : -1));

  const selected: Suppression = { indices: [], scores: [] };
  while (selected.indices.length < maxOutputSize && queue.length > 0) {
    const candidate = queue.pop()!;
    const original = candidate.score;
    let overlapping = false;
    // Newest selections first: an overlapping box is most likely among them.
    for (let j = selected.indices.length - 1; j >= candidate.checkedUpTo; j--) {
      const overlap = iou(boxes, candidate.box, selected.indices[j]!);
      if (!soft && overlap > iouThreshold) {
        overlapping = true;
        break;
      }
      if (soft) candidate.score = f(candidate.score * f(Math.exp(f(f(scale * overlap) * overlap))));
      if (candidate.score <= scoreThreshold) break;
    }
    candidate.checkedUpTo = selected.indices.length;
    if (overlapping) continue;
    if (candidate.score === original) {
      selected.indices.push(candidate.box);
      selected.scores.push(candidate.score);
    } else if (candidate.score > scoreThreshold) {
      enqueue(queue, candidate);
    }
  }
  return selected;
}
