import { dispose } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { hostResult } from './host-result.js';
import { suppress, type Suppression, type SuppressionSettings } from './non-max-suppression-search.js';

// tf.image's non-max suppression ops. The boxes and scores are read back and searched on the
// host, as TensorFlow's CPU kernels do (non-max-suppression-search.ts); the results carry no
// gradient, as in TensorFlow, and are outputs of ops that ONNX export does not map (hostResult).

export interface NonMaxSuppressionWithScoreResult {
  /** int32 [numSelected]: the selected boxes' rows in `boxes`, in the order they were selected. */
  readonly selectedIndices: Tensor;
  /** float32 [numSelected]: each selection's score when it was selected (lowered by soft-NMS when `softNmsSigma` > 0). */
  readonly selectedScores: Tensor;
}

export interface NonMaxSuppressionPaddedResult {
  /** int32: the selected boxes' rows in `boxes`, best score first; with `padToMaxOutputSize`, 0s follow up to maxOutputSize entries. */
  readonly selectedIndices: Tensor;
  /** int32 scalar: how many leading entries of selectedIndices are selections, the rest being padding. */
  readonly validOutputs: Tensor;
}

/** The search's settings from an op's arguments, after checking them and the boxes' and scores' shapes. */
function settingsOf(op: string, boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold: number, scoreThreshold: number, softNmsSigma: number): SuppressionSettings {
  if (boxes.dtype !== 'float32' || boxes.rank !== 2 || boxes.shape[1] !== 4) {
    throw new Error(`${op}: expected float32 boxes of shape [numBoxes,4], got ${boxes.dtype} ${formatShape(boxes.shape)}`);
  }
  if (scores.dtype !== 'float32' || scores.rank !== 1 || scores.shape[0] !== boxes.shape[0]) {
    throw new Error(`${op}: expected float32 scores of shape [${boxes.shape[0]}] (one per box), got ${scores.dtype} ${formatShape(scores.shape)}`);
  }
  if (!Number.isInteger(maxOutputSize) || maxOutputSize < 0) throw new Error(`${op}: expected maxOutputSize to be a non-negative integer, got ${String(maxOutputSize)}`);
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) throw new Error(`${op}: expected iouThreshold in [0, 1], got ${String(iouThreshold)}`);
  if (typeof scoreThreshold !== 'number' || Number.isNaN(scoreThreshold)) throw new Error(`${op}: expected scoreThreshold to be a number, got ${String(scoreThreshold)}`);
  if (!(softNmsSigma >= 0)) throw new Error(`${op}: expected softNmsSigma to be non-negative, got ${String(softNmsSigma)}`);
  const f = Math.fround;
  return { maxOutputSize, iouThreshold: f(iouThreshold), scoreThreshold: f(scoreThreshold), softNmsSigma: f(softNmsSigma) };
}

type Settings = [maxOutputSize: number, iouThreshold: number, scoreThreshold: number, softNmsSigma: number];

/** Makes an op's results from the search's, as outputs of op `op` on the boxes and scores. */
type Outputs<T> = (r: Suppression, op: string, inputs: readonly Tensor[]) => T;

function search<T>(op: string, boxes: TensorLike, scores: TensorLike, settings: Settings, outputs: Outputs<T>): T {
  return withTensors(op, [boxes, scores], (b, s) => {
    const checked = settingsOf(op, b, s, ...settings);
    return outputs(suppress(b.dataSync(), s.dataSync(), checked), op, [b, s]);
  }, 'float32');
}

/** `search` reading the boxes and scores with `data()`: the literals it makes live until the results are made. */
async function searchAsync<T>(op: string, boxes: TensorLike, scores: TensorLike, settings: Settings, outputs: Outputs<T>): Promise<T> {
  const made: Tensor[] = [];
  const asTensor = (x: TensorLike): Tensor => {
    if (x instanceof Tensor) return x;
    const t = tensor(x, undefined, 'float32');
    made.push(t);
    return t;
  };
  try {
    const [b, s] = [asTensor(boxes), asTensor(scores)];
    const checked = settingsOf(op, b, s, ...settings);
    const [boxValues, scoreValues] = await Promise.all([b.data(), s.data()]);
    return outputs(suppress(boxValues, scoreValues, checked), op, [b, s]);
  } finally {
    dispose(made);
  }
}

const int32Vector = (op: string, inputs: readonly Tensor[], values: readonly number[]): Tensor =>
  hostResult(op, inputs, Int32Array.from(values), [values.length], 'int32');

const indicesOnly: Outputs<Tensor> = (r, op, inputs) => int32Vector(op, inputs, r.indices);

const withScores: Outputs<NonMaxSuppressionWithScoreResult> = (r, op, inputs) => ({
  selectedIndices: int32Vector(op, inputs, r.indices),
  selectedScores: hostResult(`${op}SelectedScores`, inputs, Float32Array.from(r.scores), [r.scores.length], 'float32'),
});

/** TensorFlow's NonMaxSuppressionV4 outputs: with `pad`, the indices filled with 0s to maxOutputSize. */
const padded = (maxOutputSize: number, pad: boolean): Outputs<NonMaxSuppressionPaddedResult> => (r, op, inputs) => ({
  selectedIndices: int32Vector(op, inputs, pad ? [...r.indices, ...new Array<number>(maxOutputSize - r.indices.length).fill(0)] : r.indices),
  validOutputs: hostResult(`${op}ValidOutputs`, inputs, Int32Array.of(r.indices.length), [], 'int32'),
});

/**
 * tf.image.nonMaxSuppression: the int32 indices of at most `maxOutputSize` boxes ([numBoxes, 4]
 * rows [y1, x1, y2, x2], either corner first), best score first, each overlapping no box picked
 * before it by more than `iouThreshold` (intersection over union; equal to it is kept, as in
 * TensorFlow), among the boxes scoring above `scoreThreshold`. Equal scores go lower index first.
 */
export function nonMaxSuppression(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity): Tensor {
  return search('nonMaxSuppression', boxes, scores, [maxOutputSize, iouThreshold, scoreThreshold, 0], indicesOnly);
}

/** nonMaxSuppression reading the boxes and scores asynchronously (`data()`), for backends that compute elsewhere. */
export async function nonMaxSuppressionAsync(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity): Promise<Tensor> {
  return searchAsync('nonMaxSuppressionAsync', boxes, scores, [maxOutputSize, iouThreshold, scoreThreshold, 0], indicesOnly);
}

/**
 * tf.image.nonMaxSuppressionWithScore: nonMaxSuppression with each selection's score. With
 * `softNmsSigma` > 0 it is soft-NMS (Bodla et al.), as TensorFlow's NonMaxSuppressionV5: no box is
 * dropped for overlapping, but each selection multiplies the remaining scores by
 * exp(−IoU²/(2σ)), which reorders them; boxes whose score falls to scoreThreshold or below are
 * dropped, and selectedScores holds the lowered scores. iouThreshold then plays no part.
 */
export function nonMaxSuppressionWithScore(
  boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity, softNmsSigma = 0,
): NonMaxSuppressionWithScoreResult {
  return search('nonMaxSuppressionWithScore', boxes, scores, [maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma], withScores);
}

/** nonMaxSuppressionWithScore reading the boxes and scores asynchronously. */
export async function nonMaxSuppressionWithScoreAsync(
  boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity, softNmsSigma = 0,
): Promise<NonMaxSuppressionWithScoreResult> {
  return searchAsync('nonMaxSuppressionWithScoreAsync', boxes, scores, [maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma], withScores);
}

/**
 * tf.image.nonMaxSuppressionPadded: nonMaxSuppression's indices and, as an int32 scalar, how
 * many there are (validOutputs); with `padToMaxOutputSize` the indices are filled with 0s to
 * maxOutputSize entries, as TensorFlow's NonMaxSuppressionV4 does (tfjs stops at the number of boxes).
 */
export function nonMaxSuppressionPadded(
  boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity, padToMaxOutputSize = false,
): NonMaxSuppressionPaddedResult {
  return search('nonMaxSuppressionPadded', boxes, scores, [maxOutputSize, iouThreshold, scoreThreshold, 0], padded(maxOutputSize, padToMaxOutputSize));
}

/** nonMaxSuppressionPadded reading the boxes and scores asynchronously. */
export async function nonMaxSuppressionPaddedAsync(
  boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity, padToMaxOutputSize = false,
): Promise<NonMaxSuppressionPaddedResult> {
  return searchAsync('nonMaxSuppressionPaddedAsync', boxes, scores, [maxOutputSize, iouThreshold, scoreThreshold, 0], padded(maxOutputSize, padToMaxOutputSize));
}
