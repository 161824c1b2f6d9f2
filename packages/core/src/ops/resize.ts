import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { add, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { reshape } from './reshape.js';

/** How output pixels map onto input pixels, as tf.image's resize ops take it. */
interface Alignment {
  /** The corner pixels of input and output line up (the scale is (in − 1)/(out − 1)). */
  readonly alignCorners: boolean;
  /** Pixels are sampled at their centres, as TensorFlow 2's tf.image.resize and Keras do. */
  readonly halfPixelCenters: boolean;
}

/** Input pixels per output pixel along one axis. */
function scaleOf(inSize: number, outSize: number, { alignCorners }: Alignment): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** Along `axis` (1 height, 2 width), each output the mix of its two nearest inputs, by distance. */
function interpolateAlong(x: Tensor, axis: number, outSize: number, alignment: Alignment): Tensor {
  const inSize = x.shape[axis]!;
  const scale = scaleOf(inSize, outSize, alignment);
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const fraction = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const source = alignment.halfPixelCenters ? scale * (o + 0.5) - 0.5 : scale * o;
    lower[o] = Math.max(0, Math.floor(source));
    upper[o] = Math.min(inSize - 1, Math.ceil(source));
    fraction[o] = source - lower[o]!;
  }
  const low = gather(x, tensor(lower, [outSize], 'int32'), axis);
  const high = gather(x, tensor(upper, [outSize], 'int32'), axis);
  const weight = tensor(fraction, axis === 1 ? [outSize, 1, 1] : [outSize, 1]);
  return add(low, mul(sub(high, low), weight));
}

/** Along `axis`, each output the input pixel nearest to where it samples. */
function nearestAlong(x: Tensor, axis: number, outSize: number, alignment: Alignment): Tensor {
  const inSize = x.shape[axis]!;
  const scale = scaleOf(inSize, outSize, alignment);
  const nearest = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const source = alignment.halfPixelCenters ? scale * (o + 0.5) : scale * o;
    nearest[o] = Math.max(0, Math.min(inSize - 1, alignment.alignCorners ? Math.round(source) : Math.floor(source)));
  }
  return gather(x, tensor(nearest, [outSize], 'int32'), axis);
}

type AlongAxis = (x: Tensor, axis: number, outSize: number, alignment: Alignment) => Tensor;

/**
 * Checks a resize's arguments, then resizes the width and then the height of [batch, height,
 * width, channels] images (or one [height, width, channels] image) with `along`. Made of gathers
 * and arithmetic, so every backend runs it and the gradient comes from the parts.
 */
function resize(op: string, images: TensorLike, size: readonly [number, number], alignment: Alignment, along: AlongAxis, float: boolean): Tensor {
  return withTensors(op, [images], (t) => {
    if (t.rank !== 3 && t.rank !== 4) throw new Error(`${op}: expected images of rank 4 [batch, height, width, channels] or rank 3 [height, width, channels], got shape ${formatShape(t.shape)}`);
    if (!Array.isArray(size) || size.length !== 2 || size.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`${op}: expected size to be two positive integers [height, width], got ${JSON.stringify(size)}`);
    }
    if (alignment.alignCorners && alignment.halfPixelCenters) throw new Error(`${op}: alignCorners and halfPixelCenters cannot both be true`);
    const batched = t.rank === 4 ? t.shape : [1, ...t.shape];
    if (batched[1] === 0 || batched[2] === 0) throw new Error(`${op}: cannot resize images with no pixels, got shape ${formatShape(t.shape)}`);
    if (float) refuseBool(op, t.dtype, true);
    return tidy(() => {
      const x = reshape(float && t.dtype !== 'float32' ? cast(t, 'float32') : t, batched);
      const resized = along(along(x, 2, size[1], alignment), 1, size[0], alignment);
      return t.rank === 4 ? resized : reshape(resized, resized.shape.slice(1));
    });
  });
}

/**
 * tf.image.resizeBilinear: images resized to `size` [height, width] by bilinear interpolation,
 * as float32. tfjs's defaults (both false) give TensorFlow 1's sampling; `halfPixelCenters`
 * gives TensorFlow 2's tf.image.resize and Keras's.
 */
export function resizeBilinear(images: TensorLike, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  return resize('resizeBilinear', images, size, { alignCorners, halfPixelCenters }, interpolateAlong, true);
}

/** tf.image.resizeNearestNeighbor: images resized to `size` [height, width], each output the nearest input pixel; the dtype is kept. */
export function resizeNearestNeighbor(images: TensorLike, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  return resize('resizeNearestNeighbor', images, size, { alignCorners, halfPixelCenters }, nearestAlong, false);
}
