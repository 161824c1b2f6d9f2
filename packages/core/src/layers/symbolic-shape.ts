import type { Shape } from '../types.js';

/** A shape whose batch (or any) dimension may be unknown: `[null, 784]`, printed `(None, 784)`. */
export type SymbolicShape = readonly (number | null)[];

/** The shape with its batch dimension unknown. */
export function withUnknownBatch(shape: Shape | SymbolicShape): SymbolicShape {
  return [null, ...shape.slice(1)];
}

/** A concrete shape for a dry run: unknown dimensions become 1. */
export function concreteShape(shape: SymbolicShape): number[] {
  return shape.map((d) => d ?? 1);
}

/** Keras's notation: `(None, 10)`. */
export function formatSymbolicShape(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** One shape as `formatSymbolicShape` writes it, or a list of them: `[(None, 4), (None, 4)]`. */
export function formatShapeOrList(shape: SymbolicShape | readonly SymbolicShape[]): string {
  return isShapeList(shape) ? `[${shape.map(formatSymbolicShape).join(', ')}]` : formatSymbolicShape(shape);
}

/** Whether `shape` is a list of shapes (the inputs of a merge layer) rather than one shape. */
export function isShapeList<S extends Shape | SymbolicShape>(shape: S | readonly S[]): shape is readonly S[] {
  return Array.isArray(shape[0]);
}
