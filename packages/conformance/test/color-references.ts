// Float64 references for the colour augmentation tests, written the textbook way and apart from
// core's: HSV by sectors, luma, a zero-padded 3×3 blur, per-channel stretching and histogram
// equalization. Images are flat row-major values of [batch, height, width, channels].

/** [batch, height, width, channels]: a single image is a batch of one. */
export type Shape4 = readonly [number, number, number, number];
export type Range = readonly [number, number];
export type Rgb = readonly [number, number, number];

export const clip = (v: number, low: number, high: number): number => Math.min(high, Math.max(low, v));

/** `v` mapped linearly from `from` onto `to`. */
export const rescale64 = (v: number, from: Range, to: Range): number => to[0] + ((v - from[0]) * (to[1] - to[0])) / (from[1] - from[0]);

/** Hue in turns [0, 1), saturation, value of one RGB pixel (channels ≥ 0). */
export function hsvOf([r, g, b]: Rgb): Rgb {
  const high = Math.max(r, g, b);
  const delta = high - Math.min(r, g, b);
  let degrees = 0;
  if (delta > 0 && high === r) degrees = 60 * (((((g - b) / delta) % 6) + 6) % 6);
  else if (delta > 0 && high === g) degrees = 60 * ((b - r) / delta + 2);
  else if (delta > 0) degrees = 60 * ((r - g) / delta + 4);
  return [degrees / 360, high === 0 ? 0 : delta / high, high];
}

/** The RGB pixel of hue (turns, any real), saturation and value, by the hue's sector. */
export function rgbOf([h, s, v]: Rgb): Rgb {
  const sixths = (((h % 1) + 1) % 1) * 6;
  const sector = Math.floor(sixths);
  const f = sixths - sector;
  const [p, q, t] = [v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))];
  const sectors: Rgb[] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]];
  return sectors[sector % 6]!;
}

export const lumaOf = ([r, g, b]: Rgb): number => 0.2989 * r + 0.587 * g + 0.114 * b;

/** Applies `f` to every RGB pixel of channels-last `values` (3 channels). */
export function mapPixels(values: readonly number[], f: (pixel: Rgb, index: number) => Rgb): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 3) out.push(...f([values[i]!, values[i + 1]!, values[i + 2]!], i / 3));
  return out;
}

/** Flat index of [b, y, x, c]. */
export const at = ([, height, width, channels]: Shape4, b: number, y: number, x: number, c: number): number => ((b * height + y) * width + x) * channels + c;

/** The flat indices of image b's channel c, row-major over height and width. */
export function channelIndices(shape: Shape4, b: number, c: number): number[] {
  const [, height, width] = shape;
  return Array.from({ length: height * width }, (_, p) => at(shape, b, Math.floor(p / width), p % width, c));
}

/** `values` with each image's every channel replaced by `f` of its pixels (in channelIndices order). */
export function mapChannels(values: readonly number[], shape: Shape4, f: (pixels: number[], b: number, c: number) => number[]): number[] {
  const out = [...values];
  for (let b = 0; b < shape[0]; b++) {
    for (let c = 0; c < shape[3]; c++) {
      const indices = channelIndices(shape, b, c);
      const mapped = f(indices.map((i) => values[i]!), b, c);
      indices.forEach((i, k) => { out[i] = mapped[k]!; });
    }
  }
  return out;
}

/** Each channel convolved with [[1,1,1],[1,5,1],[1,1,1]]/13, zeros outside the image. */
export function smoothed(values: readonly number[], shape: Shape4): number[] {
  const [, height, width] = shape;
  return mapChannels(values, shape, (pixels) => pixels.map((_, p) => {
    const [y, x] = [Math.floor(p / width), p % width];
    let total = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const [yy, xx] = [y + dy, x + dx];
        if (yy >= 0 && yy < height && xx >= 0 && xx < width) total += pixels[yy * width + xx]! * (dy === 0 && dx === 0 ? 5 : 1);
      }
    }
    return total / 13;
  }));
}

/** One channel stretched over `range` from its own lowest to highest pixel; a flat channel as it was. */
export function stretched(pixels: readonly number[], [low, high]: Range): number[] {
  const [lo, hi] = [Math.min(...pixels), Math.max(...pixels)];
  return hi > lo ? pixels.map((v) => clip(low + ((v - lo) / (hi - lo)) * (high - low), low, high)) : [...pixels];
}

/** The nearest integer, halves to the even one. */
export function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const rest = v - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
}

/**
 * One channel histogram-equalized on [0, 255] with `bins` equal bins: each pixel becomes
 * round(255·(cdf(bin) − cdf_min) / (N − cdf_min)), cdf_min the count of the lowest occupied bin;
 * a channel with one occupied bin as it was.
 */
export function equalized(pixels: readonly number[], bins: number, range: Range): number[] {
  const bin = pixels.map((v) => clip(Math.floor((rescale64(v, range, [0, 255]) * (bins - 1)) / 255), 0, bins - 1));
  const histogram = new Array<number>(bins).fill(0);
  for (const k of bin) histogram[k]! += 1;
  if (histogram.filter((n) => n > 0).length <= 1) return [...pixels];
  const cdf = histogram.map((_, k) => histogram.slice(0, k + 1).reduce((s, n) => s + n, 0));
  const cdfMin = cdf.find((n) => n > 0)!;
  const denominator = pixels.length - cdfMin || 1;
  return bin.map((k) => rescale64(clip(roundHalfEven(((cdf[k]! - cdfMin) * 255) / denominator), 0, 255), [0, 255], range));
}
