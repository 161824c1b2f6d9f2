/** Seconds per epoch of one model on one stack and backend: one warm-up epoch, then `repeats` measured ones. */
import type { Driver, Images } from './driver.js';
import { withMemory } from './memory-sampler.js';
import { Heartbeat, type Log } from './progress.js';
import type { TrainingMeasurement } from './results.js';
import { mapSummary, summarize } from './stats.js';
import type { ModelSpec } from './workloads.js';

/** Memory is sampled every this many steps from loops that never yield. */
const SAMPLE_EVERY_STEPS = 16;

export async function measureTraining(driver: Driver, spec: ModelSpec, train: Images, repeats: number, log: Log): Promise<TrainingMeasurement> {
  const steps = Math.ceil(train.count / spec.batchSize);
  const epochs = 1 + repeats;
  const label = `${spec.name} · ${driver.stack}/${driver.backend}`;
  const seconds: number[] = [];
  let epochStart = 0;
  let epochNow = 0;
  let batches = 0;
  let loss = NaN;
  let accuracy = NaN;
  const trainer = await driver.trainer(spec, train);
  const epochName = (epoch: number): string => (epoch === 0 ? 'warm-up epoch' : `epoch ${epoch}/${repeats}`);
  const heartbeat = new Heartbeat(log, () => `${label} · ${epochName(epochNow)}: ${((performance.now() - epochStart) / 1000).toFixed(0)} s so far${batches > 0 ? `, step ${batches % steps}/${steps}` : ''}`);
  try {
    const { memory } = await withMemory(async (sampler) => {
      await trainer.fit(epochs, {
        onEpochBegin(epoch) {
          epochNow = epoch;
          epochStart = performance.now();
        },
        onEpochEnd(epoch, epochLoss, epochAccuracy) {
          const elapsed = (performance.now() - epochStart) / 1000;
          seconds.push(elapsed);
          loss = epochLoss;
          accuracy = epochAccuracy;
          log(`${label} · ${epochName(epoch)}: ${elapsed.toFixed(2)} s (${((elapsed * 1000) / steps).toFixed(2)} ms/step), loss ${epochLoss.toFixed(4)}, accuracy ${epochAccuracy.toFixed(4)}`);
        },
        onBatchEnd() {
          batches++;
          if (batches % SAMPLE_EVERY_STEPS === 0) {
            sampler.sample();
            heartbeat.tick();
          }
        },
      });
    });
    if (seconds.length !== epochs) throw new Error(`${label}: fit ran ${seconds.length} epochs, expected ${epochs}`);
    const epochSeconds = summarize(seconds.slice(1));
    return {
      status: 'ok',
      steps,
      images: train.count,
      batchSize: spec.batchSize,
      warmupSeconds: seconds[0]!,
      epochSeconds,
      msPerStep: mapSummary(epochSeconds, (s) => (s * 1000) / steps),
      finalLoss: loss,
      finalAccuracy: accuracy,
      memory,
    };
  } finally {
    heartbeat.stop();
    trainer.dispose();
  }
}
