import type { TracedSource } from './trace-model.js';

/** Whether two traced inputs read the same op's output or the same model input (weights and constants are not compared). */
export const sameSource = (a: TracedSource, b: TracedSource): boolean =>
  a.kind === b.kind && (a.kind === 'op' || a.kind === 'input') && a.index === (b as typeof a).index;
