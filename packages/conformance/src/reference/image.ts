import { generate, ravel, type NDArray } from './ndarray.js';

/** How a resize maps output pixels onto input pixels (tf.image's alignCorners and halfPixelCenters). */
export interface ResizeSampling {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

/** Where output pixel `o` of `outSize` samples an axis of `inSize` pixels, in input pixel coordinates. */
function samplePoint(o: number, inSize: number, outSize: number, { alignCorners, halfPixelCenters }: ResizeSampling): number {
  if (alignCorners) return outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
  // With half-pixel centres, pixel k covers [k, k + 1) and is sampled at its centre k + 0.5.
  return halfPixelCenters ? ((o + 0.5) * inSize) / outSize - 0.5 : (o * inSize) / outSize;
}

const clamp = (v: number, size: number): number => Math.min(size - 1, Math.max(0, v));

/** [batch, height, width, channels] images (rank 3: one image) resized by bilinear interpolation. */
export function resizeBilinear(images: NDArray, [outHeight, outWidth]: readonly number[], sampling: ResizeSampling): NDArray {
  return resizeImages(images, [outHeight!, outWidth!], (at, y, x, [height, width]) => {
    const [sy, sx] = [samplePoint(y, height, outHeight!, sampling), samplePoint(x, width, outWidth!, sampling)];
    const [y0, x0] = [Math.floor(sy), Math.floor(sx)];
    const [wy, wx] = [sy - y0, sx - x0];
    const pixel = (r: number, c: number): number => at(clamp(r, height), clamp(c, width));
    return (1 - wy) * ((1 - wx) * pixel(y0, x0) + wx * pixel(y0, x0 + 1)) + wy * ((1 - wx) * pixel(y0 + 1, x0) + wx * pixel(y0 + 1, x0 + 1));
  });
}

/**
 * Resized to the nearest input pixel: the one whose cell holds the sample point (its centre when
 * half-pixel centred, a tie rounding up when the corners are aligned).
 */
export function resizeNearestNeighbor(images: NDArray, [outHeight, outWidth]: readonly number[], sampling: ResizeSampling): NDArray {
  const nearest = (o: number, inSize: number, outSize: number): number => {
    const point = samplePoint(o, inSize, outSize, sampling) + (sampling.halfPixelCenters ? 0.5 : 0);
    return clamp(sampling.alignCorners ? Math.floor(point + 0.5) : Math.floor(point), inSize);
  };
  return resizeImages(images, [outHeight!, outWidth!], (at, y, x, [height, width]) => at(nearest(y, height, outHeight!), nearest(x, width, outWidth!)));
}

type Sampler = (at: (row: number, column: number) => number, y: number, x: number, size: [number, number]) => number;

function resizeImages(images: NDArray, [outHeight, outWidth]: [number, number], sample: Sampler): NDArray {
  const batched = images.shape.length === 4 ? images.shape : [1, ...images.shape];
  const [batch, height, width, channels] = batched as [number, number, number, number];
  const out = generate([batch, outHeight, outWidth, channels], ([b, y, x, c]) =>
    sample((row, column) => images.data[ravel([b!, row, column, c!], batched)]!, y!, x!, [height, width]));
  return images.shape.length === 4 ? out : { shape: out.shape.slice(1), data: out.data };
}
