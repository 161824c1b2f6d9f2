// What the layers that reshape the spatial axes of channels-last inputs (ZeroPadding, Cropping,
// UpSampling in 1D, 2D and 3D) share: the layout they expect, and the per-axis arguments they take
// in Keras's several forms, so that the ranks differ only in their number of spatial axes.

import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** Amounts at the two ends of each spatial axis: [[before, after], ...] (2D: [[top, bottom], [left, right]]). */
export type Edges = readonly (readonly [number, number])[];

/** How edges may be given: one number for every end, one per axis (both ends), or a [before, after] pair per axis (in 1D, the pair alone). */
export type EdgesArgument = number | readonly number[] | readonly (readonly [number, number])[];

const LAYOUTS: Readonly<Record<number, string>> = { 1: '[batch, steps, channels]', 2: '[batch, height, width, channels]', 3: '[batch, depth, height, width, channels]' };
const AXIS_NAMES: Readonly<Record<number, readonly string[]>> = { 1: ['steps'], 2: ['height', 'width'], 3: ['depth', 'height', 'width'] };
const EDGE_FORMS: Readonly<Record<number, string>> = {
  1: 'a non-negative integer or a pair of them [before, after]',
  2: 'a non-negative integer, one per axis [height, width], or a pair per axis [[top, bottom], [left, right]]',
  3: 'a non-negative integer, one per axis [depth, height, width], or a pair per axis [[front, back], [top, bottom], [left, right]]',
};

/** The name of spatial axis `axis` (0-based) of inputs with `rank` spatial axes: 'steps', 'height', 'width'. */
export function spatialAxisName(rank: number, axis: number): string {
  return AXIS_NAMES[rank]![axis]!;
}

/** Throws, naming `label`, unless `shape` is [batch, ...`rank` spatial axes, channels]. */
export function checkSpatialInput(label: string, shape: SymbolicShape, rank: number): void {
  if (shape.length !== rank + 2) {
    throw new Error(`${label}: expected inputs of rank ${rank + 2} ${LAYOUTS[rank]}, got shape ${formatShape(shape.map((d) => d ?? -1))}`);
  }
}

/**
 * The layer's config with its main argument given positionally (`new ZeroPadding2D(2, {name})`)
 * folded in; a config object in its place (`new ZeroPadding2D({padding: 2})`, as `fromConfig`
 * passes it) is taken whole, and nothing at all leaves the argument to its default.
 */
export function withMainArgument<C extends object>(key: keyof C & string, main: C[keyof C] | C | undefined, config: Omit<C, typeof key>): C {
  if (typeof main === 'number' || Array.isArray(main)) return { ...config, [key]: main } as C;
  return (main ?? config) as C;
}

/** `value` in any of the `EdgesArgument` forms, as one [before, after] pair per spatial axis; otherwise an error naming `owner` and `argument`. */
export function edgesArgument(owner: string, argument: string, value: unknown, rank: number): Edges {
  const pairs = perAxis(value, rank)?.map((axis) => (typeof axis === 'number' ? [axis, axis] : axis));
  if (!pairs?.every(isEdgePair)) throw new Error(`${owner}: ${argument} must be ${EDGE_FORMS[rank]}, got ${describeValue(value)}`);
  return pairs.map(([before, after]) => [before, after] as const);
}

/** `value` as one entry per spatial axis (a number or a [before, after] pair), or null when it has neither form. */
function perAxis(value: unknown, rank: number): unknown[] | null {
  if (typeof value === 'number') return new Array<unknown>(rank).fill(value);
  if (!Array.isArray(value)) return null;
  // With one axis, Keras takes its [before, after] pair alone rather than a list of one pair.
  if (rank === 1) return [value];
  return value.length === rank ? value as unknown[] : null;
}

function isEdgePair(value: unknown): value is readonly [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n) && n >= 0);
}

/** Edges as Keras's config writes them: the pair alone in 1D, a pair per axis otherwise. */
export function edgesConfig(edges: Edges): number[] | number[][] {
  return edges.length === 1 ? [...edges[0]!] : edges.map((p) => [...p]);
}

/** `value` as one positive integer per spatial axis (one number: the same for each); otherwise an error naming `owner` and `argument`. */
export function sizesArgument(owner: string, argument: string, value: unknown, rank: number): readonly number[] {
  // Keras's UpSampling1D takes one number only.
  const sizes = typeof value === 'number' ? new Array<number>(rank).fill(value) : rank > 1 ? value : null;
  if (!Array.isArray(sizes) || sizes.length !== rank || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    const forms = rank === 1 ? 'a positive integer' : `a positive integer or ${rank} of them [${AXIS_NAMES[rank]!.join(', ')}]`;
    throw new Error(`${owner}: ${argument} must be ${forms}, got ${describeValue(value)}`);
  }
  return [...sizes as number[]];
}
