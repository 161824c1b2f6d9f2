import { generate, ravel, zeros, type NDArray } from './ndarray.js';

// The oracles of tf.image's flips, colour conversions, threshold, rotateWithOffset and
// cropAndResize, written from TensorFlow's (and, for tfjs's own ops, tfjs's) definitions in
// float64, except where an op's result is an integer decided by a float32 value: there the
// float32 value is worked out as the op rounds it, step by step.

const f = Math.fround;
const LUMA = [0.2989, 0.587, 0.114];

/** Images with their columns (the second-last axis) in reverse order. */
export function flipLeftRight(images: NDArray): NDArray {
  const width = images.shape[images.shape.length - 2]!;
  return generate(images.shape, (index) => {
    const mirrored = [...index];
    mirrored[index.length - 2] = width - 1 - index[index.length - 2]!;
    return images.data[ravel(mirrored, images.shape)]!;
  });
}

/** [..., 1] to [..., 3]: the gray value in every channel. */
export function grayscaleToRGB(images: NDArray): NDArray {
  return generate([...images.shape.slice(0, -1), 3], (index) => images.data[ravel([...index.slice(0, -1), 0], images.shape)]!);
}

/** The gray value of (r, g, b): in float64, or as float32 adds (r·wr + g·wg) + b·wb. */
function luma(r: number, g: number, b: number, float32: boolean): number {
  if (!float32) return LUMA[0]! * r + LUMA[1]! * g + LUMA[2]! * b;
  return f(f(f(r * f(LUMA[0]!)) + f(g * f(LUMA[1]!))) + f(b * f(LUMA[2]!)));
}

/** [..., 3] to [..., 1] gray; for int32 images the float32 value truncated towards zero. */
export function rgbToGrayscale(images: NDArray, integer: boolean): NDArray {
  return generate([...images.shape.slice(0, -1), 1], (index) => {
    const channel = (c: number): number => images.data[ravel([...index.slice(0, -1), c], images.shape)]!;
    const gray = luma(channel(0), channel(1), channel(2), integer);
    return integer ? Math.trunc(gray) : gray;
  });
}

/**
 * tfjs's Otsu level of a 256-level histogram: the t in 0..254 maximizing w0·w1·(μ0 − μ1)² over
 * the split [0, t] | (t, 255], the first on ties; −1 when no split has a variance above 0.
 */
function otsu(histogram: readonly number[], total: number): number {
  let [best, bestVariance] = [-1, 0];
  for (let t = 0; t < 255; t++) {
    const [low, high] = [histogram.slice(0, t + 1), histogram.slice(t + 1)];
    const count = (h: number[]): number => h.reduce((n, v) => n + v, 0);
    const mean = (h: number[], first: number): number => h.reduce((s, v, i) => s + v * (first + i), 0) / count(h);
    const variance = (count(low) / total) * (count(high) / total) * (mean(low, 0) - mean(high, t + 1)) ** 2;
    if (variance > bestVariance) [best, bestVariance] = [t, variance];
  }
  return best;
}

/** Round half to even, as tf.round. */
const roundHalfEven = (v: number): number => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));

/**
 * tfjs's threshold of an image [height, width, 1 or 3]: [height, width, 1] of 255 where the
 * float32 gray value is above the level (at or below it when inverted), else 0. The level is
 * threshValue·255 in float32, or Otsu's level of the gray values' histogram (rounded half to even).
 */
export function threshold(image: NDArray, method: 'binary' | 'otsu', inverted: boolean, threshValue: number): NDArray {
  const [height, width, channels] = image.shape as [number, number, number];
  const gray = generate([height, width, 1], ([y, x]) => {
    const at = (c: number): number => image.data[ravel([y!, x!, c], image.shape)]!;
    return channels === 3 ? luma(at(0), at(1), at(2), true) : at(0);
  });
  let level = f(f(threshValue) * 255);
  if (method === 'otsu') {
    const histogram = new Array<number>(256).fill(0);
    for (const v of gray.data) histogram[roundHalfEven(v)] = histogram[roundHalfEven(v)]! + 1;
    level = otsu(histogram, height * width);
  }
  return generate(gray.shape, (index) => {
    const v = gray.data[ravel(index, gray.shape)]!;
    return (inverted ? v <= level : v > level) ? 255 : 0;
  });
}

/** rotateWithOffset's settings, as tfjs's kernel takes them. */
export interface RotateSettings {
  readonly radians: number;
  readonly fill: number | readonly number[];
  readonly center: number | readonly number[];
}

/**
 * tfjs's RotateWithOffset: output pixel (x, y) of each image copies input pixel
 * (round((x − cx)cos − (y − cy)sin + cx), round((x − cx)sin + (y − cy)cos + cy)) with Math.round
 * (halves up) and (cx, cy) = (width·center_x, height·center_y); a pixel outside reads the fill
 * (a colour's entry per channel, 255 in channel 3).
 */
export function rotateWithOffset(images: NDArray, { radians, fill, center }: RotateSettings): NDArray {
  const [, height, width] = images.shape as [number, number, number, number];
  const [centerX, centerY] = typeof center === 'number' ? [center, center] : center;
  const [cx, cy] = [width * centerX!, height * centerY!];
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  return generate(images.shape, ([b, y, x, c]) => {
    const sx = Math.round((x! - cx) * cos - (y! - cy) * sin + cx);
    const sy = Math.round((x! - cx) * sin + (y! - cy) * cos + cy);
    if (sx >= 0 && sx < width && sy >= 0 && sy < height) return images.data[ravel([b!, sy, sx, c!], images.shape)]!;
    return typeof fill === 'number' ? fill : c === 3 ? 255 : fill[c!]!;
  });
}

/** cropAndResize's settings. */
export interface CropSettings {
  readonly cropSize: readonly number[];
  readonly method: 'bilinear' | 'nearest';
  readonly extrapolationValue: number;
}

/**
 * TensorFlow's CropAndResize: crop pixel (y, x) of box n ([y1, x1, y2, x2], normalized) samples
 * image boxInd[n] at in_y = y1·(H − 1) + y·(y2 − y1)·(H − 1)/(cropH − 1) (or (y1 + y2)/2·(H − 1)
 * for a crop one pixel high), and in_x alike; a point outside [0, H − 1] × [0, W − 1] reads the
 * extrapolation value. Bilinear mixes the pixels at floor and ceil of each coordinate; nearest
 * takes the pixel at round(in) (halves up, the coordinate being ≥ 0).
 */
export function cropAndResize(images: NDArray, boxes: NDArray, boxInd: NDArray, { cropSize, method, extrapolationValue }: CropSettings): NDArray {
  const [, height, width, channels] = images.shape as [number, number, number, number];
  const [cropHeight, cropWidth] = cropSize as [number, number];
  const count = boxes.shape[0]!;
  const out = zeros([count, cropHeight, cropWidth, channels]);
  const sample = (from: number, to: number, size: number, crop: number, k: number): number =>
    (crop > 1 ? from * (size - 1) + (k * (to - from) * (size - 1)) / (crop - 1) : ((from + to) / 2) * (size - 1));
  for (let n = 0; n < count; n++) {
    const [y1, x1, y2, x2] = boxes.data.slice(4 * n, 4 * n + 4) as unknown as [number, number, number, number];
    const pixel = (row: number, column: number, c: number): number => images.data[ravel([boxInd.data[n]!, row, column, c], images.shape)]!;
    for (let y = 0; y < cropHeight; y++) {
      for (let x = 0; x < cropWidth; x++) {
        const [sy, sx] = [sample(y1, y2, height, cropHeight, y), sample(x1, x2, width, cropWidth, x)];
        const inside = sy >= 0 && sy <= height - 1 && sx >= 0 && sx <= width - 1;
        for (let c = 0; c < channels; c++) {
          let value = extrapolationValue;
          if (inside && method === 'nearest') value = pixel(Math.round(sy), Math.round(sx), c);
          if (inside && method === 'bilinear') {
            const [top, bottom, left, right] = [Math.floor(sy), Math.ceil(sy), Math.floor(sx), Math.ceil(sx)];
            const [dy, dx] = [sy - top, sx - left];
            const upper = pixel(top, left, c) + (pixel(top, right, c) - pixel(top, left, c)) * dx;
            const lower = pixel(bottom, left, c) + (pixel(bottom, right, c) - pixel(bottom, left, c)) * dx;
            value = upper + (lower - upper) * dy;
          }
          out.data[ravel([n, y, x, c], out.shape)] = value;
        }
      }
    }
  }
  return out;
}
