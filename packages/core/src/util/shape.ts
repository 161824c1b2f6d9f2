import type { Shape } from '../types.js';

/** Number of elements in a tensor of `shape`. */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** A shape as errors print it: `[2,3]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides: how far apart consecutive indices of each dimension are. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/** NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const shape of shapes) {
      const d = shape[shape.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (dim !== 1 && d !== dim) {
        throw new Error(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (dimension ${i} of the broadcast result: ${dim} vs ${d})`,
        );
      }
      dim = d;
    }
    out[i] = dim;
  }
  return out;
}

/** Throws naming `op` unless `shape` is an array of non-negative integers. */
export function checkShape(op: string, shape: unknown): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: expected a shape of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/** Resolves a possibly negative axis against `rank`, or throws naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(rank === 0 ? `${op}: a scalar has no axis ${axis}; expected a tensor of rank >= 1` : `${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected -${rank} <= axis < ${rank})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves `axis` (one, several, or undefined = all) to sorted unique non-negative axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const resolved = list.map((a) => normalizeAxis(op, a, rank));
  const unique = [...new Set(resolved)].sort((a, b) => a - b);
  if (unique.length !== resolved.length) throw new Error(`${op}: axis ${JSON.stringify(axis)} repeats an axis`);
  return unique;
}

/** Axes along which `from` was broadcast to reach `to` (for summing gradients back). */
export function broadcastedAxes(from: Shape, to: Shape): number[] {
  const axes: number[] = [];
  const offset = to.length - from.length;
  for (let i = 0; i < to.length; i++) {
    const d = i < offset ? 1 : from[i - offset]!;
    if (d === 1 && to[i] !== 1) axes.push(i);
    else if (i < offset) axes.push(i);
  }
  return axes;
}
