import { gather, unsortedSegmentSum } from './gather.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { tensor } from './convert.js';
import { transpose } from './transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { imagePaddings, type WindowPlan } from './window-geometry.js';

/** Whether the windows tile the image: each starts where the last ended (strides equal to the window, taps adjacent). */
export function windowsTile({ settings: { window, strides, dilation } }: WindowPlan): boolean {
  return [0, 1].every((axis) => window[axis] === strides[axis] && (dilation[axis] === 1 || window[axis] === 1));
}

/**
 * The windows of `x` when they tile it, as one reshape to [batch, outHeight, windowHeight,
 * outWidth, windowWidth, channels] after the padding (or the cut of the rows and columns
 * 'valid' leaves out): no copy, no index.
 */
export function tiledWindows(x: Tensor, plan: WindowPlan, padValue: number): Tensor {
  const paddings = imagePaddings(plan);
  const padded = paddings ? pad(x, paddings, padValue) : x;
  const [batch, height, width, channels] = padded.shape as [number, number, number, number];
  const [windowRows, windowCols] = plan.settings.window;
  const [rows, cols] = [plan.rows.output * windowRows, plan.cols.output * windowCols];
  const tiled = rows === height && cols === width ? padded : slice(padded, [0, 0, 0, 0], [batch, rows, cols, channels]);
  return reshape(tiled, [batch, plan.rows.output, windowRows, plan.cols.output, windowCols, channels]);
}

/** Swaps a tiling's window rows and output columns: [b, oh, wh, ow, ww, c] ↔ [b, oh, ow, wh, ww, c]. */
const SWAP_WINDOW_ROWS = [0, 1, 3, 2, 4, 5];

/**
 * Where each window element sits in the padded image, as a flat index into its height × width
 * grid: output positions row-major, then the window's taps row-major.
 */
function windowIndices(plan: WindowPlan): Tensor {
  const { rows, cols, settings } = plan;
  const [windowRows, windowCols] = settings.window;
  const [strideRows, strideCols] = settings.strides;
  const [dilationRows, dilationCols] = settings.dilation;
  const paddedCols = cols.before + cols.input + cols.after;
  const indices = new Int32Array(rows.output * cols.output * windowRows * windowCols);
  let n = 0;
  for (let outRow = 0; outRow < rows.output; outRow++) {
    for (let outCol = 0; outCol < cols.output; outCol++) {
      for (let i = 0; i < windowRows; i++) {
        for (let j = 0; j < windowCols; j++) {
          indices[n++] = (outRow * strideRows + i * dilationRows) * paddedCols + outCol * strideCols + j * dilationCols;
        }
      }
    }
  }
  return tensor(indices, [indices.length], 'int32');
}

/**
 * The windows of images `x` [batch, height, width, channels] (padded with `padValue` as the plan
 * says) as [batch, outHeight, outWidth, windowHeight · windowWidth, channels]: im2col made of
 * pad, reshape and one gather along the flattened spatial axis, so each backend's kernels and
 * the ops' gradients (gather's scatters back, adding overlapping windows) serve unchanged.
 * Windows that tile the image need no gather: a reshape and a transpose lay them out.
 */
export function imagePatches(x: Tensor, plan: WindowPlan, padValue = 0): Tensor {
  const taps = plan.settings.window[0] * plan.settings.window[1];
  if (windowsTile(plan)) {
    const [batch, , , channels] = x.shape as [number, number, number, number];
    return reshape(transpose(tiledWindows(x, plan, padValue), SWAP_WINDOW_ROWS), [batch, plan.rows.output, plan.cols.output, taps, channels]);
  }
  const paddings = imagePaddings(plan);
  const padded = paddings ? pad(x, paddings, padValue) : x;
  const [batch, height, width, channels] = padded.shape as [number, number, number, number];
  const gathered = gather(reshape(padded, [batch, height * width, channels]), windowIndices(plan), 1);
  return reshape(gathered, [batch, plan.rows.output, plan.cols.output, taps, channels]);
}

/**
 * The adjoint of imagePatches (col2im): values for every window element, `patches` [batch,
 * outHeight, outWidth, windowHeight · windowWidth, channels], added into the image position
 * each one was read from, [batch, height, width, channels]; the padding's share is dropped.
 */
export function imageFromPatches(patches: Tensor, plan: WindowPlan): Tensor {
  return windowsTile(plan) ? imageFromTiles(patches, plan) : imageFromOverlappingPatches(patches, plan);
}

/**
 * Tiling windows put each value back in its one place: the tiles side by side, then the padding
 * cut off and zeros for the rows and columns after the last whole window ('valid' reads none).
 */
function imageFromTiles(patches: Tensor, plan: WindowPlan): Tensor {
  const { rows, cols, settings: { window } } = plan;
  const [batch, , , , channels] = patches.shape as [number, number, number, number, number];
  const blocks = reshape(patches, [batch, rows.output, cols.output, window[0], window[1], channels]);
  const covered = reshape(transpose(blocks, SWAP_WINDOW_ROWS), [batch, rows.output * window[0], cols.output * window[1], channels]);
  const [keptRows, keptCols] = [Math.min(rows.output * window[0] - rows.before, rows.input), Math.min(cols.output * window[1] - cols.before, cols.input)];
  const kept = slice(covered, [0, rows.before, cols.before, 0], [batch, keptRows, keptCols, channels]);
  if (keptRows === rows.input && keptCols === cols.input) return kept;
  return pad(kept, [[0, 0], [0, rows.input - keptRows], [0, cols.input - keptCols], [0, 0]]);
}

/** col2im by one segment sum: what overlapping windows read of one position adds up there. */
function imageFromOverlappingPatches(patches: Tensor, plan: WindowPlan): Tensor {
  const { rows, cols } = plan;
  const [batch, , , , channels] = patches.shape as [number, number, number, number, number];
  const [height, width] = [rows.before + rows.input + rows.after, cols.before + cols.input + cols.after];
  const indices = windowIndices(plan);
  // Segment sums add along the leading axes: the window elements first, then batch and channels.
  const elementsFirst = transpose(reshape(patches, [batch, indices.size, channels]), [1, 0, 2]);
  const summed = unsortedSegmentSum(elementsFirst, indices, height * width);
  const padded = reshape(transpose(summed, [1, 0, 2]), [batch, height, width, channels]);
  if (!imagePaddings(plan)) return padded;
  return slice(padded, [0, rows.before, cols.before, 0], [batch, rows.input, cols.input, channels]);
}
