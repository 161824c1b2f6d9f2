import type { EpochPoint, StepPoint } from '../plot/learning-curves.js';
import type { Prediction } from './predictions.js';

/** Per-epoch figures plus timing, as report.json stores them. */
export interface EpochRecord extends EpochPoint {
  /** Wall time of the epoch's training steps (validation excluded). */
  seconds: number;
  steps: number;
  msPerStep: number;
}

/** What a training mode hands back to the lab runner. */
export interface TrainingRecord {
  epochs: EpochRecord[];
  /** Low mode only: the running figures at each logged step. */
  steps: StepPoint[];
  test: { loss: number; accuracy: number };
  predictions: Prediction[];
}
