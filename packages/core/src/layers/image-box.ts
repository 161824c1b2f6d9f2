/**
 * Marks, in `mask` (a byte per pixel of [batch, height, width] images), the pixels of image `b`
 * whose column x and row y satisfy x0 ≤ x < x0 + across and y0 ≤ y < y0 + down, as Keras's
 * RandomErasing and CutMix pick the pixels of their boxes (pixel centres at whole coordinates).
 */
export function markBox(mask: Uint8Array, b: number, height: number, width: number, x0: number, y0: number, across: number, down: number): void {
  for (let y = Math.max(0, Math.ceil(y0)); y < Math.min(height, y0 + down); y++) {
    for (let x = Math.max(0, Math.ceil(x0)); x < Math.min(width, x0 + across); x++) mask[(b * height + y) * width + x] = 1;
  }
}
