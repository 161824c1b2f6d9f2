import type { TracedOp } from './trace-model.js';

/**
 * The calls of the layer named `layerName` in traced `ops`, each as the [first, last] index of a
 * run of consecutive ops the layer ran itself (its name last in their layer path; a child
 * layer's or a later layer's op ends the run). A layer called twice in a row gives one run of
 * both calls, which a caller expecting one call's parts must refuse.
 */
export function layerCallRuns(ops: readonly TracedOp[], layerName: string): [number, number][] {
  const own = (op: TracedOp) => op.layerPath[op.layerPath.length - 1] === layerName;
  const runs: [number, number][] = [];
  for (let i = 0; i < ops.length; i++) {
    if (!own(ops[i]!)) continue;
    const start = i;
    while (i + 1 < ops.length && own(ops[i + 1]!)) i++;
    runs.push([start, i]);
  }
  return runs;
}
