import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { reshape } from './reshape.js';

// tfjs's image ops take one image [height, width, channels] as well as a batch of them; the 2-D
// ops here take batches only, so a single image goes through as a batch of one.

/**
 * `compute` applied, in a tidy, to `x` of rank `rank` (a batch) or `rank − 1` (one item, given a batch
 * dimension of 1 and read back without it); an error naming `op` for any other rank.
 */
export function throughBatchOfOne(op: string, x: Tensor, rank: number, layout: string, compute: (batch: Tensor) => Tensor): Tensor {
  if (x.rank === rank) return tidy(() => compute(x));
  if (x.rank !== rank - 1) throw new Error(`${op}: x must be of rank ${rank - 1} or ${rank} (${layout}), got shape ${formatShape(x.shape)}`);
  return tidy(() => {
    const y = compute(reshape(x, [1, ...x.shape]));
    return reshape(y, y.shape.slice(1));
  });
}
