import type { KernelTensor, Pool2DGeometry } from '@perceptron/core';
import type { Float32Source } from '../array-pool.js';
import { runsOf } from './helper-threads.js';
import { copyIn, copyOut } from './padded-rows.js';
import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';

// Max and average pooling and their gradients on kernels.wat's "pool2d": copy the operands in
// (the channels padded to whole vectors of 4), run one of its four modes over runs of images
// as tasks (shared with the helper threads on a threaded instance: an image's windows read and
// write that image alone), copy the result out.
// Pooling is little work per value, yet the tightest JavaScript loops tried (a table of each
// window's taps, channels unrolled by 4) took 0.90–1.05 ms for the demo CNN's 2×2 max pooling
// of [32, 26, 26, 8] and 1.36 ms for its gradient, the kernel 0.18 and 0.32 ms (copies
// included); the demo CNN's training step took 8.2 ms with a first such loop, 5.7 with the
// kernel. With fewer than 4 channels the idle lanes cost: 0.33 ms against JavaScript's 0.19
// for 1 channel.

const MAX = 0;
const AVERAGE = 1;
const MAX_GRADIENT = 2;
const AVERAGE_GRADIENT = 3;

/** Where the kernel's arrays sit in its memory, in floats, each from a 16-byte boundary: images (x or dx), dx for mode 2, and pixels (y or dy). */
interface Layout {
  readonly images: number;
  readonly gradients: number;
  readonly pixels: number;
  readonly end: number;
  /** The channels padded to a multiple of 4. */
  readonly channels: number;
}

const imagePixels = (g: Pool2DGeometry): number => g.batch * g.inHeight * g.inWidth;
const outputPixels = (g: Pool2DGeometry): number => g.batch * g.outHeight * g.outWidth;

/**
 * Below this many values read from windows (output positions × window × channels) pooling runs
 * on the calling thread alone, over the plain memory: it is little work per value, and waking a
 * helper and the slower copies into a shared memory would cost more than half of it. The demo
 * CNN's 2×2 pooling of [32, 26, 26, 8] reads 173 K and is shared.
 */
const MIN_SHARED = 1 << 17;

/** Whether the pooling of `g` and its gradient are worth sharing among threads. */
export const poolingWorthSharing = (g: Pool2DGeometry): boolean =>
  outputPixels(g) * g.windowHeight * g.windowWidth * g.channels >= MIN_SHARED;

function layoutFor(g: Pool2DGeometry, withGradients: boolean): Layout {
  const channels = roundUp(g.channels, 4);
  const images = FIRST_FLOAT;
  const gradients = images + imagePixels(g) * channels;
  const pixels = gradients + (withGradients ? imagePixels(g) * channels : 0);
  return { images, gradients, pixels, end: pixels + outputPixels(g) * channels, channels };
}

function run(wasm: WasmKernels, mode: number, at: Layout, g: Pool2DGeometry): void {
  const [imageFloats, outputFloats] = [g.inHeight * g.inWidth * at.channels, g.outHeight * g.outWidth * at.channels];
  wasm.runTasks('pool2d', runsOf(g.batch, wasm.tasksPerJob).map(([first, count]) => [
    mode, (at.images + first * imageFloats) * FLOAT_BYTES, (at.gradients + first * imageFloats) * FLOAT_BYTES, (at.pixels + first * outputFloats) * FLOAT_BYTES,
    count, g.inHeight, g.inWidth, at.channels / 4, g.outHeight, g.outWidth,
    g.windowHeight, g.windowWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft,
  ]));
}

/** y from x: max pooling (mode 0) or average pooling (mode 1). */
function pool(mode: number, wasm: WasmKernels, x: KernelTensor, g: Pool2DGeometry, float32: Float32Source): Float32Array {
  const at = layoutFor(g, false);
  const floats = wasm.reserve(at.end);
  copyIn(floats, at.images, x.handle as Float32Array, imagePixels(g), g.channels, at.channels);
  run(wasm, mode, at, g);
  const y = float32(outputPixels(g) * g.channels);
  copyOut(y, floats, at.pixels, outputPixels(g), g.channels, at.channels);
  return y;
}

export function maxPool2d(wasm: WasmKernels, x: KernelTensor, g: Pool2DGeometry, float32: Float32Source): Float32Array {
  return pool(MAX, wasm, x, g, float32);
}

export function avgPool2d(wasm: WasmKernels, x: KernelTensor, g: Pool2DGeometry, float32: Float32Source): Float32Array {
  return pool(AVERAGE, wasm, x, g, float32);
}

/** dx, added up in float32 where windows overlap; `x` only for max pooling's picks. */
function gradient(mode: number, wasm: WasmKernels, dy: KernelTensor, x: KernelTensor | null, g: Pool2DGeometry, float32: Float32Source): Float32Array {
  const at = layoutFor(g, x !== null);
  const floats = wasm.reserve(at.end);
  const dxAt = x ? at.gradients : at.images;
  if (x) copyIn(floats, at.images, x.handle as Float32Array, imagePixels(g), g.channels, at.channels);
  floats.fill(0, dxAt, dxAt + imagePixels(g) * at.channels);
  copyIn(floats, at.pixels, dy.handle as Float32Array, outputPixels(g), g.channels, at.channels);
  run(wasm, mode, at, g);
  const dx = float32(imagePixels(g) * g.channels);
  copyOut(dx, floats, dxAt, imagePixels(g), g.channels, at.channels);
  return dx;
}

export function maxPool2dBackprop(wasm: WasmKernels, dy: KernelTensor, x: KernelTensor, g: Pool2DGeometry, float32: Float32Source): Float32Array {
  return gradient(MAX_GRADIENT, wasm, dy, x, g, float32);
}

export function avgPool2dBackprop(wasm: WasmKernels, dy: KernelTensor, g: Pool2DGeometry, float32: Float32Source): Float32Array {
  return gradient(AVERAGE_GRADIENT, wasm, dy, null, g, float32);
}
