/** Images per second of `predict` over the test images, read back to JS. */
import type { Predictor } from './driver.js';
import { withMemory } from './memory-sampler.js';
import type { PredictMeasurement } from './results.js';
import { mapSummary } from './stats.js';
import { timeSamples, type SampleOptions } from './timing.js';
import { PREDICT_BATCH } from './workloads.js';

export async function measurePredict(predictor: Pick<Predictor, 'run'>, images: number, options: SampleOptions): Promise<PredictMeasurement> {
  const { result, memory } = await withMemory(() => timeSamples(() => predictor.run(), options));
  return {
    status: 'ok',
    images,
    batchSize: Math.min(PREDICT_BATCH, images),
    imagesPerSecond: mapSummary(result.perCall, (s) => images / s),
    passesPerSample: result.calls,
    memory,
  };
}
