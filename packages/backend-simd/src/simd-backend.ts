import type { Conv2DGeometry, DataArray, DType, FusedActivation, KernelTensor, Pool2DGeometry, Shape } from '@perceptron/core';
import { NaiveBackend, type NaiveHandle } from '@perceptron/backend-naive';
import { ArrayPool, type Float32Source } from './array-pool.js';
import { concat, pad, slice } from './box-copy.js';
import { broadcastTo } from './broadcast-to.js';
import { adamUpdate, type AdamAttributes } from './kernels/adam.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, convolutionWorthSharing } from './kernels/convolution.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput, depthwiseWorthSharing } from './kernels/depthwise-convolution.js';
import { wasmBinary, type WasmBinaryName } from './kernels/elementwise.js';
import { wasmTranscendental } from './kernels/transcendental.js';
import { multiply, worthSharing } from './kernels/matmul.js';
import { avgPool2d, avgPool2dBackprop, maxPool2d, maxPool2dBackprop, poolingWorthSharing } from './kernels/pooling.js';
import type { OutputStage } from './kernels/output-stage.js';
import { WasmKernels } from './kernels/wasm-module.js';
import { logSoftmax, softmax, softmaxCrossEntropy } from './softmax.js';
import { threadSetup } from './threads.js';
import { sumConsecutiveAxes } from './sum.js';
import { unary, type JsUnaryName } from './unary.js';

type T = KernelTensor<NaiveHandle>;

const ZERO: T = { handle: new Float32Array(1), shape: [], dtype: 'float32' };

const outputStage = (bias: T | null, activation: FusedActivation): OutputStage => ({ bias: bias ? (bias.handle as Float32Array) : null, activation });

/** A convolution by a 1×1 filter with strides 1 and no padding. */
const isPointwise = (g: Conv2DGeometry): boolean =>
  g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop + g.padBottom + g.padLeft + g.padRight === 0;

/** An image tensor (or a 1×1 filter) as the matrix of its rows of `columns` channels, the same values. */
const pixels = (x: T, columns: number): T => ({ ...x, shape: [x.handle.length / columns, columns] });

/**
 * The naive backend's storage and readable kernels, with the hot ones replaced (each chosen
 * from a profile of the lab and wide MLPs' and the demo CNN's training steps): matrix products
 * (plain and fused with bias + activation), the convolution and its two gradients, max and
 * average pooling and their gradients, the Adam step, relu and float32 arithmetic, max/min and
 * comparisons for the broadcasts of a network, and sums over leading or middle axes (a bias
 * gradient) run in WebAssembly SIMD kernels (kernels/kernels.wat), as do the depthwise
 * convolution and its two gradients (the naive loops took up to 4× the time of a full convolution
 * with the filters on the channel diagonal), both convolutions fused with bias + activation, and
 * float32 sigmoid and tanh (a fifth of the LSTM's training step, in float64 lanes: see below);
 * softmax, logSoftmax and softmax cross-entropy, sums over the last axes and casts to float32
 * are plain JS loops without the naive kernels' per-element index work; float32 broadcasts,
 * slices, pads and concatenations copy runs of adjacent memory. Everything else is
 * inherited. Large products and convolutions are shared with helper threads in Node
 * (kernels/helper-threads.ts), and large outputs reuse the arrays of disposed tensors
 * (array-pool.ts).
 *
 * Products accumulate in float32 lanes (the naive backend sums in float64): the error grows
 * with the inner dimension k, as the conformance tolerances for matMul allow. float32 sigmoid
 * and tanh are not the naive kernel's values bit for bit either: the kernel's own exp in float64,
 * rounded once, lies within half an ulp (plus ~1e-11) of the true value, and so within an ulp
 * of the naive kernel's Math.exp and Math.tanh (they differ in ~1 value in 4 million). It made
 * the LSTM(64) training step ~20% faster (the `sigmoid` method has the figures).
 */
export class SimdBackend extends NaiveBackend {
  override readonly name: string = 'simd';

  /**
   * `wasm` runs every kernel; `threaded`, over a shared memory with helper threads, runs the
   * products and convolutions large enough to share (copies into a shared memory cost more, so
   * small ones stay).
   */
  private constructor(private readonly wasm: WasmKernels, private threaded: WasmKernels | null, readonly threads: number) {
    super();
  }

  /** Large outputs reuse the arrays of disposed tensors (array-pool.ts explains why). */
  private readonly pool = new ArrayPool();
  private readonly float32: Float32Source = (length) => this.pool.float32(length);

  /** A copy of the caller's values (they may reuse their array), float32 into a pooled array. */
  override upload(values: DataArray, shape: Shape, dtype: DType): NaiveHandle {
    if (dtype !== 'float32') return super.upload(values, shape, dtype);
    const stored = this.float32(values.length);
    stored.set(values);
    return stored;
  }

  /** The same array for one more tensor: counted, so that it returns to the pool only when the last one is disposed. */
  override reshape(x: T, _shape: Shape): NaiveHandle {
    this.pool.shared(x.handle);
    return x.handle;
  }

  override disposeHandle(handle: NaiveHandle): void {
    this.pool.release(handle);
  }

  /** What the pool holds (for tests). */
  get poolStats(): ArrayPool['stats'] {
    return this.pool.stats;
  }

  /**
   * Compiles and instantiates the wasm kernels. `threads` (this one included) compute large
   * matrix products and convolutions; by default `PERCEPTRON_SIMD_THREADS`, else the machine's
   * cores up to 4, and 1 where there are no helper threads (a page that is not cross-origin isolated).
   */
  static async create(options: { threads?: number } = {}): Promise<SimdBackend> {
    const { count, host } = await threadSetup(options.threads);
    const threaded = count > 1 && host ? await WasmKernels.create(count, host) : null;
    return new SimdBackend(await WasmKernels.create(), threaded, count);
  }

  /**
   * Ends the helper threads (core's `disposeBackend` calls this); kernels run on one thread
   * from then on. The WebAssembly memories and pooled arrays go with the backend, once nothing
   * refers to it.
   */
  dispose(): void {
    this.threaded?.stopHelpers();
    this.threaded = null;
  }

  /** The threads `create(options)` would compute on, without creating a backend (nor starting a page's helpers). */
  static async threadCount(options: { threads?: number } = {}): Promise<number> {
    return (await threadSetup(options.threads)).count;
  }

  /** Threads computing large kernels now: 1 until the helpers (started by the first large product or convolution; in a page, by create) are ready. */
  get threadsAtWork(): number {
    return this.threaded?.threadsAtWork ?? 1;
  }

  /** Tasks of large kernels that helper threads have run so far. */
  get tasksByHelpers(): number {
    return this.threaded?.tasksByHelpers ?? 0;
  }

  private kernelsFor(m: number, k: number, n: number): WasmKernels {
    return this.threaded && worthSharing(m, k, n) ? this.threaded : this.wasm;
  }

  private convolutionKernels(g: Conv2DGeometry): WasmKernels {
    return this.threaded && convolutionWorthSharing(g) ? this.threaded : this.wasm;
  }

  private depthwiseKernels(g: Conv2DGeometry): WasmKernels {
    return this.threaded && depthwiseWorthSharing(g) ? this.threaded : this.wasm;
  }

  private poolingKernels(g: Pool2DGeometry): WasmKernels {
    return this.threaded && poolingWorthSharing(g) ? this.threaded : this.wasm;
  }

  override matMul(a: T, b: T, transposeA: boolean, transposeB: boolean): NaiveHandle {
    const [batch, aRows, aCols] = a.shape;
    const [, bRows, bCols] = b.shape;
    const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
    const n = transposeB ? bRows : bCols;
    const out = this.float32(batch * m * n);
    const kernels = this.kernelsFor(m, k, n);
    for (let t = 0; t < batch; t++) {
      multiply(kernels, {
        m, k, n,
        a: a.handle as Float32Array, aOffset: t * m * k, transposeA,
        b: b.handle as Float32Array, bOffset: t * k * n, transposeB,
        bias: null, relu: false, out, outOffset: t * m * n,
      });
    }
    return out;
  }

  /** activation(a·b + bias): bias and relu are applied in the kernel; sigmoid and tanh after. */
  fusedMatMul(a: T, b: T, bias: T | null, activation: FusedActivation, transposeA: boolean, transposeB: boolean): NaiveHandle {
    const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const n = transposeB ? b.shape[0] : b.shape[1];
    const out = this.float32(m * n);
    multiply(this.kernelsFor(m, k, n), {
      m, k, n,
      a: a.handle as Float32Array, aOffset: 0, transposeA,
      b: b.handle as Float32Array, bOffset: 0, transposeB,
      bias: bias ? (bias.handle as Float32Array) : null, relu: activation === 'relu', out, outOffset: 0,
    });
    const shape: Shape = [m, n];
    if (activation === 'sigmoid') return this.sigmoid({ handle: out, shape, dtype: 'float32' });
    if (activation === 'tanh') return this.tanh({ handle: out, shape, dtype: 'float32' });
    return out;
  }

  /** One loop per function for float32 (unary.ts), else the naive kernel. */
  private unary(name: JsUnaryName, x: T): NaiveHandle {
    return unary(name, x, this.float32) ?? super[name](x);
  }

  override neg(x: T): NaiveHandle { return this.unary('neg', x); }
  override abs(x: T): NaiveHandle { return this.unary('abs', x); }
  override sign(x: T): NaiveHandle { return this.unary('sign', x); }
  override exp(x: T): NaiveHandle { return this.unary('exp', x); }
  override log(x: T): NaiveHandle { return this.unary('log', x); }
  override sqrt(x: T): NaiveHandle { return this.unary('sqrt', x); }
  override square(x: T): NaiveHandle { return this.unary('square', x); }
  override sin(x: T): NaiveHandle { return this.unary('sin', x); }
  override cos(x: T): NaiveHandle { return this.unary('cos', x); }
  override floor(x: T): NaiveHandle { return this.unary('floor', x); }
  override ceil(x: T): NaiveHandle { return this.unary('ceil', x); }
  override round(x: T): NaiveHandle { return this.unary('round', x); }
  /**
   * max(x, 0) in the wasm kernel: the loop's Math.max branches, and on values of mixed signs (a
   * convolution's outputs) mispredicts half the time, 1.75 ms against 0.2 ms for 173 K floats.
   * f32x4.max follows Math.max for NaN and −0.
   */
  override relu(x: T): NaiveHandle { return wasmBinary(this.wasm, 'maximum', x, ZERO, x.shape, this.float32) ?? this.unary('relu', x); }
  /**
   * float32 sigmoid and tanh in the wasm kernel (kernels/transcendental.ts), no longer the naive
   * kernel's values bit for bit: within an ulp of them (0.5 ulp of the true value). The JS
   * loops' Math.exp and Math.tanh took 70 and 105 µs for [32, 256] against 29 and 33 µs, and the
   * LSTM(64) training step 13.6–14.7 against 11.1–11.3 ms.
   */
  override sigmoid(x: T): NaiveHandle { return wasmTranscendental(this.wasm, 'sigmoid', x, this.float32) ?? super.sigmoid(x); }
  override tanh(x: T): NaiveHandle { return wasmTranscendental(this.wasm, 'tanh', x, this.float32) ?? super.tanh(x); }

  override broadcastTo(x: T, shape: Shape): NaiveHandle { return broadcastTo(x, shape, this.float32) ?? super.broadcastTo(x, shape); }
  override slice(x: T, begin: readonly number[], size: readonly number[]): NaiveHandle { return slice(x, begin, size, this.float32) ?? super.slice(x, begin, size); }
  override pad(x: T, paddings: readonly (readonly [number, number])[], value: number): NaiveHandle { return pad(x, paddings, value, this.float32) ?? super.pad(x, paddings, value); }
  override concat(xs: readonly T[], axis: number): NaiveHandle { return concat(xs, axis, this.float32) ?? super.concat(xs, axis); }

  /** The wasm kernel for the broadcasts it knows, else the naive kernel. */
  private binary(name: WasmBinaryName, a: T, b: T, outShape: Shape): NaiveHandle {
    return wasmBinary(this.wasm, name, a, b, outShape, this.float32) ?? super[name](a, b, outShape);
  }

  override add(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('add', a, b, outShape); }
  override sub(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('sub', a, b, outShape); }
  override mul(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('mul', a, b, outShape); }
  override div(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('div', a, b, outShape); }
  override maximum(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('maximum', a, b, outShape); }
  override minimum(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('minimum', a, b, outShape); }
  override equal(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('equal', a, b, outShape); }
  override notEqual(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('notEqual', a, b, outShape); }
  override less(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('less', a, b, outShape); }
  override lessEqual(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('lessEqual', a, b, outShape); }
  override greater(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('greater', a, b, outShape); }
  override greaterEqual(a: T, b: T, outShape: Shape): NaiveHandle { return this.binary('greaterEqual', a, b, outShape); }

  override sum(x: T, axes: readonly number[]): NaiveHandle { return sumConsecutiveAxes(this.wasm, x, axes, this.float32) ?? super.sum(x, axes); }

  /** To float32, the typed-array constructor converts as the naive kernel's store does (a relu mask's bool → 0/1). */
  override cast(x: T, dtype: DType): NaiveHandle {
    if (dtype !== 'float32') return super.cast(x, dtype);
    const out = this.float32(x.handle.length);
    out.set(x.handle);
    return out;
  }

  override adamUpdate(variable: T, gradient: T, m: T, v: T, attrs: AdamAttributes): [NaiveHandle, NaiveHandle, NaiveHandle] {
    return adamUpdate(this.wasm, variable, gradient, m, v, attrs, this.float32);
  }

  /**
   * The full convolution and its gradients; a pointwise one (1×1, strides 1, no padding: a
   * SeparableConv2D's second half) is a product of the pixels [batch·height·width, in] by the
   * filter [in, out], which the product kernel computes 1.5–2× faster than the convolution's
   * (measured on [1000, 13, 13, 16] → 32 and [1000, 6, 6, 32] → 64).
   */
  override conv2d(x: T, filter: T, g: Conv2DGeometry): NaiveHandle {
    if (isPointwise(g)) return this.fusedMatMul(pixels(x, g.inChannels), pixels(filter, g.outChannels), null, 'linear', false, false);
    return conv2d(this.convolutionKernels(g), x, filter, g, this.float32);
  }
  override conv2dBackpropInput(dy: T, filter: T, g: Conv2DGeometry): NaiveHandle {
    if (isPointwise(g)) return this.fusedMatMul(pixels(dy, g.outChannels), pixels(filter, g.outChannels), null, 'linear', false, true);
    return conv2dBackpropInput(this.convolutionKernels(g), dy, filter, g, this.float32);
  }
  override conv2dBackpropFilter(x: T, dy: T, g: Conv2DGeometry): NaiveHandle {
    if (isPointwise(g)) return this.fusedMatMul(pixels(x, g.inChannels), pixels(dy, g.outChannels), null, 'linear', true, false);
    return conv2dBackpropFilter(this.convolutionKernels(g), x, dy, g, this.float32);
  }

  override depthwiseConv2d(x: T, filter: T, g: Conv2DGeometry): NaiveHandle { return depthwiseConv2d(this.depthwiseKernels(g), x, filter, g, this.float32); }
  override depthwiseConv2dBackpropInput(dy: T, filter: T, g: Conv2DGeometry): NaiveHandle { return depthwiseConv2dBackpropInput(this.depthwiseKernels(g), dy, filter, g, this.float32); }
  override depthwiseConv2dBackpropFilter(x: T, dy: T, g: Conv2DGeometry): NaiveHandle { return depthwiseConv2dBackpropFilter(this.depthwiseKernels(g), x, dy, g, this.float32); }

  /**
   * activation(convolution + bias), the bias and activation applied to the sums in wasm memory
   * before they are copied out (kernels/output-stage.ts), each value as the add and the
   * activation's kernel give it: one output array written where the three ops wrote three.
   */
  fusedConv2d(x: T, filter: T, bias: T | null, activation: FusedActivation, g: Conv2DGeometry): NaiveHandle {
    if (isPointwise(g)) return this.fusedMatMul(pixels(x, g.inChannels), pixels(filter, g.outChannels), bias, activation, false, false);
    return conv2d(this.convolutionKernels(g), x, filter, g, this.float32, outputStage(bias, activation));
  }
  fusedDepthwiseConv2d(x: T, filter: T, bias: T | null, activation: FusedActivation, g: Conv2DGeometry): NaiveHandle {
    return depthwiseConv2d(this.depthwiseKernels(g), x, filter, g, this.float32, outputStage(bias, activation));
  }

  override maxPool2d(x: T, g: Pool2DGeometry): NaiveHandle { return maxPool2d(this.poolingKernels(g), x, g, this.float32); }
  override maxPool2dBackprop(dy: T, x: T, g: Pool2DGeometry): NaiveHandle { return maxPool2dBackprop(this.poolingKernels(g), dy, x, g, this.float32); }
  override avgPool2d(x: T, g: Pool2DGeometry): NaiveHandle { return avgPool2d(this.poolingKernels(g), x, g, this.float32); }
  override avgPool2dBackprop(dy: T, g: Pool2DGeometry): NaiveHandle { return avgPool2dBackprop(this.poolingKernels(g), dy, g, this.float32); }

  softmax(logits: T): NaiveHandle { return softmax(logits, this.float32); }
  logSoftmax(logits: T): NaiveHandle { return logSoftmax(logits, this.float32); }
  softmaxCrossEntropy(labels: T, logits: T): NaiveHandle { return softmaxCrossEntropy(labels, logits, this.float32); }
}
