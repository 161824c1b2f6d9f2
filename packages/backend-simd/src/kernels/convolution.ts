import type { Conv2DGeometry, KernelTensor } from '@perceptron/core';
import type { Float32Source } from '../array-pool.js';
import { MAX_TASKS, runsOf, type Task } from './helper-threads.js';
import { allFinite, K_BLOCK, mostlyZeros } from './matmul.js';
import { copyOutStaged, PLAIN_OUTPUT, type OutputStage } from './output-stage.js';
import { copyIn } from './padded-rows.js';
import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';

// The convolution and its two gradients on kernels.wat's direct-loop kernel ("conv2d"): copy
// the operands in (the output channels padded to panels), run one of its three updates as
// tasks that write apart (runs of images; taps of the filter gradient), shared with the helper
// threads on a threaded instance, copy the result out. Each value comes out as one thread
// computes it.

/** The wasm kernel's three updates. */
const FORWARD = 0;
const FILTER_GRADIENT = 1;
const INPUT_GRADIENT = 2;

/** Output channels per panel: two f32x4 vectors, held in locals across a row. */
const PANEL = 8;

/**
 * Below this many multiply-adds a convolution or gradient runs on the calling thread alone,
 * over the plain memory: waking a helper and the slower copies into a shared memory cost more
 * than half of it. The demo CNN's five convolution kernels (1.2–1.6 M each) are shared.
 */
const MIN_SHARED = 1 << 19;

const tapRows = (g: Conv2DGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;
const imageSize = (g: Conv2DGeometry): number => g.inHeight * g.inWidth * g.inChannels;
const outputPositions = (g: Conv2DGeometry): number => g.outHeight * g.outWidth;

/** Whether the convolution of `g` and its gradients are worth sharing among threads. */
export const convolutionWorthSharing = (g: Conv2DGeometry): boolean => g.batch * outputPositions(g) * tapRows(g) * g.outChannels >= MIN_SHARED;

/**
 * Where the kernel's arrays sit in its memory, in floats, each from a 16-byte boundary: images
 * (x or dx), `filters` copies of taps (the filter, or one filter gradient per run of images)
 * and pixels (y or dy), the last two with the output channels padded to whole panels of 8.
 */
interface Layout {
  readonly images: number;
  readonly taps: number;
  readonly tapsSize: number;
  readonly pixels: number;
  readonly end: number;
  /** The output channels padded to a multiple of 8. */
  readonly channels: number;
}

function layoutFor(g: Conv2DGeometry, batch: number, filters = 1): Layout {
  const channels = roundUp(g.outChannels, PANEL);
  const images = FIRST_FLOAT;
  const taps = roundUp(images + batch * imageSize(g), 4);
  const tapsSize = tapRows(g) * channels;
  const pixels = taps + filters * tapsSize;
  return { images, taps, tapsSize, pixels, end: pixels + batch * outputPositions(g) * channels, channels };
}

/**
 * The kernel's arguments for `count` images from `first` with the taps at float `taps`: all of
 * the filter's, or only tap (i, j), as a 1×1 filter moved by the padding to where that tap reads.
 */
function task(mode: number, at: Layout, g: Conv2DGeometry, first: number, count: number, taps: number, skipZeros: boolean, tap: [number, number] | null = null): Task {
  const [i, j] = tap ?? [0, 0];
  return [
    mode, (at.images + first * imageSize(g)) * FLOAT_BYTES, (taps + (i * g.filterWidth + j) * g.inChannels * at.channels) * FLOAT_BYTES,
    (at.pixels + first * outputPositions(g) * at.channels) * FLOAT_BYTES,
    count, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, at.channels / PANEL,
    tap ? 1 : g.filterHeight, tap ? 1 : g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth,
    g.padTop - i * g.dilationHeight, g.padLeft - j * g.dilationWidth, skipZeros ? 1 : 0,
  ];
}

/** The batch as runs of consecutive images, one task each (as many as the kernels take in a job): an image's output depends on it alone. */
function imageTasks(wasm: WasmKernels, mode: number, at: Layout, g: Conv2DGeometry, skipZeros: boolean): Task[] {
  return runsOf(g.batch, wasm.tasksPerJob).map(([first, count]) => task(mode, at, g, first, count, at.taps, skipZeros));
}

/**
 * The convolution y = x ⊛ filter: each output position sums its taps in float32 (at most
 * filterHeight·filterWidth·inChannels terms), then `stage` adds the bias and applies the activation (output-stage.ts).
 */
export function conv2d(wasm: WasmKernels, x: KernelTensor, filter: KernelTensor, g: Conv2DGeometry, float32: Float32Source, stage: OutputStage = PLAIN_OUTPUT): Float32Array {
  const at = layoutFor(g, g.batch);
  const floats = wasm.reserve(at.end);
  const images = x.handle as Float32Array;
  floats.set(images, at.images);
  copyIn(floats, at.taps, filter.handle as Float32Array, tapRows(g), g.outChannels, at.channels);
  const skipZeros = mostlyZeros(images, 0, images.length) && allFinite(wasm, at.taps, tapRows(g) * at.channels);
  wasm.runTasks('conv2d', imageTasks(wasm, FORWARD, at, g, skipZeros));
  const y = float32(g.batch * outputPositions(g) * g.outChannels);
  copyOutStaged(wasm, y, at.pixels, g.batch * outputPositions(g), g.outChannels, at.channels, at.end, stage);
  return y;
}

/**
 * The filter's gradient: a sum over every output position of every image. The kernel sums
 * runs of whole images up to K_BLOCK positions in float32 (as the matrix product blocks its
 * long sums), each run into its own copy of the taps, and the runs' sums are added in float64
 * in order. A job takes as many runs as the kernels take tasks; with helper threads, each
 * run's taps are tasks of their own (a run may be the whole batch: the demo CNN's second
 * convolution).
 */
export function conv2dBackpropFilter(wasm: WasmKernels, x: KernelTensor, dy: KernelTensor, g: Conv2DGeometry, float32: Float32Source): Float32Array {
  const perRun = Math.max(1, Math.floor(K_BLOCK / Math.max(1, outputPositions(g))));
  const runsPerJob = wasm.tasksPerJob;
  const imagesPerJob = Math.min(g.batch, perRun * runsPerJob);
  const at = layoutFor(g, imagesPerJob, runsPerJob);
  const floats = wasm.reserve(at.end);
  const [images, gradients] = [x.handle as Float32Array, dy.handle as Float32Array];
  const sums = new Float64Array(tapRows(g) * g.outChannels);
  const skipZeros = mostlyZeros(images, 0, images.length);
  for (let first = 0; first < g.batch; first += imagesPerJob) {
    const count = Math.min(imagesPerJob, g.batch - first);
    const positions = count * outputPositions(g);
    floats.set(images.subarray(first * imageSize(g), (first + count) * imageSize(g)), at.images);
    copyIn(floats, at.pixels, gradients.subarray(first * outputPositions(g) * g.outChannels), positions, g.outChannels, at.channels);
    const skip = skipZeros && allFinite(wasm, at.pixels, positions * at.channels);
    const runs = Math.ceil(count / perRun);
    // Fewer runs than two per thread would leave threads idle: then each tap of a run is a task.
    const byTap = wasm.threads > 1 && runs < 2 * wasm.threads && runs * g.filterHeight * g.filterWidth <= MAX_TASKS;
    const tasks: Task[] = [];
    for (let run = 0; run < runs; run++) {
      const [image, images] = [run * perRun, Math.min(perRun, count - run * perRun)];
      const taps = at.taps + run * at.tapsSize;
      if (!byTap) tasks.push(task(FILTER_GRADIENT, at, g, image, images, taps, skip));
      for (let i = 0; byTap && i < g.filterHeight; i++) {
        for (let j = 0; j < g.filterWidth; j++) tasks.push(task(FILTER_GRADIENT, at, g, image, images, taps, skip, [i, j]));
      }
    }
    floats.fill(0, at.taps, at.taps + runs * at.tapsSize);
    wasm.runTasks('conv2d', tasks);
    for (let run = 0; run < runs; run++) {
      const taps = at.taps + run * at.tapsSize;
      for (let r = 0; r < tapRows(g); r++) {
        for (let f = 0; f < g.outChannels; f++) sums[r * g.outChannels + f] += floats[taps + r * at.channels + f]!;
      }
    }
  }
  const dFilter = float32(sums.length);
  dFilter.set(sums);
  return dFilter;
}

/** The input's gradient: each input value sums what the output positions whose windows hold it pass back. */
export function conv2dBackpropInput(wasm: WasmKernels, dy: KernelTensor, filter: KernelTensor, g: Conv2DGeometry, float32: Float32Source): Float32Array {
  const at = layoutFor(g, g.batch);
  const floats = wasm.reserve(at.end);
  const size = g.batch * imageSize(g);
  floats.fill(0, at.images, at.images + size);
  copyIn(floats, at.taps, filter.handle as Float32Array, tapRows(g), g.outChannels, at.channels);
  copyIn(floats, at.pixels, dy.handle as Float32Array, g.batch * outputPositions(g), g.outChannels, at.channels);
  wasm.runTasks('conv2d', imageTasks(wasm, INPUT_GRADIENT, at, g, false));
  const dx = float32(size);
  dx.set(floats.subarray(at.images, at.images + size));
  return dx;
}
