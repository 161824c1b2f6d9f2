import { dispose, tidy } from '../engine/memory.js';
import { concat } from '../ops/concat.js';
import { slice } from '../ops/slice.js';
import { Tensor } from '../tensor/tensor.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { checkBatchSize } from './batches.js';
import type { Model } from './model.js';
import { checkOptions } from '../util/options.js';

export interface PredictOptions {
  /** Rows per batch; default 32. */
  batchSize?: number;
  /**
   * 1 draws Keras's bar (`1/1 ━━━━ 0s 21ms/step`); default 0, quiet as tfjs's predict, since
   * predict answers synchronously and is often called on single samples.
   */
  verbose?: 0 | 1;
}

const PREDICT_OPTIONS: Record<keyof PredictOptions, true> = { batchSize: true, verbose: true };

/** predictStep over slices of `batchSize` rows, concatenated. */
export function runPredict(model: Model, x: Tensor, given: PredictOptions): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`predict: expected x to be a Tensor, got ${typeof x}`);
  x.assertUsable('predict');
  const options = checkOptions('predict', given, PREDICT_OPTIONS);
  const batchSize = options.batchSize ?? 32;
  checkBatchSize('predict', batchSize);
  const verbose = options.verbose ?? 0;
  if (verbose !== 0 && verbose !== 1) throw new Error(`predict: verbose must be 0 or 1, got ${JSON.stringify(verbose)}`);
  const n = x.shape[0];
  if (n === undefined) throw new Error('predict: expected x with a batch dimension, got a scalar');
  const steps = Math.max(1, Math.ceil(n / batchSize));
  const bar = verbose === 1 ? new ProgbarLogger(1) : null;
  bar?.setParams({ epochs: 1, steps, verbose: 1 });
  bar?.onPredictBegin();
  const outputs: Tensor[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const start = step * batchSize;
      outputs.push(steps === 1 ? model.predictStep(x) : tidy(() => model.predictStep(slice(x, start, Math.min(batchSize, n - start)))));
      bar?.onPredictBatchEnd(step);
    }
    bar?.onPredictEnd();
    return steps === 1 ? outputs.pop()! : concat(outputs, 0);
  } finally {
    dispose(outputs);
  }
}
