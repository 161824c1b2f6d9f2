import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { pad } from './pad.js';
import { runOp } from './run-op.js';

/**
 * Takes `size[i]` elements from `begin[i]` in each dimension (`size` -1: to the end). Missing
 * trailing entries mean the whole dimension.
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  return withTensors('slice', [x], (t) => {
    const starts = typeof begin === 'number' ? [begin] : [...begin];
    const sizes = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
    if (starts.length > t.rank || sizes.length > t.rank) {
      throw new Error(`slice: begin ${JSON.stringify(starts)} and size ${JSON.stringify(sizes)} have more entries than shape ${formatShape(t.shape)} has dimensions`);
    }
    const b = t.shape.map((_, i) => starts[i] ?? 0);
    const s = t.shape.map((d, i) => (sizes[i] === undefined || sizes[i] === -1 ? d - b[i]! : sizes[i]!));
    t.shape.forEach((d, i) => {
      if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i]! < 0 || s[i]! < 0 || b[i]! + s[i]! > d) {
        throw new Error(`slice: begin ${JSON.stringify(starts)} and size ${JSON.stringify(sizes)} go outside shape ${formatShape(t.shape)} in dimension ${i}`);
      }
    });
    return runOp({
      name: 'slice', inputs: [t], shape: s, dtype: t.dtype, attrs: { begin: b, size: s },
      kernel: (backend) => backend.slice(t, b, s),
      gradient: (dy, { inputs: [input] }) => [pad(dy, input!.shape.map((d, i) => [b[i]!, d - b[i]! - s[i]!] as [number, number]))],
    });
  });
}
