import { sizeOfShape, zeros, type NDArray } from './ndarray.js';
import { axisLayout } from './windows.js';

// The volumetric ops on [batch, depth, height, width, channels], written from their definitions
// as single loops over the 3-D windows (not as the 2-D ops over depth planes, as core composes
// them), so that agreement checks the composition.

type Triple = readonly [number, number, number];

/** A 3-D convolution's settings as the table writes them: one number per spatial axis [depth, height, width]. */
export interface Convolution3DSettings {
  readonly strides: Triple;
  readonly padding: 'valid' | 'same';
  readonly dilations: Triple;
}

/** A 3-D pooling's settings as the table writes them. */
export interface Pooling3DSettings {
  readonly poolSize: Triple;
  readonly strides: Triple;
  readonly padding: 'valid' | 'same';
}

interface VolumeWindow {
  readonly size: Triple;
  readonly strides: Triple;
  readonly dilations: Triple;
  readonly padding: 'valid' | 'same';
}

const layouts = (inputShape: readonly number[], w: VolumeWindow) =>
  [0, 1, 2].map((a) => axisLayout(inputShape[a + 1]!, w.size[a]!, w.strides[a]!, w.dilations[a]!, w.padding));

function outputSize(inputShape: readonly number[], w: VolumeWindow): number[] {
  return layouts(inputShape, w).map((axis) => axis.output);
}

/**
 * Calls `visit(voxel, tap, position)` for every tap of every window over volumes of `inputShape`
 * that falls inside the volume, each window's taps in (depth, row, column) order: the flat indices
 * of the voxel in [batch, depth, height, width], of the tap in the window, and of the output
 * position in [batch, outDepth, outHeight, outWidth]. Taps in the padding are skipped.
 */
function forEachTap(inputShape: readonly number[], w: VolumeWindow, visit: (voxel: number, tap: number, position: number) => void): void {
  const [batch, ...sizes] = inputShape.slice(0, 4) as [number, number, number, number];
  const axes = layouts(inputShape, w);
  const outputs = axes.map((a) => a.output);
  const taps = sizeOfShape(w.size);
  for (let position = 0; position < batch * sizeOfShape(outputs); position++) {
    const b = Math.floor(position / sizeOfShape(outputs));
    const out = [0, 1, 2].map((a) => Math.floor(position / sizeOfShape(outputs.slice(a + 1))) % outputs[a]!);
    for (let tap = 0; tap < taps; tap++) {
      const offsets = [0, 1, 2].map((a) => Math.floor(tap / sizeOfShape(w.size.slice(a + 1))) % w.size[a]!);
      const at = [0, 1, 2].map((a) => out[a]! * w.strides[a]! + offsets[a]! * w.dilations[a]! - axes[a]!.before);
      if (at.some((p, a) => p < 0 || p >= sizes[a]!)) continue;
      visit(((b * sizes[0] + at[0]!) * sizes[1] + at[1]!) * sizes[2] + at[2]!, tap, position);
    }
  }
}

const convolutionWindow = (filterShape: readonly number[], s: Convolution3DSettings): VolumeWindow => ({ size: filterShape.slice(0, 3) as unknown as Triple, ...s });
const poolingWindow = (s: Pooling3DSettings): VolumeWindow => ({ size: s.poolSize, strides: s.strides, padding: s.padding, dilations: [1, 1, 1] });

export function conv3dOutputShape(inputShape: readonly number[], filterShape: readonly number[], s: Convolution3DSettings): number[] {
  return [inputShape[0]!, ...outputSize(inputShape, convolutionWindow(filterShape, s)), filterShape[4]!];
}

export function pool3dOutputShape(inputShape: readonly number[], s: Pooling3DSettings): number[] {
  return [inputShape[0]!, ...outputSize(inputShape, poolingWindow(s)), inputShape[4]!];
}

/**
 * y[b, od, oh, ow, f] = Σ x[b, od·s + i·d − front, oh·s + j·d − top, ow·s + k·d − left, c] ·
 * filter[i, j, k, c − g·C/G, f] over the channels c of f's group g (one group: every channel).
 */
export function conv3d(x: NDArray, filter: NDArray, s: Convolution3DSettings, groups = 1): NDArray {
  const y = zeros(conv3dOutputShape(x.shape, filter.shape, s));
  const [groupChannels, filters] = [filter.shape[3]!, filter.shape[4]!];
  const channels = x.shape[4]!;
  forEachTap(x.shape, convolutionWindow(filter.shape, s), (voxel, tap, position) => {
    for (let f = 0; f < filters; f++) {
      const first = Math.floor(f / (filters / groups)) * groupChannels;
      for (let c = 0; c < groupChannels; c++) {
        y.data[position * filters + f] += x.data[voxel * channels + first + c]! * filter.data[(tap * groupChannels + c) * filters + f]!;
      }
    }
  });
  return y;
}

/** Each window's values inside the volume, per channel, reduced by `reduce` (given them in window order). */
function poolWith(x: NDArray, s: Pooling3DSettings, reduce: (values: number[]) => number): NDArray {
  const y = zeros(pool3dOutputShape(x.shape, s));
  const channels = x.shape[4]!;
  const windows = Array.from({ length: y.data.length }, () => [] as number[]);
  forEachTap(x.shape, poolingWindow(s), (voxel, _tap, position) => {
    for (let c = 0; c < channels; c++) windows[position * channels + c]!.push(x.data[voxel * channels + c]!);
  });
  windows.forEach((values, k) => {
    y.data[k] = reduce(values);
  });
  return y;
}

/** y = the largest value of each window inside the volume. */
export function maxPool3d(x: NDArray, s: Pooling3DSettings): NDArray {
  return poolWith(x, s, (values) => Math.max(...values));
}

/** y = the mean of each window's values inside the volume (TensorFlow leaves the padding out of the count). */
export function avgPool3d(x: NDArray, s: Pooling3DSettings): NDArray {
  return poolWith(x, s, (values) => values.reduce((a, v) => a + v, 0) / values.length);
}
