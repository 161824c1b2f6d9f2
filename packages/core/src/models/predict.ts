import type { LayerOutput } from '../layers/layer.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { runSynchronously } from './coroutine.js';
import type { Model } from './model.js';
import type { ModelInput } from './model-input.js';
import { predictLoop, tensorInput } from './predict-loop.js';
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

/** predictStep over slices of `batchSize` rows, concatenated; the only hook is the bar's. */
export function runPredict(model: Model, x: ModelInput, given: PredictOptions): LayerOutput {
  const options = checkOptions('predict', given, PREDICT_OPTIONS);
  const verbose = options.verbose ?? 0;
  if (verbose !== 0 && verbose !== 1) throw new Error(`predict: verbose must be 0 or 1, got ${JSON.stringify(verbose)}`);
  const { batches, count } = tensorInput('predict', x, options.batchSize ?? 32);
  const bar = verbose === 1 ? new ProgbarLogger(1) : null;
  bar?.setParams({ epochs: 1, steps: count, verbose: 1 });
  return runSynchronously(predictLoop('predict', model, batches, bar ?? {}));
}
