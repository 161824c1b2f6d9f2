import type { Conv2DGeometry, KernelTensor } from '@perceptron/core';
import type { Float32Source } from '../array-pool.js';
import { MAX_TASKS, runsOf, type Task } from './helper-threads.js';
import { copyOutStaged, PLAIN_OUTPUT, type OutputStage } from './output-stage.js';
import { copyIn, copyInRepeated, copyOutSummed } from './padded-rows.js';
import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';

// The depthwise convolution and its two gradients on kernels.wat's "depthwiseConv2d": copy the
// operands in, run one of its three modes over runs of images as tasks (shared with the helper
// threads on a threaded instance), copy the result out. The kernel's vectors run over the output
// channels c·M + m, padded to whole vectors of 4: the filter [fh, fw, C, M] is already laid out
// so, and the image goes in with each input channel c repeated M times, so that every lane reads
// its own channel and the kernel knows nothing of M (with M = 1, by far the most common, the
// copies are plain). The input gradient comes out summed over each channel's M lanes.
// Each value comes out as one thread computes it, whatever the number of threads.

/** The wasm kernel's three modes. */
const FORWARD = 0;
const INPUT_GRADIENT = 1;
const FILTER_GRADIENT = 2;

/**
 * Below this many multiply-adds (output positions × taps × output channels) a kernel runs on
 * the calling thread alone, over the plain memory: waking a helper and the slower copies into a
 * shared memory cost about what a second thread saves. On two cores the three kernels of 3×3
 * 'same' over 16 channels, batch 32, broke even at 10×10 to 12×12 images (0.46–0.66 M).
 */
const MIN_SHARED = 1 << 19;

/**
 * Output positions whose filter gradient one task sums in float32 (whole images, at least one),
 * into its own copy of the taps; the copies are added in float64. Runs this short give a batch
 * enough tasks to share (14×14 images in a batch of 32 make 7), and adding the copies costs
 * about 1/1000 of the kernel's work.
 */
const RUN_POSITIONS = 1024;

const multiplier = (g: Conv2DGeometry): number => g.outChannels / g.inChannels;
const tapCount = (g: Conv2DGeometry): number => g.filterHeight * g.filterWidth;
const imagePixels = (g: Conv2DGeometry): number => g.batch * g.inHeight * g.inWidth;
const outputPositions = (g: Conv2DGeometry): number => g.outHeight * g.outWidth;

/** Whether the depthwise convolution of `g` and its gradients are worth sharing among threads. */
export const depthwiseWorthSharing = (g: Conv2DGeometry): boolean => g.batch * outputPositions(g) * tapCount(g) * g.outChannels >= MIN_SHARED;

/**
 * Where the kernel's arrays sit in its memory, in floats, each from a 16-byte boundary: images
 * (x or dx), `filters` copies of taps (the filter, or one filter gradient per run of images)
 * and pixels (y or dy), all with the output channels padded to whole vectors of 4.
 */
interface Layout {
  readonly images: number;
  readonly taps: number;
  readonly tapsSize: number;
  readonly pixels: number;
  readonly end: number;
  /** The output channels padded to a multiple of 4. */
  readonly channels: number;
}

function layoutFor(g: Conv2DGeometry, filters = 1): Layout {
  const channels = roundUp(g.outChannels, 4);
  const images = FIRST_FLOAT;
  const taps = images + imagePixels(g) * channels;
  const tapsSize = tapCount(g) * channels;
  const pixels = taps + filters * tapsSize;
  return { images, taps, tapsSize, pixels, end: pixels + g.batch * outputPositions(g) * channels, channels };
}

/** The kernel's arguments for `count` images from `first`, with the taps at float `taps`. */
function task(mode: number, at: Layout, g: Conv2DGeometry, [first, count]: [number, number], taps = at.taps): Task {
  const [imageFloats, outputFloats] = [g.inHeight * g.inWidth * at.channels, outputPositions(g) * at.channels];
  return [
    mode, (at.images + first * imageFloats) * FLOAT_BYTES, taps * FLOAT_BYTES, (at.pixels + first * outputFloats) * FLOAT_BYTES,
    count, g.inHeight, g.inWidth, at.channels / 4, g.outHeight, g.outWidth, g.filterHeight, g.filterWidth,
    g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft,
  ];
}

/** The batch as runs of consecutive images, one task each (as many as the kernels take in a job): an image's output and input gradient depend on it alone. */
function imageTasks(wasm: WasmKernels, mode: number, at: Layout, g: Conv2DGeometry): Task[] {
  return runsOf(g.batch, wasm.tasksPerJob).map((run) => task(mode, at, g, run));
}

/** x into the images, input channel c once for each of its output channels. */
function copyImagesIn(floats: Float32Array, at: Layout, x: KernelTensor, g: Conv2DGeometry): void {
  copyInRepeated(floats, at.images, x.handle as Float32Array, imagePixels(g), g.inChannels, multiplier(g), at.channels);
}

/** y: each output value sums its taps inside the image in float32, then `stage` adds the bias and applies the activation (output-stage.ts). */
export function depthwiseConv2d(wasm: WasmKernels, x: KernelTensor, filter: KernelTensor, g: Conv2DGeometry, float32: Float32Source, stage: OutputStage = PLAIN_OUTPUT): Float32Array {
  const at = layoutFor(g);
  const floats = wasm.reserve(at.end);
  copyImagesIn(floats, at, x, g);
  copyIn(floats, at.taps, filter.handle as Float32Array, tapCount(g), g.outChannels, at.channels);
  wasm.runTasks('depthwiseConv2d', imageTasks(wasm, FORWARD, at, g));
  const y = float32(g.batch * outputPositions(g) * g.outChannels);
  copyOutStaged(wasm, y, at.pixels, g.batch * outputPositions(g), g.outChannels, at.channels, at.end, stage);
  return y;
}

/** dx: each input value sums, in float32, what the output positions whose windows hold it pass back, then over its channel's M outputs. */
export function depthwiseConv2dBackpropInput(wasm: WasmKernels, dy: KernelTensor, filter: KernelTensor, g: Conv2DGeometry, float32: Float32Source): Float32Array {
  const at = layoutFor(g);
  const floats = wasm.reserve(at.end);
  floats.fill(0, at.images, at.taps);
  copyIn(floats, at.taps, filter.handle as Float32Array, tapCount(g), g.outChannels, at.channels);
  copyIn(floats, at.pixels, dy.handle as Float32Array, g.batch * outputPositions(g), g.outChannels, at.channels);
  wasm.runTasks('depthwiseConv2d', imageTasks(wasm, INPUT_GRADIENT, at, g));
  const dx = float32(imagePixels(g) * g.inChannels);
  copyOutSummed(dx, floats, at.images, imagePixels(g), g.inChannels, multiplier(g), at.channels);
  return dx;
}

/**
 * dfilter: a sum over every output position of every image. Each run of images (RUN_POSITIONS)
 * is a task summing into its own copy of the taps, in float32; the copies are added in float64
 * in order, so the runs, and the values, do not depend on the number of threads.
 */
export function depthwiseConv2dBackpropFilter(wasm: WasmKernels, x: KernelTensor, dy: KernelTensor, g: Conv2DGeometry, float32: Float32Source): Float32Array {
  const perRun = Math.max(1, Math.floor(RUN_POSITIONS / Math.max(1, outputPositions(g))));
  const runs = runsOf(g.batch, Math.max(1, Math.ceil(g.batch / perRun)));
  const at = layoutFor(g, runs.length);
  const floats = wasm.reserve(at.end);
  copyImagesIn(floats, at, x, g);
  copyIn(floats, at.pixels, dy.handle as Float32Array, g.batch * outputPositions(g), g.outChannels, at.channels);
  floats.fill(0, at.taps, at.pixels);
  const tasks = runs.map((run, r) => task(FILTER_GRADIENT, at, g, run, at.taps + r * at.tapsSize));
  for (let t = 0; t < tasks.length; t += MAX_TASKS) wasm.runTasks('depthwiseConv2d', tasks.slice(t, t + MAX_TASKS));
  const sums = new Float64Array(tapCount(g) * g.outChannels);
  for (let r = 0; r < runs.length; r++) {
    for (let tap = 0; tap < tapCount(g); tap++) {
      const from = at.taps + r * at.tapsSize + tap * at.channels;
      for (let f = 0; f < g.outChannels; f++) sums[tap * g.outChannels + f] += floats[from + f]!;
    }
  }
  const dFilter = float32(sums.length);
  dFilter.set(sums);
  return dFilter;
}
