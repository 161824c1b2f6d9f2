/** The cells skipped unless --all: training that takes minutes per epoch, predict that takes tens of seconds per pass. */
import type { ModelUse } from './driver.js';
import type { SubjectInfo } from './results.js';
import { MODELS, type ModelName } from './workloads.js';

interface SlowPlaces {
  backends: readonly string[];
  /** Whether the plain JS loop is slow at it too (it cannot build the LSTM or the CNN at all: never slow, skipped anyway). */
  plainJs: boolean;
}

/**
 * Where each workload is slow to train or to predict with. Training the wide MLP takes ~5 min
 * per epoch on tfjs-cpu, ~2.5 min as the plain JS loop (issue 7); naive's JS matMul is as slow.
 * The sequence LSTM (measured 2026-11-29, ms per step of 1,719): ~140 on naive, ~230
 * (Perceptron) and ~270 (tfjs-layers) on tfjs-cpu, i.e. 4–8 min per epoch; 15–45 on simd and
 * tfjs-wasm. The separable CNN (measured 2026-11-29, 50-step epochs): ~138 ms per step on naive,
 * ~37 on tfjs-wasm and ~268 on tfjs-cpu (where core composes the convolutions' filter
 * gradients), ~1,214 for tfjs-layers on tfjs-cpu, i.e. 1–35 min per epoch; ~7 on simd.
 * Predicting (measured 2026-11-29, images per second): the LSTM ~820 on naive, ~260–280 on
 * tfjs-cpu; the CNN ~650 on naive, ~520–770 on tfjs-cpu, i.e. 12–40 s per pass over the 10,000
 * test images; 8,000 and more elsewhere.
 */
const SLOW: Record<ModelUse, Partial<Record<ModelName, SlowPlaces>>> = {
  train: {
    wide: { backends: ['naive', 'tfjs-cpu'], plainJs: true },
    sequence: { backends: ['naive', 'tfjs-cpu'], plainJs: false },
    separable: { backends: ['naive', 'tfjs-cpu', 'tfjs-wasm'], plainJs: false },
  },
  predict: {
    sequence: { backends: ['naive', 'tfjs-cpu'], plainJs: false },
    separable: { backends: ['naive', 'tfjs-cpu'], plainJs: false },
  },
};

/** What a slow cell costs, for each use. */
const COST: Record<ModelUse, { each: string; cell: string }> = {
  train: { each: 'takes minutes per epoch', cell: 'minutes per epoch, ~15–30 min per cell with repeats' },
  predict: { each: 'takes 12–40 s per pass over the test images', cell: '12–40 s per pass, 1–3 min per cell with repeats' },
};

/** "wide MLP", "sequence LSTM": how the skip reasons name a workload. */
function workloadName(model: ModelName): string {
  return `${model} ${MODELS[model].kind.toUpperCase()}`;
}

/** Why a cell is skipped unless --all, or null when it runs by default. */
export function slowReason(model: ModelName, subject: Pick<SubjectInfo, 'stack' | 'backend'>, use: ModelUse): string | null {
  const slow = SLOW[use][model];
  if (slow === undefined) return null;
  const place = subject.stack === 'plain-js'
    ? (slow.plainJs ? 'the plain JS loop' : null)
    : slow.backends.includes(subject.backend) ? subject.backend : null;
  if (place === null) return null;
  const what = use === 'train' ? `the ${workloadName(model)}` : `predict with the ${workloadName(model)}`;
  return `${what} on ${place} ${COST[use].each}; run with --all to include it`;
}

/** The report's note on what --all would add for `use`, over the workloads `models` that have slow cells. */
export function slowCellsNote(models: readonly ModelName[], use: ModelUse): string | null {
  const skipped = models.flatMap((model) => {
    const slow = SLOW[use][model];
    if (slow === undefined) return [];
    const places = slow.plainJs ? `${slow.backends.join(', ')} and the plain JS loop` : slow.backends.join(' and ');
    return [`the ${workloadName(model)} on ${places}`];
  });
  if (skipped.length === 0) return null;
  return `${use === 'train' ? 'Training' : 'Predict'} skipped by default (${COST[use].cell}): ${skipped.join('; ')}. Run with --all to include them.`;
}
