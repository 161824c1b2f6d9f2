import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { normalizeAxes, sizeOf } from '../util/shape.js';
import { mul } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { pad } from './pad.js';
import type { Axis } from './reduce.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { transpose } from './transpose.js';

/**
 * tf.prod: the product over `axis` (every axis when omitted; 1 over an empty one). The reduced
 * axes are moved last and flattened, then the two halves of that axis are multiplied until one
 * entry is left (an odd length is padded with a 1). Being made of products, its gradient is the
 * product of the other entries exactly, zeros included, where prod(x)/x would divide by zero.
 */
export function prod(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return withTensors('prod', [x], (t) => {
    refuseBool('prod', t.dtype);
    const axes = normalizeAxes('prod', axis, t.rank);
    const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const keptShape = kept.map((i) => t.shape[i]!);
    return tidy(() => {
      const last = kept.length;
      const start = keptShape.map(() => 0);
      const padWithOne = (y: Tensor): Tensor => pad(y, [...keptShape.map(() => [0, 0] as const), [0, 1]], 1);
      let rows = reshape(transpose(t, [...kept, ...axes]), [...keptShape, sizeOf(axes.map((a) => t.shape[a]!))]);
      if (rows.shape[last] === 0) rows = padWithOne(rows);
      while (rows.shape[last]! > 1) {
        if (rows.shape[last]! % 2 === 1) rows = padWithOne(rows);
        const half = rows.shape[last]! / 2;
        rows = mul(slice(rows, [...start, 0], [...keptShape, half]), slice(rows, [...start, half], [...keptShape, half]));
      }
      return reshape(rows, keepDims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape);
    });
  });
}
