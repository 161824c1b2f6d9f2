import { dispose, tidy } from '../engine/memory.js';
import { concat } from '../ops/concat.js';
import { slice } from '../ops/slice.js';
import { Tensor } from '../tensor/tensor.js';
import { checkBatchSize } from './batches.js';
import type { Model } from './model.js';
import { checkOptions } from '../util/options.js';

export interface PredictOptions {
  /** Rows per batch; default 32. */
  batchSize?: number;
}

const PREDICT_OPTIONS: Record<keyof PredictOptions, true> = { batchSize: true };

/** predictStep over slices of `batchSize` rows, concatenated. */
export function runPredict(model: Model, x: Tensor, given: PredictOptions): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`predict: expected x to be a Tensor, got ${typeof x}`);
  x.assertUsable('predict');
  const options = checkOptions('predict', given, PREDICT_OPTIONS);
  const batchSize = options.batchSize ?? 32;
  checkBatchSize('predict', batchSize);
  const n = x.shape[0];
  if (n === undefined) throw new Error('predict: expected x with a batch dimension, got a scalar');
  if (n <= batchSize) return model.predictStep(x);
  const outputs: Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      outputs.push(tidy(() => model.predictStep(slice(x, start, Math.min(batchSize, n - start)))));
    }
    return concat(outputs, 0);
  } finally {
    dispose(outputs);
  }
}
