import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { add, div, maximum, minimum, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { equal, greaterEqual } from './compare.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { stopGradient } from './stop-gradient.js';
import { ceil, floor } from './unary.js';
import { where } from './where.js';

export type CropMethod = 'bilinear' | 'nearest';

/** Where a crop samples one image axis: a point per box and crop position, [boxes, crop size]. */
interface AxisSamples {
  readonly points: Tensor;
  /** The point lies on the image, in [0, size − 1]; elsewhere the crop reads extrapolationValue. */
  readonly inside: Tensor;
  /** The pixels below and above the point (the same one at a whole number), clamped into the image, int32. */
  readonly lower: Tensor;
  readonly upper: Tensor;
  /** How far past `lower` the point lies, in [0, 1). */
  readonly fraction: Tensor;
  /** The nearest pixel, halves rounding up (as roundf for points ≥ 0), int32. */
  readonly nearest: Tensor;
}

/**
 * The crop's sample points along an axis of `size` pixels, from the boxes' normalized edges
 * `from` and `to` ([boxes, 1]; `from` > `to` flips the crop): TensorFlow's CropAndResize puts
 * crop position k of `count` at from·(size − 1) + k·(to − from)·(size − 1)/(count − 1), and a
 * crop of one position at the box's centre, (from + to)/2 · (size − 1). The step is multiplied
 * out as (to − from)·(k·(size − 1)) / (count − 1), as tfjs orders it: TensorFlow's float32 order
 * (scale first) can carry a box's far edge past the last pixel (1·55/27·27 rounds to 55.000004
 * for 56 pixels and 28 positions) and read extrapolationValue there; this one lands on it.
 */
function axisSamples(from: Tensor, to: Tensor, size: number, count: number): AxisSamples {
  const points = count === 1
    ? mul(mul(add(from, to), 0.5), size - 1)
    : add(mul(from, size - 1), div(mul(sub(to, from), tensor(Float32Array.from({ length: count }, (_, k) => k * (size - 1)), [count])), count - 1));
  const below = floor(points);
  const fraction = sub(points, below);
  const clamped = (p: Tensor): Tensor => minimum(maximum(p, 0), size - 1);
  const pixel = (p: Tensor): Tensor => cast(clamped(p), 'int32');
  return {
    points,
    // A point is on the image when clamping leaves it where it is: one comparison, which ONNX
    // maps (logicalAnd has no mapping, and onnxruntime's Where takes no bool values).
    inside: equal(clamped(points), points),
    lower: pixel(below),
    upper: pixel(ceil(points)),
    fraction,
    nearest: pixel(add(below, cast(greaterEqual(fraction, 0.5), 'float32'))),
  };
}

/** a + (b − a)·t, in TensorFlow's order. */
const lerp = (a: Tensor, b: Tensor, t: Tensor): Tensor => add(a, mul(sub(b, a), t));

/**
 * tf.image.cropAndResize: from [batch, height, width, channels] images (float32 or int32), a crop
 * of `cropSize` [height, width] for each box: row i of `boxes` [numBoxes, 4] holds normalized
 * [y1, x1, y2, x2] (0 and 1 the first and last pixel centres; y1 > y2 or x1 > x2 flips the crop)
 * in image boxInd[i] (int32 [numBoxes]). Each crop pixel samples the image bilinearly, or takes
 * the nearest pixel, at TensorFlow's CropAndResize points (see axisSamples); a point off the
 * image reads `extrapolationValue`. The result is float32 [numBoxes, cropHeight, cropWidth, channels].
 *
 * Made of ops (slices of the boxes, arithmetic, floor, gather, where), so every backend runs it,
 * a traced graph exports through its parts, and the gradient reaches the images (float32 ones:
 * CropAndResizeGradImage) and the boxes (CropAndResizeGradBoxes: the bilinear interpolation's
 * slope along each axis, zero for points off the image; at a whole-number point, where floor and
 * ceil meet, the slope across it is 0, as TensorFlow's kernel has it). As in TensorFlow, a
 * nearest crop's boxes get the slope of the bilinear interpolation at the same points: it adds
 * (p − stopGradient(p))·stopGradient(slope) for each axis, which is exactly 0 for a finite image.
 */
export function cropAndResize(
  image: TensorLike, boxes: TensorLike, boxInd: TensorLike, cropSize: readonly [number, number], method: CropMethod = 'bilinear', extrapolationValue = 0,
): Tensor {
  return withTensors('cropAndResize', [image], (img) => withTensors('cropAndResize', [boxes], (b) => withTensors('cropAndResize', [boxInd], (ind) => {
    if (img.rank !== 4) throw new Error(`cropAndResize: expected image of rank 4 [batch, height, width, channels], got shape ${formatShape(img.shape)}`);
    refuseBool('cropAndResize', img.dtype, true);
    const [batch, height, width, channels] = img.shape as [number, number, number, number];
    if (height === 0 || width === 0) throw new Error(`cropAndResize: cannot crop images with no pixels, got shape ${formatShape(img.shape)}`);
    if (b.dtype !== 'float32' || b.rank !== 2 || b.shape[1] !== 4) throw new Error(`cropAndResize: expected float32 boxes of shape [numBoxes,4], got ${b.dtype} ${formatShape(b.shape)}`);
    const boxCount = b.shape[0]!;
    if (ind.dtype !== 'int32' || ind.rank !== 1 || ind.shape[0] !== boxCount) {
      throw new Error(`cropAndResize: expected int32 boxInd of shape [${boxCount}] (one image index per box), got ${ind.dtype} ${formatShape(ind.shape)}`);
    }
    if (!Array.isArray(cropSize) || cropSize.length !== 2 || cropSize.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`cropAndResize: expected cropSize to be two positive integers [height, width], got ${JSON.stringify(cropSize)}`);
    }
    if (method !== 'bilinear' && method !== 'nearest') throw new Error(`cropAndResize: expected method 'bilinear' or 'nearest', got ${JSON.stringify(method)}`);
    if (typeof extrapolationValue !== 'number') throw new Error(`cropAndResize: expected extrapolationValue to be a number, got ${JSON.stringify(extrapolationValue)}`);
    const at = ind.dataSync().findIndex((i) => i < 0 || i >= batch);
    if (at >= 0) throw new Error(`cropAndResize: boxInd must lie in [0, ${batch}) (the images' batch), got ${ind.dataSync()[at]} at position ${at}`);
    const coordinate = b.dataSync().findIndex((v) => !Number.isFinite(v));
    if (coordinate >= 0) throw new Error(`cropAndResize: boxes must be finite, got ${b.dataSync()[coordinate]} in box ${Math.floor(coordinate / 4)}`);
    const [cropHeight, cropWidth] = cropSize;

    return tidy(() => {
      const edge = (column: number): Tensor => slice(b, [0, column], [boxCount, 1]);
      const ys = axisSamples(edge(0), edge(2), height, cropHeight);
      const xs = axisSamples(edge(1), edge(3), width, cropWidth);
      const alongY = (t: Tensor): Tensor => reshape(t, [boxCount, cropHeight, 1, 1]);
      const alongX = (t: Tensor): Tensor => reshape(t, [boxCount, 1, cropWidth, 1]);
      // Crop pixel (n, y, x) reads row boxInd[n]·height·width + row·width + column of the pixels.
      const pixels = reshape(img.dtype === 'float32' ? img : cast(img, 'float32'), [batch * height * width, channels]);
      const firstRow = reshape(mul(ind, height * width), [boxCount, 1, 1]);
      const read = (source: Tensor, row: Tensor, column: Tensor): Tensor =>
        gather(source, add(add(firstRow, reshape(mul(row, width), [boxCount, cropHeight, 1])), reshape(column, [boxCount, 1, cropWidth])));
      const corners = (source: Tensor) => ({
        topLeft: read(source, ys.lower, xs.lower), topRight: read(source, ys.lower, xs.upper),
        bottomLeft: read(source, ys.upper, xs.lower), bottomRight: read(source, ys.upper, xs.upper),
      });
      const [yFraction, xFraction] = [alongY(ys.fraction), alongX(xs.fraction)];

      let crops: Tensor;
      if (method === 'bilinear') {
        const c = corners(pixels);
        crops = lerp(lerp(c.topLeft, c.topRight, xFraction), lerp(c.bottomLeft, c.bottomRight, xFraction), yFraction);
      } else {
        const c = corners(stopGradient(pixels));
        const slopeY = stopGradient(lerp(sub(c.bottomLeft, c.topLeft), sub(c.bottomRight, c.topRight), xFraction));
        const slopeX = stopGradient(lerp(sub(c.topRight, c.topLeft), sub(c.bottomRight, c.bottomLeft), yFraction));
        const zeroWithSlope = (points: Tensor, slope: Tensor): Tensor => mul(sub(points, stopGradient(points)), slope);
        crops = add(read(pixels, ys.nearest, xs.nearest), add(zeroWithSlope(alongY(ys.points), slopeY), zeroWithSlope(alongX(xs.points), slopeX)));
      }
      return where(alongY(ys.inside), where(alongX(xs.inside), crops, extrapolationValue), extrapolationValue);
    });
  }, 'int32'), 'float32'));
}
