import { reshape } from './movement.js';
import { sizeOfShape, zeros, type NDArray } from './ndarray.js';
import { axisLayout } from './windows.js';

// tfjs's nn ops that core composes from others, written from their definitions as plain loops.

type Triple = readonly [number, number, number];

/**
 * tf.conv3dTranspose: the adjoint of conv3d over volumes of `outputShape` — every product
 * x[b, od·s + i − front, …, c] · filter[i, j, k, c, f] of the convolution sends dy[b, od, oh, ow, f]
 * · filter back to the voxel it read. filter is [fd, fh, fw, outDepth, inDepth].
 */
export function conv3dTranspose(dy: NDArray, filter: NDArray, outputShape: readonly number[], strides: Triple, padding: 'valid' | 'same'): NDArray {
  const y = zeros(outputShape);
  const [batch, ...sizes] = outputShape as [number, number, number, number, number];
  const [fd, fh, fw, channels, filters] = filter.shape as [number, number, number, number, number];
  const taps = [fd, fh, fw];
  const axes = [0, 1, 2].map((a) => axisLayout(sizes[a]!, taps[a]!, strides[a]!, 1, padding));
  const outs = axes.map((a) => a.output);
  const positions = batch * sizeOfShape(outs);
  for (let position = 0; position < positions; position++) {
    const b = Math.floor(position / sizeOfShape(outs));
    const out = [0, 1, 2].map((a) => Math.floor(position / sizeOfShape(outs.slice(a + 1))) % outs[a]!);
    for (let tap = 0; tap < fd * fh * fw; tap++) {
      const offsets = [0, 1, 2].map((a) => Math.floor(tap / sizeOfShape(taps.slice(a + 1))) % taps[a]!);
      const at = [0, 1, 2].map((a) => out[a]! * strides[a]! + offsets[a]! - axes[a]!.before);
      if (at.some((p, a) => p < 0 || p >= sizes[a]!)) continue;
      const voxel = ((b * sizes[0] + at[0]!) * sizes[1] + at[1]!) * sizes[2] + at[2]!;
      for (let c = 0; c < channels; c++) {
        for (let f = 0; f < filters; f++) y.data[voxel * channels + c] += dy.data[position * filters + f]! * filter.data[(tap * channels + c) * filters + f]!;
      }
    }
  }
  return y;
}

/** `x` with a batch dimension of 1 in front when it has rank `rank` − 1; and `y` without it again. */
export const withBatchOfOne = (x: NDArray, rank: number): NDArray => (x.shape.length === rank ? x : reshape(x, [1, ...x.shape]));
export const withoutBatchOfOne = (y: NDArray, rank: number, originalRank: number): NDArray => (originalRank === rank ? y : reshape(y, y.shape.slice(1)));

/** tf.localResponseNormalization: x / (bias + alpha · Σ x²)^beta, the sum over channels within depthRadius of each. */
export function localResponseNormalization(x: NDArray, depthRadius: number, bias: number, alpha: number, beta: number): NDArray {
  const channels = x.shape[x.shape.length - 1]!;
  const y = zeros(x.shape);
  for (let k = 0; k < x.data.length; k++) {
    const [c, first] = [k % channels, k - (k % channels)];
    let squares = 0;
    for (let d = Math.max(0, c - depthRadius); d <= Math.min(channels - 1, c + depthRadius); d++) squares += x.data[first + d]! ** 2;
    y.data[k] = x.data[k]! / (bias + alpha * squares) ** beta;
  }
  return y;
}

/**
 * Calls `visit(xAt, tap, yAt)` for each tap inside x [batch, height, width, channels] of each
 * window of a `size` window (strides, dilations, padding as TensorFlow's), per channel, taps in
 * row-major order: flat positions in x and in the output [batch, outHeight, outWidth, channels].
 */
function forEachWindowTap(
  shape: readonly number[], size: readonly [number, number], strides: readonly [number, number], dilations: readonly [number, number], padding: 'valid' | 'same',
  visit: (xAt: number, tap: number, yAt: number) => void,
): number[] {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const [rows, cols] = [0, 1].map((a) => axisLayout(shape[a + 1]!, size[a]!, strides[a]!, dilations[a]!, padding)) as [{ output: number; before: number }, { output: number; before: number }];
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.output; oy++) {
      for (let ox = 0; ox < cols.output; ox++) {
        for (let tap = 0; tap < size[0] * size[1]; tap++) {
          const y = oy * strides[0] + Math.floor(tap / size[1]) * dilations[0] - rows.before;
          const x = ox * strides[1] + (tap % size[1]) * dilations[1] - cols.before;
          if (y < 0 || y >= height || x < 0 || x >= width) continue;
          for (let c = 0; c < channels; c++) visit(((b * height + y) * width + x) * channels + c, tap, ((b * rows.output + oy) * cols.output + ox) * channels + c);
        }
      }
    }
  }
  return [batch, rows.output, cols.output, channels];
}

/** tf.dilation2d: the largest x + filter[i, j, c] over each window's taps inside x. */
export function dilation2d(x: NDArray, filter: NDArray, strides: readonly [number, number], padding: 'valid' | 'same', dilations: readonly [number, number]): NDArray {
  const [fh, fw, channels] = filter.shape as [number, number, number];
  const best: number[] = [];
  const shape = forEachWindowTap(x.shape, [fh, fw], strides, dilations, padding, (xAt, tap, yAt) => {
    const value = x.data[xAt]! + filter.data[tap * channels + (xAt % channels)]!;
    if (!(best[yAt]! >= value)) best[yAt] = value;
  });
  const y = zeros(shape);
  y.data.set(best);
  return y;
}

/** tf.maxPoolWithArgmax's indexes: the flat position in x (the batch term only if asked) of each window's first largest value. */
export function maxPoolArgmax(x: NDArray, size: readonly [number, number], strides: readonly [number, number], padding: 'valid' | 'same', includeBatchInIndex: boolean): NDArray {
  const [, height, width, channels] = x.shape as [number, number, number, number];
  const picked: number[] = [];
  const shape = forEachWindowTap(x.shape, size, strides, [1, 1], padding, (xAt, _tap, yAt) => {
    if (picked[yAt] === undefined || x.data[xAt]! > x.data[picked[yAt]!]!) picked[yAt] = xAt;
  });
  const y = zeros(shape);
  y.data.set(picked.map((at) => (includeBatchInIndex ? at : at % (height * width * channels))));
  return y;
}

const sigmoidOf = (v: number): number => 1 / (1 + Math.exp(-v));

/** tf.basicLSTMCell's [c', h'] from the gates of [data, h] · kernel + bias, in the order i, j, f, o. */
export function basicLSTMCell(forgetBias: NDArray, kernel: NDArray, bias: NDArray, data: NDArray, c: NDArray, h: NDArray): [NDArray, NDArray] {
  const [batch, inputs] = data.shape as [number, number];
  const units = c.shape[1]!;
  const [newC, newH] = [zeros([batch, units]), zeros([batch, units])];
  for (let b = 0; b < batch; b++) {
    const gates = Array.from({ length: 4 * units }, (_, g) => {
      let total = bias.data[g]!;
      for (let r = 0; r < inputs + units; r++) total += (r < inputs ? data.data[b * inputs + r]! : h.data[b * units + r - inputs]!) * kernel.data[r * 4 * units + g]!;
      return total;
    });
    for (let u = 0; u < units; u++) {
      const [i, j, f, o] = [0, 1, 2, 3].map((k) => gates[k * units + u]!) as [number, number, number, number];
      const cell = c.data[b * units + u]! * sigmoidOf(f + forgetBias.data[0]!) + sigmoidOf(i) * Math.tanh(j);
      newC.data[b * units + u] = cell;
      newH.data[b * units + u] = Math.tanh(cell) * sigmoidOf(o);
    }
  }
  return [newC, newH];
}
