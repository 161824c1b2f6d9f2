import type { SlidingWindow } from '@perceptron/core';

/** A window's taps: how many along each axis, and how far apart. */
export interface Taps {
  readonly height: number;
  readonly width: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
}

/**
 * Calls `visit(pixel, tap, position)` for every tap of every window that falls on the image,
 * windows in output order and each window's taps row-major: `pixel` is the index of image
 * position (b, y, x) in [batch, inHeight, inWidth], `tap` that of (i, j) in [height, width] and
 * `position` that of the output position (b, oy, ox) in [batch, outHeight, outWidth]; callers
 * scale them by their channels. Taps in the padding are skipped: they read no value.
 */
export function forEachTap(g: SlidingWindow, taps: Taps, visit: (pixel: number, tap: number, position: number) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const position = (b * g.outHeight + oy) * g.outWidth + ox;
        for (let i = 0; i < taps.height; i++) {
          const y = oy * g.strideHeight + i * taps.dilationHeight - g.padTop;
          if (y < 0 || y >= g.inHeight) continue;
          for (let j = 0; j < taps.width; j++) {
            const x = ox * g.strideWidth + j * taps.dilationWidth - g.padLeft;
            if (x < 0 || x >= g.inWidth) continue;
            visit((b * g.inHeight + y) * g.inWidth + x, i * taps.width + j, position);
          }
        }
      }
    }
  }
}
