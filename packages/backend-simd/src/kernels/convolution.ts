import type { Conv2DGeometry, KernelTensor } from '@perceptron/core';
import type { Float32Source } from '../array-pool.js';
import { allFinite, K_BLOCK, mostlyZeros } from './matmul.js';
import { copyIn, copyOut } from './padded-rows.js';
import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';

// The convolution and its two gradients on kernels.wat's direct-loop kernel ("conv2d"): copy
// the operands in (the output channels padded to panels), run one of its three updates, copy the
// result out. On one thread: the demo CNN's convolutions take ~2 ms of its step, too little to
// share.

/** The wasm kernel's three updates. */
const FORWARD = 0;
const FILTER_GRADIENT = 1;
const INPUT_GRADIENT = 2;

/** Output channels per panel: two f32x4 vectors, held in locals across a row. */
const PANEL = 8;

/**
 * Where the kernel's three arrays sit in its memory, in floats, each from a 16-byte boundary:
 * images (x or dx), taps (the filter or its gradient) and pixels (y or dy), the last two with
 * the output channels padded to whole panels of 8.
 */
interface Layout {
  readonly images: number;
  readonly taps: number;
  readonly pixels: number;
  readonly end: number;
  /** The output channels padded to a multiple of 8. */
  readonly channels: number;
}

function layoutFor(g: Conv2DGeometry, batch: number): Layout {
  const channels = roundUp(g.outChannels, PANEL);
  const images = FIRST_FLOAT;
  const taps = roundUp(images + batch * g.inHeight * g.inWidth * g.inChannels, 4);
  const pixels = roundUp(taps + g.filterHeight * g.filterWidth * g.inChannels * channels, 4);
  return { images, taps, pixels, end: pixels + batch * g.outHeight * g.outWidth * channels, channels };
}

function run(wasm: WasmKernels, mode: number, at: Layout, g: Conv2DGeometry, batch: number, skipZeros: boolean): void {
  wasm.run.conv2d(
    mode, at.images * FLOAT_BYTES, at.taps * FLOAT_BYTES, at.pixels * FLOAT_BYTES,
    batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, at.channels / PANEL,
    g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth,
    g.padTop, g.padLeft, skipZeros ? 1 : 0,
  );
}

const tapRows = (g: Conv2DGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;
const imageSize = (g: Conv2DGeometry): number => g.inHeight * g.inWidth * g.inChannels;
const outputPositions = (g: Conv2DGeometry): number => g.outHeight * g.outWidth;

/** The convolution y = x ⊛ filter: each output position sums its taps in float32 (at most filterHeight·filterWidth·inChannels terms). */
export function conv2d(wasm: WasmKernels, x: KernelTensor, filter: KernelTensor, g: Conv2DGeometry, float32: Float32Source): Float32Array {
  const at = layoutFor(g, g.batch);
  const floats = wasm.reserve(at.end);
  const images = x.handle as Float32Array;
  floats.set(images, at.images);
  copyIn(floats, at.taps, filter.handle as Float32Array, tapRows(g), g.outChannels, at.channels);
  const skipZeros = mostlyZeros(images, 0, images.length) && allFinite(wasm, at.taps, tapRows(g) * at.channels);
  run(wasm, FORWARD, at, g, g.batch, skipZeros);
  const y = float32(g.batch * outputPositions(g) * g.outChannels);
  copyOut(y, floats, at.pixels, g.batch * outputPositions(g), g.outChannels, at.channels);
  return y;
}

/**
 * The filter's gradient: a sum over every output position of every image. The kernel sums
 * runs of whole images up to K_BLOCK positions in float32 (as the matrix product blocks its
 * long sums), and the runs' sums are added in float64.
 */
export function conv2dBackpropFilter(wasm: WasmKernels, x: KernelTensor, dy: KernelTensor, g: Conv2DGeometry, float32: Float32Source): Float32Array {
  const chunk = Math.max(1, Math.floor(K_BLOCK / Math.max(1, outputPositions(g))));
  const at = layoutFor(g, Math.min(chunk, g.batch));
  const floats = wasm.reserve(at.end);
  const [images, gradients] = [x.handle as Float32Array, dy.handle as Float32Array];
  const sums = new Float64Array(tapRows(g) * g.outChannels);
  const skipZeros = mostlyZeros(images, 0, images.length);
  for (let first = 0; first < g.batch; first += chunk) {
    const count = Math.min(chunk, g.batch - first);
    const positions = count * outputPositions(g);
    floats.set(images.subarray(first * imageSize(g), (first + count) * imageSize(g)), at.images);
    floats.fill(0, at.taps, at.pixels);
    copyIn(floats, at.pixels, gradients.subarray(first * outputPositions(g) * g.outChannels), positions, g.outChannels, at.channels);
    run(wasm, FILTER_GRADIENT, at, g, count, skipZeros && allFinite(wasm, at.pixels, positions * at.channels));
    for (let r = 0; r < tapRows(g); r++) {
      for (let f = 0; f < g.outChannels; f++) sums[r * g.outChannels + f] += floats[at.taps + r * at.channels + f]!;
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
  run(wasm, INPUT_GRADIENT, at, g, g.batch, false);
  const dx = float32(size);
  dx.set(floats.subarray(at.images, at.images + size));
  return dx;
}
