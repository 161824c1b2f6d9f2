import { gather, unsortedSegmentSum } from './gather.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { tensor } from './convert.js';
import { transpose } from './transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { imagePaddings, type WindowPlan } from './window-geometry.js';

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
 */
export function imagePatches(x: Tensor, plan: WindowPlan, padValue = 0): Tensor {
  const paddings = imagePaddings(plan);
  const padded = paddings ? pad(x, paddings, padValue) : x;
  const [batch, height, width, channels] = padded.shape as [number, number, number, number];
  const gathered = gather(reshape(padded, [batch, height * width, channels]), windowIndices(plan), 1);
  const taps = plan.settings.window[0] * plan.settings.window[1];
  return reshape(gathered, [batch, plan.rows.output, plan.cols.output, taps, channels]);
}

/**
 * The adjoint of imagePatches (col2im): values for every window element, `patches` [batch,
 * outHeight, outWidth, windowHeight · windowWidth, channels], added into the image position
 * each one was read from, [batch, height, width, channels]; the padding's share is dropped.
 */
export function imageFromPatches(patches: Tensor, plan: WindowPlan): Tensor {
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
