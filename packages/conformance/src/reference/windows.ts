/** How a window (a convolution's filter, a pooling window) moves over images, as the table writes it: one number per spatial axis. */
export interface Window {
  readonly size: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilations: readonly [number, number];
}

/**
 * Output length and padding added before the input along one axis, as TensorFlow defines them:
 * 'valid' fits whole windows, 'same' gives ceil(input / stride) and puts the odd padding after.
 */
export function axisLayout(input: number, taps: number, stride: number, dilation: number, padding: 'valid' | 'same'): { output: number; before: number } {
  const span = (taps - 1) * dilation + 1;
  if (padding === 'valid') return { output: Math.floor((input - span) / stride) + 1, before: 0 };
  const output = Math.ceil(input / stride);
  return { output, before: Math.floor(Math.max(0, (output - 1) * stride + span - input) / 2) };
}

/** The two axes' layouts for images of `inputShape` [batch, height, width, channels]. */
function layouts(inputShape: readonly number[], w: Window) {
  return {
    rows: axisLayout(inputShape[1]!, w.size[0], w.strides[0], w.dilations[0], w.padding),
    cols: axisLayout(inputShape[2]!, w.size[1], w.strides[1], w.dilations[1], w.padding),
  };
}

/** [outHeight, outWidth] of the window's walk over images of `inputShape`. */
export function outputSize(inputShape: readonly number[], w: Window): [number, number] {
  const { rows, cols } = layouts(inputShape, w);
  return [rows.output, cols.output];
}

/**
 * Calls `visit(pixel, tap, position)` for every tap of every window over images of `inputShape`
 * [batch, height, width, channels] that falls inside the image, each window's taps row-major:
 * the flat indices of the pixel (b, y, x) in [batch, height, width], of the tap (i, j) in the
 * window and of the output position (b, oy, ox) in [batch, outHeight, outWidth]. Taps in the
 * padding are skipped.
 */
export function forEachTap(inputShape: readonly number[], w: Window, visit: (pixel: number, tap: number, position: number) => void): void {
  const [batch, height, width] = inputShape as [number, number, number];
  const { rows, cols } = layouts(inputShape, w);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.output; oy++) {
      for (let ox = 0; ox < cols.output; ox++) {
        for (let i = 0; i < w.size[0]; i++) {
          const y = oy * w.strides[0] + i * w.dilations[0] - rows.before;
          if (y < 0 || y >= height) continue;
          for (let j = 0; j < w.size[1]; j++) {
            const x = ox * w.strides[1] + j * w.dilations[1] - cols.before;
            if (x < 0 || x >= width) continue;
            visit((b * height + y) * width + x, i * w.size[1] + j, (b * rows.output + oy) * cols.output + ox);
          }
        }
      }
    }
  }
}
