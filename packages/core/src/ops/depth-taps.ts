import type { Tensor } from '../tensor/tensor.js';
import { tensor } from './convert.js';
import { gather } from './gather.js';
import { pad } from './pad.js';
import { realTaps } from './pooling-windows.js';
import { slice } from './slice.js';
import type { VolumePlan } from './volume-geometry.js';

// The volumetric ops' walk along depth, made of primitives: the volume padded along depth, then
// for each tap of the window the depth planes it reads, one per output depth. The 2-D ops do the
// rest on those planes, so every backend's kernels and gradients serve the 3-D ops unchanged.
// Volumes are seen as [batch, depth, plane], each depth plane's values in a row, because
// tfjs-webgl's pad (slice's gradient) and where (maximum's) take at most rank 4.

/** `x` [batch, depth, plane] with the plan's padding of `value` before and after the depth. */
export function padDepth(x: Tensor, { depth }: VolumePlan, value: number): Tensor {
  if (depth.before + depth.after === 0) return x;
  return pad(x, [[0, 0], [depth.before, depth.after], [0, 0]], value);
}

/**
 * The depth planes of `padded` (padDepth's) that window tap `tap` reads for each output depth d,
 * at d·stride + tap·dilation: [batch, outDepth, plane]. With strides 1 they follow each other (a
 * slice); otherwise they are gathered.
 */
export function depthTap(padded: Tensor, { depth, settings }: VolumePlan, tap: number): Tensor {
  const [stride, first] = [settings.strides[0], tap * settings.dilation[0]];
  if (stride === 1) return slice(padded, [0, first], [-1, depth.output]);
  return gather(padded, Int32Array.from({ length: depth.output }, (_, d) => first + d * stride), 1);
}

/** How many taps of each output depth's window fall on the input rather than the padding: [outDepth, 1]. */
export function depthCounts({ depth, settings }: VolumePlan): Tensor {
  const counts = realTaps(depth, settings.window[0], settings.strides[0]);
  return tensor(counts, [counts.length, 1]);
}
