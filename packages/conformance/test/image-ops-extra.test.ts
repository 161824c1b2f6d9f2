// What the op table cannot express for tf.image's flips, colours, threshold, rotateWithOffset
// and cropAndResize, on every backend: cropAndResize's boxes gradient against TensorFlow's
// CropAndResizeGradBoxes (written out below), Otsu's level worked by hand, the values of real
// tfjs, and bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as pc from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';

/** Seeded values in [lo, hi), row-major for `shape`. */
function seeded(shape: number[], seed: number, lo = -1, hi = 1): number[] {
  const g = new pc.RandomGenerator(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(lo + (hi - lo) * g.nextFloat()));
}

interface Crop {
  image: { shape: [number, number, number, number]; values: number[] };
  boxes: number[][];
  boxInd: number[];
  cropSize: [number, number];
  method: pc.CropMethod;
}

const crop = (shape: Crop['image']['shape'], seed: number, boxes: number[][], boxInd: number[], cropSize: [number, number], method: pc.CropMethod = 'bilinear'): Crop =>
  ({ image: { shape, values: seeded(shape, seed) }, boxes: boxes.map((b) => b.map(Math.fround)), boxInd, cropSize, method });

/**
 * TensorFlow's CropAndResizeGradBoxes in float64: for each crop pixel inside the image, the
 * bilinear interpolation's slope along y and x (with TensorFlow's floor and ceil, so a slope
 * across a whole-number point is 0) times the incoming gradient, times ∂in_y/∂y1 = (H − 1) −
 * y·(H − 1)/(cropH − 1) and ∂in_y/∂y2 = y·(H − 1)/(cropH − 1) (both (H − 1)/2 for one row), and
 * alike for x. TensorFlow uses it for nearest crops too.
 */
function gradBoxes({ image, boxes, boxInd, cropSize: [cropHeight, cropWidth] }: Crop, grads: number[]): number[] {
  const [, height, width, channels] = image.shape;
  const pixel = (b: number, y: number, x: number, c: number): number => image.values[((b * height + y) * width + x) * channels + c]!;
  const out = new Array<number>(4 * boxes.length).fill(0);
  const axis = (from: number, to: number, size: number, count: number, k: number) => {
    const ratio = count > 1 ? (size - 1) / (count - 1) : 0;
    const point = count > 1 ? from * (size - 1) + k * (to - from) * ratio : 0.5 * (from + to) * (size - 1);
    return { point, dFrom: count > 1 ? size - 1 - k * ratio : 0.5 * (size - 1), dTo: count > 1 ? k * ratio : 0.5 * (size - 1) };
  };
  boxes.forEach(([y1, x1, y2, x2], n) => {
    for (let y = 0; y < cropHeight; y++) {
      for (let x = 0; x < cropWidth; x++) {
        const [sy, sx] = [axis(y1!, y2!, height, cropHeight, y), axis(x1!, x2!, width, cropWidth, x)];
        if (sy.point < 0 || sy.point > height - 1 || sx.point < 0 || sx.point > width - 1) continue;
        const [top, bottom, left, right] = [Math.floor(sy.point), Math.ceil(sy.point), Math.floor(sx.point), Math.ceil(sx.point)];
        const [fy, fx] = [sy.point - top, sx.point - left];
        for (let c = 0; c < channels; c++) {
          const at = (row: number, column: number): number => pixel(boxInd[n]!, row, column, c);
          const g = grads[((n * cropHeight + y) * cropWidth + x) * channels + c]!;
          const slopeY = g * ((1 - fx) * (at(bottom, left) - at(top, left)) + fx * (at(bottom, right) - at(top, right)));
          const slopeX = g * ((1 - fy) * (at(top, right) - at(top, left)) + fy * (at(bottom, right) - at(bottom, left)));
          out[4 * n] += slopeY * sy.dFrom;
          out[4 * n + 2] += slopeY * sy.dTo;
          out[4 * n + 1] += slopeX * sx.dFrom;
          out[4 * n + 3] += slopeX * sx.dTo;
        }
      }
    }
  });
  return out;
}

const GRADIENT_CROPS: [string, Crop][] = [
  ['bilinear boxes, some reaching off the image', crop([2, 5, 6, 2], 1, [[0.13, -0.21, 0.82, 0.77], [1.24, 0.35, 0.18, 1.12], [0.4, 0.61, 0.57, 0.05]], [0, 1, 1], [4, 3])],
  ['a whole image at its own size: every point a whole number, every slope 0', crop([1, 4, 5, 1], 2, [[0, 0, 1, 1]], [0], [4, 5])],
  ['crops of one pixel: the centre\'s slope, half to each edge', crop([1, 5, 6, 2], 3, [[0.21, 0.33, 0.68, 0.92], [0.77, 0.14, 0.06, 0.49]], [0, 0], [1, 1])],
  ['nearest crops: the bilinear slope at the same points, as TensorFlow', crop([2, 4, 5, 1], 4, [[0.09, 0.16, 0.71, 0.88], [0.94, 0.81, 0.27, 0.04]], [1, 0], [3, 4], 'nearest')],
];

/** d sum(cropAndResize(…)·grads) / d boxes of a Crop, through a tape. */
function boxesGradient(c: Crop, grads: number[]): number[] {
  return pc.tidy(() => {
    const boxes = pc.tensor(c.boxes);
    const tape = new pc.GradientTape();
    tape.watch(boxes);
    const loss = tape.record(() => {
      const crops = pc.cropAndResize(pc.tensor(c.image.values, c.image.shape), boxes, c.boxInd, c.cropSize, c.method);
      return pc.sum(pc.mul(crops, pc.tensor(grads, crops.shape)));
    });
    return valuesOf(tape.gradient(loss, [boxes])[0]);
  });
}

const TFJS_CROPS: [string, Crop][] = [
  ['bilinear', crop([2, 6, 7, 3], 5, [[0.12, 0.27, 0.83, 0.64], [0.91, 0.72, 0.18, 0.09], [-0.32, 0.41, 0.56, 1.27]], [1, 0, 1], [5, 4])],
  ['nearest', crop([2, 6, 7, 3], 6, [[0.12, 0.27, 0.83, 0.64], [0.91, 0.72, 0.18, 0.09], [-0.32, 0.41, 0.56, 1.27]], [1, 0, 1], [5, 4], 'nearest')],
  ['one pixel, bilinear', crop([1, 5, 5, 1], 7, [[0.23, 0.14, 0.62, 0.77]], [0], [1, 1])],
];
const IMAGES = { shape: [2, 5, 7, 3] as [number, number, number, number], values: seeded([2, 5, 7, 3], 8) };
const BYTES = { shape: [6, 7, 3], values: seeded([6, 7, 3], 9, 0, 256).map(Math.floor) };
const ROTATIONS: [number, pc.RotateFill, number | [number, number]][] = [[0.4, 0, 0.5], [2.2, [0.1, 0.5, 0.9], [0.25, 0.7]], [-1.1, 0.3, 0.1]];
type Expected = Record<string, number[]>;

/** Real tfjs's values for the same inputs, on its CPU backend, before the tests. */
const TFJS: Expected = {};
beforeAll(async () => {
  await tf.setBackend('cpu');
  const images = tf.tensor4d(IMAGES.values, IMAGES.shape);
  const bytes = tf.tensor3d(BYTES.values, BYTES.shape as [number, number, number], 'int32');
  const results: [string, tf.Tensor][] = [
    ...TFJS_CROPS.map(([name, c]): [string, tf.Tensor] => [`crop ${name}`, tf.image.cropAndResize(tf.tensor4d(c.image.values, c.image.shape), c.boxes, c.boxInd, c.cropSize, c.method, -2)]),
    ...ROTATIONS.map(([r, fill, centre]): [string, tf.Tensor] => [`rotate ${r}`, tf.image.rotateWithOffset(images, r, fill as never, centre)]),
    ['flip', tf.image.flipLeftRight(images)],
    ['gray', tf.image.rgbToGrayscale(images)],
    ['gray int32', tf.image.rgbToGrayscale(bytes)],
    ['rgb', tf.image.grayscaleToRGB(tf.image.rgbToGrayscale(images))],
    ['binary', tf.image.threshold(bytes, 'binary', false, 0.37)],
    ['otsu', tf.image.threshold(bytes, 'otsu')],
    ['otsu inverted gray', tf.image.threshold(tf.image.rgbToGrayscale(bytes), 'otsu', true)],
  ];
  for (const [name, t] of results) TFJS[name] = Array.from(await t.data());
  tf.dispose([images, bytes, ...results.map(([, t]) => t)]);
});

forEachBackend('image ops extra', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);
  const read = (t: pc.Tensor): number[] => Array.from(t.dataSync());

  for (const [name, c] of GRADIENT_CROPS) {
    test(`cropAndResize's boxes gradient is TensorFlow's CropAndResizeGradBoxes: ${name}`, () => {
      const grads = seeded([c.boxes.length, ...c.cropSize, c.image.shape[3]], 10, 0.5, 1.5);
      expectClose(boxesGradient(c, grads), gradBoxes(c, grads), 1e-5, 1e-5);
    });
  }

  test('cropAndResize: a crop of one pixel samples the box centre', () => pc.tidy(() => {
    const image = pc.tensor([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]);
    expect(read(pc.cropAndResize(image, [[0, 0, 1, 1]], [0], [1, 1]))).toEqual([4]);
    // Centre (0.25, 0.5) of [0, 0, 0.5, 1] is (0.5, 1) in pixels: halfway between 1 and 4.
    expect(read(pc.cropAndResize(image, [[0, 0, 0.5, 1]], [0], [1, 1]))).toEqual([2.5]);
    expect(read(pc.cropAndResize(image, [[0, 0, 0.5, 1]], [0], [1, 1], 'nearest'))).toEqual([4]);
    // A crop one pixel high and two wide: the centre row, the box's left and right edges.
    expect(read(pc.cropAndResize(image, [[0, 0, 1, 1]], [0], [1, 2]))).toEqual([3, 5]);
  }));

  test('cropAndResize: boxes off the image read extrapolationValue; no boxes give no crops', () => pc.tidy(() => {
    const image = pc.tensor(seeded([2, 3, 4, 2], 11), [2, 3, 4, 2]);
    expect(read(pc.cropAndResize(image, [[1.2, 0.1, 1.7, 0.9]], [1], [2, 2], 'bilinear', 7))).toEqual(new Array(8).fill(7));
    const none = pc.cropAndResize(image, pc.zeros([0, 4]), pc.zeros([0], 'int32'), [2, 3]);
    expect([none.shape, none.dtype]).toEqual([[0, 2, 3, 2], 'float32']);
  }));

  for (const [name, c] of TFJS_CROPS) {
    test(`cropAndResize as real tfjs: ${name}`, () => pc.tidy(() => {
      expectClose(read(pc.cropAndResize(pc.tensor(c.image.values, c.image.shape), c.boxes, c.boxInd, c.cropSize, c.method, -2)), TFJS[`crop ${name}`]!, 1e-5, 1e-6);
    }));
  }

  test('flips, colour conversions and rotations as real tfjs', () => pc.tidy(() => {
    const images = pc.tensor(IMAGES.values, IMAGES.shape);
    const bytes = pc.tensor(BYTES.values, BYTES.shape, 'int32');
    expect(read(pc.flipLeftRight(images))).toEqual(TFJS.flip);
    expectClose(read(pc.rgbToGrayscale(images)), TFJS.gray!, 1e-6, 1e-7);
    expect(read(pc.rgbToGrayscale(bytes))).toEqual(TFJS['gray int32']);
    expectClose(read(pc.grayscaleToRGB(pc.rgbToGrayscale(images))), TFJS.rgb!, 1e-6, 1e-7);
    for (const [r, fill, centre] of ROTATIONS) expect(read(pc.rotateWithOffset(images, r, fill, centre))).toEqual(TFJS[`rotate ${r}`]);
  }));

  test('threshold as real tfjs: binary, Otsu of RGB, Otsu of gray inverted', () => pc.tidy(() => {
    const bytes = pc.tensor(BYTES.values, BYTES.shape, 'int32');
    expect(read(pc.threshold(bytes, 'binary', false, 0.37))).toEqual(TFJS.binary);
    expect(read(pc.threshold(bytes, 'otsu'))).toEqual(TFJS.otsu);
    expect(read(pc.threshold(pc.rgbToGrayscale(bytes), 'otsu', true))).toEqual(TFJS['otsu inverted gray']);
  }));

  test('threshold: Otsu\'s level worked by hand', () => pc.tidy(() => {
    // Gray levels 0, 0, 1, 2, 3 (N = 5). Splitting after t gives w0·w1·(μ0 − μ1)²:
    //   t = 0: (2/5)(3/5)(0 − 2)² = 0.96;  t = 1: (3/5)(2/5)(1/3 − 5/2)² = 1.1267;
    //   t = 2: (4/5)(1/5)(3/4 − 3)² = 0.81;  t ≥ 3: one class is empty.
    // The level is 1: the pixels above it (2 and 3) are 255.
    const image = pc.tensor([0, 0, 1, 2, 3], [1, 5, 1], 'int32');
    expect(read(pc.threshold(image, 'otsu'))).toEqual([0, 0, 0, 255, 255]);
    expect(read(pc.threshold(image, 'otsu', true))).toEqual([255, 255, 255, 0, 0]);
    // Float gray values are rounded half to even into the histogram (0.5 → 0, 2.5 → 2), then compared unrounded.
    expect(read(pc.threshold(pc.tensor([0.5, 0, 1, 2.5, 3], [1, 5, 1]), 'otsu'))).toEqual([0, 0, 0, 255, 255]);
  }));

  test('flipLeftRight, the colour conversions and rotateWithOffset carry gradients; threshold none', () => pc.tidy(() => {
    const images = pc.tensor(IMAGES.values, IMAGES.shape);
    const tape = new pc.GradientTape({ persistent: true });
    tape.watch(images);
    const losses = tape.record(() => [
      pc.flipLeftRight(images), pc.rgbToGrayscale(images), pc.rotateWithOffset(images, 0.3),
      pc.cast(pc.threshold(pc.mul(pc.squeeze(pc.slice(images, 0, 1), [0]), 100), 'binary'), 'float32'),
    ].map((y) => pc.sum(y)));
    const [flip, gray, rotated, binary] = losses.map((loss) => tape.gradient(loss, [images])[0]);
    expect(read(flip!)).toEqual(new Array(IMAGES.values.length).fill(1));
    expectClose(read(gray!), IMAGES.values.map((_, i) => [0.2989, 0.587, 0.114][i % 3]!), 1e-7);
    expect(rotated).not.toBeNull();
    expect(binary).toBeNull();
    tape.dispose();
  }));

  test('bad input names the op, what it expected and what it got, and leaves no tensor', () => {
    const before = pc.memory().numTensors;
    pc.tidy(() => {
      const [images, image3] = [pc.zeros([2, 4, 5, 3]), pc.zeros([4, 5, 3])];
      const bools = pc.tensor([1, 0, 1], [1, 1, 3], 'bool');
      expect(() => pc.flipLeftRight(pc.zeros([4, 5]))).toThrow('flipLeftRight: expected images of rank 4 [batch, height, width, channels] or rank 3 [height, width, channels], got shape [4,5]');
      expect(() => pc.rgbToGrayscale(pc.zeros([2, 2, 4]))).toThrow('rgbToGrayscale: expected RGB images of rank 2 or more with 3 channels in the last dimension, got shape [2,2,4]');
      expect(() => pc.rgbToGrayscale(pc.zeros([3]))).toThrow('rgbToGrayscale: expected RGB images of rank 2 or more with 3 channels in the last dimension, got shape [3]');
      expect(() => pc.rgbToGrayscale(bools)).toThrow('rgbToGrayscale: expected float32 or int32 images, got bool; cast them first');
      expect(() => pc.grayscaleToRGB(image3)).toThrow('grayscaleToRGB: expected grayscale images of rank 2 or more with 1 channel in the last dimension, got shape [4,5,3]');
      expect(() => pc.threshold(images)).toThrow('threshold: expected an image of rank 3 [height, width, channels] with 1 or 3 channels, got shape [2,4,5,3]');
      expect(() => pc.threshold(pc.zeros([4, 5, 2]))).toThrow('threshold: expected an image of rank 3 [height, width, channels] with 1 or 3 channels, got shape [4,5,2]');
      expect(() => pc.threshold(bools)).toThrow('threshold: expected a float32 or int32 image, got bool');
      expect(() => pc.threshold(image3, 'mean' as never)).toThrow('threshold: expected method \'binary\' or \'otsu\', got "mean"');
      expect(() => pc.threshold(image3, 'binary', false, NaN)).toThrow('threshold: expected threshValue to be a number, got NaN');
      expect(() => pc.threshold(pc.tensor([3, 255.6], [1, 2, 1]), 'otsu')).toThrow('threshold: method \'otsu\' needs gray values in [0, 255] (the histogram\'s levels), got 255.60000610351562');
      expect(() => pc.threshold(pc.tensor([-1, 2], [1, 2, 1], 'int32'), 'otsu')).toThrow('threshold: method \'otsu\' needs gray values in [0, 255] (the histogram\'s levels), got -1');
      expect(() => pc.rotateWithOffset(image3, 1)).toThrow('rotateWithOffset: expected images of rank 4 [batch, height, width, channels], got shape [4,5,3]');
      expect(() => pc.rotateWithOffset(images, NaN)).toThrow('rotateWithOffset: expected radians to be a finite number, got NaN');
      expect(() => pc.rotateWithOffset(images, 1, [1, 2] as never)).toThrow('rotateWithOffset: expected fillValue to be a number or three numbers [red, green, blue], got [1,2]');
      expect(() => pc.rotateWithOffset(pc.zeros([1, 2, 2, 5]), 1, [1, 2, 3])).toThrow('rotateWithOffset: a fill colour [red, green, blue] fits images of at most 4 channels (RGBA), got 5');
      expect(() => pc.rotateWithOffset(images, 1, 0, [0.5] as never)).toThrow('rotateWithOffset: expected center to be a number or two numbers [x, y], got [0.5]');
      const [boxes, boxInd] = [[[0, 0, 1, 1], [0.2, 0.2, 0.8, 0.8]], [0, 1]];
      expect(() => pc.cropAndResize(image3, boxes, boxInd, [2, 2])).toThrow('cropAndResize: expected image of rank 4 [batch, height, width, channels], got shape [4,5,3]');
      expect(() => pc.cropAndResize(pc.zeros([1, 0, 3, 1]), boxes, boxInd, [2, 2])).toThrow('cropAndResize: cannot crop images with no pixels, got shape [1,0,3,1]');
      expect(() => pc.cropAndResize(images, [[0, 0, 1]], [0], [2, 2])).toThrow('cropAndResize: expected float32 boxes of shape [numBoxes,4], got float32 [1,3]');
      expect(() => pc.cropAndResize(images, pc.zeros([2, 4], 'int32'), boxInd, [2, 2])).toThrow('cropAndResize: expected float32 boxes of shape [numBoxes,4], got int32 [2,4]');
      expect(() => pc.cropAndResize(images, boxes, [0], [2, 2])).toThrow('cropAndResize: expected int32 boxInd of shape [2] (one image index per box), got int32 [1]');
      expect(() => pc.cropAndResize(images, boxes, pc.zeros([2]), [2, 2])).toThrow('cropAndResize: expected int32 boxInd of shape [2] (one image index per box), got float32 [2]');
      expect(() => pc.cropAndResize(images, boxes, [0, 2], [2, 2])).toThrow('cropAndResize: boxInd must lie in [0, 2) (the images\' batch), got 2 at position 1');
      expect(() => pc.cropAndResize(images, boxes, [-1, 0], [2, 2])).toThrow('cropAndResize: boxInd must lie in [0, 2) (the images\' batch), got -1 at position 0');
      expect(() => pc.cropAndResize(images, boxes, boxInd, [0, 2])).toThrow('cropAndResize: expected cropSize to be two positive integers [height, width], got [0,2]');
      expect(() => pc.cropAndResize(images, boxes, boxInd, [2, 2], 'bicubic' as never)).toThrow('cropAndResize: expected method \'bilinear\' or \'nearest\', got "bicubic"');
      expect(() => pc.cropAndResize(images, [[0, 0, 1, 1], [0, NaN, 1, 1]], boxInd, [2, 2])).toThrow('cropAndResize: boxes must be finite, got NaN in box 1');
      expect(() => pc.cropAndResize(pc.tensor([1, 0], [1, 1, 2, 1], 'bool'), [[0, 0, 1, 1]], [0], [2, 2])).toThrow('cropAndResize: expected float32 or int32 images, got bool; cast them first');
    });
    expect(pc.memory().numTensors).toBe(before);
  });
});

reportTally('image ops extra');
