import { attr, type GraphBuilder } from './graph-builder.js';
import type { TracedOp } from './trace-model.js';

// Shapes that hold the batch size (a fill's, a segment sum's) made in-graph, so that the graph
// stays batch-general: each dimension that followed the batch between the two traces is read
// from a value's Shape at run time.

/**
 * How each dimension of a shape traced at batch sizes `batch` and `otherBatch` follows the batch:
 * k where it was k × the batch size in both traces, 0 where it stayed. A dimension that changed
 * otherwise is refused through `fail`, naming `what`.
 */
export function batchMultiples(
  shape: readonly number[], other: readonly number[], batch: number, otherBatch: number, what: string, fail: (reason: string) => never,
): number[] {
  return shape.map((d, i) => {
    if (d === other[i]) return 0;
    const multiple = d / batch;
    if (Number.isInteger(multiple) && multiple * otherBatch === other[i]) return multiple;
    return fail(`dimension ${i} of ${what} [${shape.join(',')}] changed with the batch size but is not a multiple of it (${d} at batch ${batch}, ${other[i]} at batch ${otherBatch})`);
  });
}

/** The batch size as a 1-D int64 [batch], read from dimension `axis` of `name`, which holds `multiple` × the batch. */
export function batchSizeOf(b: GraphBuilder, name: string, axis: number, multiple: number, scope: string): string {
  const size = b.node('Slice', [b.node('Shape', [name], [], scope), b.int64s([axis], scope, 'starts'), b.int64s([axis + 1], scope, 'ends')], [], scope);
  return multiple === 1 ? size : b.node('Div', [size, b.int64s([multiple], scope, 'multiple')], [], scope);
}

/**
 * The batch size in-graph, from the first dimension of `op`'s inputs (value names `inputs`) that
 * was a multiple of it in both traces; refused through `fail` when none was.
 */
export function batchSizeFrom(b: GraphBuilder, op: TracedOp, other: TracedOp, inputs: readonly string[], scope: string, fail: (reason: string) => never): string {
  for (const [k, shape] of op.inputShapes.entries()) {
    const axis = shape.findIndex((d, i) => d !== other.inputShapes[k]![i] && Number.isInteger(d / op.batch) && (d / op.batch) * other.batch === other.inputShapes[k]![i]);
    if (axis >= 0) return batchSizeOf(b, inputs[k]!, axis, shape[axis]! / op.batch, scope);
  }
  return fail(`its shape follows the batch size but none of its inputs' does (${op.inputShapes.map((s) => `[${s.join(',')}]`).join(', ')})`);
}

/**
 * `shape` as a 1-D int64 value, its dimensions of multiple k (`batchMultiples`) k × `batchSize`
 * (batchSizeOf's), the others as traced: one piece per run of fixed dimensions, Concat'ed.
 */
export function shapeInGraph(b: GraphBuilder, shape: readonly number[], multiples: readonly number[], batchSize: string, scope: string): string {
  const pieces: string[] = [];
  let fixed: number[] = [];
  const flush = () => {
    if (fixed.length > 0) pieces.push(b.int64s(fixed, scope, 'dims'));
    fixed = [];
  };
  shape.forEach((d, i) => {
    const multiple = multiples[i]!;
    if (multiple === 0) {
      fixed.push(d);
      return;
    }
    flush();
    pieces.push(multiple === 1 ? batchSize : b.node('Mul', [batchSize, b.int64s([multiple], scope, 'multiple')], [], scope));
  });
  flush();
  return pieces.length === 1 ? pieces[0]! : b.node('Concat', pieces, [attr.int('axis', 0)], scope);
}
