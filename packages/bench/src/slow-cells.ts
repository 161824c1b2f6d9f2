/** The training cells skipped unless --all: minutes per epoch each, ~15–30 min per cell with repeats. */
import type { SubjectInfo } from './results.js';
import { MODELS, type ModelName } from './workloads.js';

interface SlowPlaces {
  backends: readonly string[];
  /** Whether the plain JS loop is slow at it too (it cannot build the LSTM at all: never slow, skipped anyway). */
  plainJs: boolean;
}

/**
 * Where each workload takes minutes per epoch. The wide MLP: ~5 min on tfjs-cpu, ~2.5 min as the
 * plain JS loop (issue 7); naive's JS matMul is as slow. The sequence LSTM (measured 2026-11-29,
 * ms per step of 1,719): ~140 on naive, ~230 (Perceptron) and ~270 (tfjs-layers) on tfjs-cpu,
 * i.e. 4–8 min per epoch; 15–45 on simd and tfjs-wasm. The separable CNN (measured 2026-11-29,
 * 50-step epochs): ~138 ms per step on naive, ~37 on tfjs-wasm and ~268 on tfjs-cpu (where
 * core composes the convolutions' filter gradients), ~1,214 for tfjs-layers on tfjs-cpu, i.e.
 * 1–35 min per epoch; ~7 on simd.
 */
const SLOW: Partial<Record<ModelName, SlowPlaces>> = {
  wide: { backends: ['naive', 'tfjs-cpu'], plainJs: true },
  sequence: { backends: ['naive', 'tfjs-cpu'], plainJs: false },
  separable: { backends: ['naive', 'tfjs-cpu', 'tfjs-wasm'], plainJs: false },
};

/** "wide MLP", "sequence LSTM": how the skip reasons name a workload. */
function workloadName(model: ModelName): string {
  return `${model} ${MODELS[model].kind.toUpperCase()}`;
}

/** Why a cell is skipped unless --all, or null when it runs by default. */
export function slowReason(model: ModelName, subject: Pick<SubjectInfo, 'stack' | 'backend'>): string | null {
  const slow = SLOW[model];
  if (slow === undefined) return null;
  const place = subject.stack === 'plain-js'
    ? (slow.plainJs ? 'the plain JS loop' : null)
    : slow.backends.includes(subject.backend) ? subject.backend : null;
  return place === null ? null : `the ${workloadName(model)} on ${place} takes minutes per epoch; run with --all to include it`;
}

/** The report's note on what --all would add, for the workloads `models` that have slow cells. */
export function slowCellsNote(models: readonly ModelName[]): string | null {
  const skipped = models.flatMap((model) => {
    const slow = SLOW[model];
    if (slow === undefined) return [];
    const places = slow.plainJs ? `${slow.backends.join(', ')} and the plain JS loop` : slow.backends.join(' and ');
    return [`the ${workloadName(model)} on ${places}`];
  });
  if (skipped.length === 0) return null;
  return `Skipped by default (minutes per epoch, ~15–30 min per cell with repeats): ${skipped.join('; ')}. Run with --all to include them.`;
}
