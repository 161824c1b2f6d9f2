import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';

// ONNX GridSample on images (torch's F.grid_sample): X [N, C, H, W] read at the points of grid
// [N, Ho, Wo, 2] (x then y, −1 to 1 across the image), bilinearly or at the nearest pixel, points
// outside the image read as zeros, the border, or the image reflected — the way onnxruntime
// does it. Pixels are gathered from X as rows [N·H·W, C], so gradients reach X, and through the
// interpolation weights the grid.

/** A grid coordinate (−1 to 1) as a pixel coordinate along an axis of `size`. */
const denormalize = (g: Tensor, size: number, alignCorners: boolean): Tensor =>
  alignCorners ? pc.mul(pc.add(g, 1), (size - 1) / 2) : pc.div(pc.sub(pc.mul(pc.add(g, 1), size), 1), 2);

/** `x` folded back into [low, high] as a mirror does, as many times as needed. */
function reflect(x: Tensor, low: number, high: number): Tensor {
  const span = high - low;
  const fold = (distance: Tensor, near: number, far: number): Tensor => {
    const turns = pc.floor(pc.div(distance, span));
    const rest = pc.sub(distance, pc.mul(turns, span));
    const even = pc.equal(pc.sub(turns, pc.mul(pc.floor(pc.div(turns, 2)), 2)), 0);
    return pc.where(even, pc.add(rest, near), pc.sub(far, rest));
  };
  return pc.where(pc.less(x, low), fold(pc.sub(low, x), low, high), pc.where(pc.greater(x, high), pc.neg(fold(pc.sub(x, high), -high, -low)), x));
}

type Padding = 'zeros' | 'border' | 'reflection';

interface Axis {
  size: number;
  low: number;
  high: number;
}

/** A coordinate moved as the padding mode says for points outside the image (zeros leaves it). */
function padded(x: Tensor, axis: Axis, padding: Padding): Tensor {
  if (padding === 'border') return pc.clipByValue(x, 0, axis.size - 1);
  return padding === 'reflection' ? reflect(x, axis.low, axis.high) : x;
}

export const GRID_SAMPLE: Readonly<Record<string, Interpreter>> = {
  GridSample: (c: NodeContext) => {
    const [x, grid] = [c.tensor(0), c.tensor(1)];
    const [batch, channels, height, width] = x.shape as [number, number, number, number];
    if (x.rank !== 4 || grid.rank !== 4 || grid.shape[0] !== batch || grid.shape[3] !== 2) {
      c.fail(`expected X [N, C, H, W] and grid [N, Ho, Wo, 2], got X ${pc.formatShape(x.shape)} and grid ${pc.formatShape(grid.shape)}`);
    }
    const mode = c.string('mode', 'bilinear');
    if (!['bilinear', 'linear', 'nearest'].includes(mode)) c.fail(`mode '${mode}' is not supported; expected 'bilinear' ('linear' from opset 20) or 'nearest'`);
    const padding = c.string('padding_mode', 'zeros') as Padding;
    if (!['zeros', 'border', 'reflection'].includes(padding)) c.fail(`padding_mode '${padding}' is not one of 'zeros', 'border', 'reflection'`);
    const alignCorners = c.int('align_corners', 0) === 1;
    const axisOf = (size: number): Axis => (alignCorners ? { size, low: 0, high: size - 1 } : { size, low: -0.5, high: size - 0.5 });
    const [columns, rows] = [axisOf(width), axisOf(height)];
    const [gx, gy] = pc.split(grid, 2, 3).map((g) => pc.squeeze(g, [3]));
    let [px, py] = [padded(denormalize(gx!, width, alignCorners), columns, padding), padded(denormalize(gy!, height, alignCorners), rows, padding)];
    const pixels = pc.reshape(pc.transpose(x, [0, 2, 3, 1]), [batch * height * width, channels]);
    const image = pc.tensor(Array.from({ length: batch }, (_, n) => n * height * width), [batch, 1, 1], 'int32');
    /** X at integer coordinates (as floats) [N, Ho, Wo], [N, Ho, Wo, C]: zeros outside the image, or the coordinates moved in. */
    const at = (column: Tensor, row: Tensor): Tensor => {
      const [cc, rr] = padding === 'zeros' ? [column, row] : [padded(column, columns, padding), padded(row, rows, padding)];
      const inside = pc.logicalAnd(pc.logicalAnd(pc.greaterEqual(cc, 0), pc.lessEqual(cc, width - 1)), pc.logicalAnd(pc.greaterEqual(rr, 0), pc.lessEqual(rr, height - 1)));
      const flat = pc.add(image, pc.cast(pc.add(pc.mul(pc.clipByValue(rr, 0, height - 1), width), pc.clipByValue(cc, 0, width - 1)), 'int32'));
      return pc.mul(pc.gather(pixels, flat, 0), pc.expandDims(pc.cast(inside, 'float32'), -1));
    };
    let y: Tensor;
    if (mode === 'nearest') {
      [px, py] = [pc.round(px), pc.round(py)];
      y = at(px, py);
    } else {
      const [x1, y1] = [pc.floor(px), pc.floor(py)];
      const [x2, y2] = [pc.add(x1, 1), pc.add(y1, 1)];
      const weight = (t: Tensor) => pc.expandDims(t, -1);
      const [dx1, dx2, dy1, dy2] = [weight(pc.sub(px, x1)), weight(pc.sub(x2, px)), weight(pc.sub(py, y1)), weight(pc.sub(y2, py))];
      y = pc.add(pc.mul(dy2, pc.add(pc.mul(dx2, at(x1, y1)), pc.mul(dx1, at(x2, y1)))), pc.mul(dy1, pc.add(pc.mul(dx2, at(x1, y2)), pc.mul(dx1, at(x2, y2)))));
    }
    return pc.transpose(y, [0, 3, 1, 2]);
  },
};
