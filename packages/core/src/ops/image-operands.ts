import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';

// The checks the sliding-window ops (conv2d.ts, pool2d.ts; conv3d.ts, pool3d.ts on volumes) share,
// so that their errors read alike: each names the op, what it expected and what it got.

export const IMAGE_LAYOUT = '[batch, height, width, channels]';

/** Throws unless `settings` is an object whose keys are among `names`. */
export function checkSettingNames(op: string, settings: unknown, names: readonly string[]): void {
  if (typeof settings !== 'object' || settings === null) throw new Error(`${op}: expected settings {${names.join(', ')}}, got ${String(settings)}`);
  const unknown = Object.keys(settings).filter((key) => !names.includes(key));
  if (unknown.length > 0) throw new Error(`${op}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; expected ${names.join(', ')}`);
}

/** Throws unless `shape` is four non-negative integers (positive for a filter's dimensions). */
export function checkShapeArgument(op: string, name: string, layout: string, shape: unknown, minimum: 0 | 1): asserts shape is Shape {
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= minimum)) {
    throw new Error(`${op}: expected ${name} to be 4 ${minimum ? 'positive' : 'non-negative'} integers ${layout}, got ${JSON.stringify(shape)}`);
  }
}

/** Throws unless each tensor is of rank `rank` (images and 2-D filters: 4) and float32, naming the op and the tensor. */
export function checkOperands(op: string, operands: Record<string, [Tensor, string]>, rank = 4): void {
  for (const [name, [t, layout]] of Object.entries(operands)) {
    if (t.rank !== rank) throw new Error(`${op}: expected ${name} of rank ${rank} ${layout}, got shape ${formatShape(t.shape)}`);
  }
  const dtypes = Object.values(operands).map(([t]) => t.dtype);
  const names = Object.keys(operands).join(' and ');
  if (dtypes.some((d) => d !== 'float32')) throw new Error(`${op}: ${names} must be float32, got ${dtypes.join(' and ')}`);
}

/** Throws unless `dy` has the shape of the forward op's output, `expected`; `origin` says which output that is. */
export function checkDyShape(op: string, dy: Tensor, expected: Shape, origin: string): void {
  if (dy.shape.length !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: expected dy of shape ${formatShape(expected)}, ${origin}, got ${formatShape(dy.shape)}`);
  }
}
