import type { DataArray, DType, Shape } from '../types.js';

/**
 * A tensor as a kernel sees it: the backend's own storage handle plus the shape and dtype
 * core has already validated. `H` is the backend's handle type (a typed array wrapper for the
 * naive backend, a tfjs tensor for the TensorFlow.js backends).
 */
export interface KernelTensor<H = unknown> {
  /** The backend's storage of the values: what `upload` or a kernel returned. */
  readonly handle: H;
  /** The dimensions, outermost first; `[]` for a scalar. */
  readonly shape: Shape;
  /** The values' type: 'float32', 'int32' or 'bool'. */
  readonly dtype: DType;
}

export type UnaryKernelName =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'sqrt' | 'square' | 'relu' | 'sigmoid' | 'tanh'
  | 'sin' | 'cos' | 'floor' | 'ceil' | 'round';

/** Elementwise binary kernels. Inputs broadcast NumPy-style to `outShape` (computed by core). */
export type BinaryKernelName =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

export type ReduceKernelName = 'sum' | 'max' | 'min';

/** Activations a fused dense kernel may apply after `x·W + b`. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/**
 * Where a sliding window (a convolution's filter, a pooling window) goes over channels-last
 * images, every size resolved by core (the 'same' padding included, so backends need not
 * compute it): the input is [batch, inHeight, inWidth, ·], the output [batch, outHeight,
 * outWidth, ·], and the window of output position (oy, ox) starts at input row
 * oy·strideHeight − padTop and column ox·strideWidth − padLeft. The image padded with padTop rows
 * above and padBottom below (padLeft and padRight columns) holds exactly the windows; a tap in
 * the padding reads no value of the image. Rows or columns that no window reaches ('valid' with
 * a stride that does not fit) get no gradient.
 */
export interface SlidingWindow {
  /** Images in the batch: the first dimension of input and output. */
  readonly batch: number;
  /** Rows of each input image (without padding). */
  readonly inHeight: number;
  /** Columns of each input image (without padding). */
  readonly inWidth: number;
  /** Rows of the output: how many window positions fit down the padded image. */
  readonly outHeight: number;
  /** Columns of the output: how many window positions fit across the padded image. */
  readonly outWidth: number;
  /** Input rows from one window's first row to the next window's below it. */
  readonly strideHeight: number;
  /** Input columns from one window's first column to the next window's to its right. */
  readonly strideWidth: number;
  /** Rows of padding above the image: 0 for 'valid'; for 'same', half of what the windows lack, rounded down. */
  readonly padTop: number;
  /** Rows of padding below the image: 0 for 'valid'; for 'same', the rest (the odd row goes here, as in TensorFlow). */
  readonly padBottom: number;
  /** Columns of padding left of the image: 0 for 'valid'; for 'same', half of what the windows lack, rounded down. */
  readonly padLeft: number;
  /** Columns of padding right of the image: 0 for 'valid'; for 'same', the rest (the odd column goes here, as in TensorFlow). */
  readonly padRight: number;
}

/**
 * A 2-D convolution: the input x is [batch, inHeight, inWidth, inChannels], the filter
 * [filterHeight, filterWidth, inChannels, outChannels] and the output y [batch, outHeight,
 * outWidth, outChannels], with
 *
 *   y[b, oy, ox, f] = Σ_{i, j, c} x[b, oy·strideHeight + i·dilationHeight − padTop,
 *                                   ox·strideWidth + j·dilationWidth − padLeft, c] · filter[i, j, c, f]
 *
 * where a position outside the image reads 0, so outHeight = floor((padTop + inHeight +
 * padBottom − (filterHeight − 1)·dilationHeight − 1) / strideHeight) + 1, and likewise for the
 * columns. Dilations above 1 come only with strides of 1, as in Keras.
 */
export interface Conv2DGeometry extends SlidingWindow {
  /** The input's last dimension, and the filter's third. */
  readonly inChannels: number;
  /** The output's last dimension: the filter's last for conv2d, inChannels × the channel multiplier for the depthwise kernels. */
  readonly outChannels: number;
  /** Rows of taps in the filter (its first dimension). */
  readonly filterHeight: number;
  /** Columns of taps in the filter (its second dimension). */
  readonly filterWidth: number;
  /** Input rows between vertically adjacent taps: 1 for a plain convolution (Keras's `dilation_rate[0]`). */
  readonly dilationHeight: number;
  /** Input columns between horizontally adjacent taps: 1 for a plain convolution (Keras's `dilation_rate[1]`). */
  readonly dilationWidth: number;
}

/**
 * A 2-D pooling: each channel of x [batch, inHeight, inWidth, channels] is reduced over windows
 * of windowHeight × windowWidth taps, the window of y[b, oy, ox, c] holding
 *
 *   x[b, oy·strideHeight + i − padTop, ox·strideWidth + j − padLeft, c],  0 ≤ i < windowHeight, 0 ≤ j < windowWidth,
 *
 * of which only the taps inside the image count: max pooling takes their largest value,
 * average pooling their mean (dividing by how many taps lie inside the image, as Keras and
 * TensorFlow do with 'same' padding). Core's padding leaves no window without a tap inside.
 */
export interface Pool2DGeometry extends SlidingWindow {
  /** The input's and output's last dimension; each channel is pooled on its own. */
  readonly channels: number;
  /** Rows of taps in a window (Keras's `pool_size[0]`). */
  readonly windowHeight: number;
  /** Columns of taps in a window (Keras's `pool_size[1]`). */
  readonly windowWidth: number;
}

/**
 * The primitive kernels every backend must provide. A backend that leaves one out does not
 * compile. Core validates every argument before calling a kernel (shapes, dtypes, axes are
 * normalised and non-negative), so kernels only compute. Each kernel returns a new handle;
 * inputs are never modified.
 */
export interface RequiredKernels<H> {
  // Elementwise unary: output has the input's shape and dtype.
  /** −x, for float32 or int32 `x`. */
  neg(x: KernelTensor<H>): H;
  /** |x|, for float32 or int32 `x`. */
  abs(x: KernelTensor<H>): H;
  /** −1, 0 or 1 by the sign of x (NaN stays NaN), for float32 or int32 `x`. */
  sign(x: KernelTensor<H>): H;
  /** eˣ, for float32 `x`. */
  exp(x: KernelTensor<H>): H;
  /** The natural logarithm of float32 `x`: −∞ at 0, NaN below it. */
  log(x: KernelTensor<H>): H;
  /** √x for float32 `x`: NaN below 0. */
  sqrt(x: KernelTensor<H>): H;
  /** x², for float32 or int32 `x` (int32 wraps modulo 2^32, exactly). */
  square(x: KernelTensor<H>): H;
  /** max(x, 0), for float32 or int32 `x`. */
  relu(x: KernelTensor<H>): H;
  /** 1 / (1 + e^−x), for float32 `x`. */
  sigmoid(x: KernelTensor<H>): H;
  /** The hyperbolic tangent of float32 `x`. */
  tanh(x: KernelTensor<H>): H;
  /** The sine of float32 `x` (radians). */
  sin(x: KernelTensor<H>): H;
  /** The cosine of float32 `x` (radians). */
  cos(x: KernelTensor<H>): H;
  /** The largest integer ≤ x, for float32 `x` (the result stays float32). */
  floor(x: KernelTensor<H>): H;
  /** The smallest integer ≥ x, for float32 `x` (the result stays float32). */
  ceil(x: KernelTensor<H>): H;
  /** Halves round to the even neighbour (roundHalfToEven), as TensorFlow's round and ONNX's Round. */
  round(x: KernelTensor<H>): H;

  // Elementwise binary with broadcasting. Both inputs share one dtype. Arithmetic keeps it
  // (int32 `div` rounds towards negative infinity, as tfjs does; int32 results wrap modulo 2^32,
  // products and powers exactly, as TensorFlow's); comparisons give bool.
  /** a + b, broadcast to `outShape`. */
  add(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a − b, broadcast to `outShape`. */
  sub(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a · b, broadcast to `outShape`. */
  mul(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a / b, broadcast to `outShape`; int32 rounds towards negative infinity (−7 / 2 = −4). */
  div(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a raised to the power b, broadcast to `outShape`. */
  pow(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** The larger of a and b, broadcast to `outShape`; NaN in either gives NaN. */
  maximum(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** The smaller of a and b, broadcast to `outShape`; NaN in either gives NaN. */
  minimum(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a = b as bool, broadcast to `outShape`. */
  equal(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a ≠ b as bool, broadcast to `outShape`. */
  notEqual(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a < b as bool, broadcast to `outShape`. */
  less(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a ≤ b as bool, broadcast to `outShape`. */
  lessEqual(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a > b as bool, broadcast to `outShape`. */
  greater(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** a ≥ b as bool, broadcast to `outShape`. */
  greaterEqual(a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;

  /** `condition` is bool; the three inputs broadcast to `outShape`; output has `a`'s dtype. */
  where(condition: KernelTensor<H>, a: KernelTensor<H>, b: KernelTensor<H>, outShape: Shape): H;
  /** float→int truncates towards zero; anything→bool is `x != 0`. */
  cast(x: KernelTensor<H>, dtype: DType): H;

  // Reductions over `axes` (sorted, unique, non-empty or empty = copy). The reduced axes are
  // removed from the output shape; core restores them for keepDims. Sum keeps the dtype
  // (bool sums are not requested).
  /** The sum of float32 or int32 `x` over `axes`, in its dtype. */
  sum(x: KernelTensor<H>, axes: readonly number[]): H;
  /** The largest value of float32 or int32 `x` over `axes` (none of them empty). */
  max(x: KernelTensor<H>, axes: readonly number[]): H;
  /** The smallest value of float32 or int32 `x` over `axes` (none of them empty). */
  min(x: KernelTensor<H>, axes: readonly number[]): H;
  /** Index (int32) of the first largest value along `axis`; the axis is removed. */
  argMax(x: KernelTensor<H>, axis: number): H;
  /** Running sums along `axis`; `exclusive` leaves each entry's own value out, `reverse` sums from the end. */
  cumsum(x: KernelTensor<H>, axis: number, exclusive: boolean, reverse: boolean): H;
  /** Indices (int32) of the `k` largest entries of each row along the last axis, largest first, ties to the lower index; that axis becomes `k` long. */
  topkIndices(x: KernelTensor<H>, k: number): H;

  /**
   * Batched matrix product of rank-3 operands `[batch, rows, cols]` with the same batch
   * (core reshapes and broadcasts). With the flags an operand is used transposed in its last
   * two dimensions. float32 only.
   */
  matMul(a: KernelTensor<H>, b: KernelTensor<H>, transposeA: boolean, transposeB: boolean): H;

  // Movement. `reshape` may share storage with its input: handles are immutable.
  /** The same values in row-major order with `shape` (of the same size, every dimension given). */
  reshape(x: KernelTensor<H>, shape: Shape): H;
  /** Permutes dimensions: output dimension i is input dimension `perm[i]`. */
  transpose(x: KernelTensor<H>, perm: readonly number[]): H;
  /** Copies `size[i]` elements from `begin[i]` in each dimension. */
  slice(x: KernelTensor<H>, begin: readonly number[], size: readonly number[]): H;
  /** Joins inputs of one dtype along `axis`; all other dimensions agree. */
  concat(xs: readonly KernelTensor<H>[], axis: number): H;
  /** Pads each dimension with `paddings[i] = [before, after]` copies of `value`. */
  pad(x: KernelTensor<H>, paddings: readonly (readonly [number, number])[], value: number): H;
  /** Repeats size-1 dimensions of `x` (same rank as `shape`) to reach `shape`. */
  broadcastTo(x: KernelTensor<H>, shape: Shape): H;
  /** Picks slices of `x` along `axis` at int32 `indices` (all in range); output shape is
   *  `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. */
  gather(x: KernelTensor<H>, indices: KernelTensor<H>, axis: number): H;
  /** Sums rows of `x` (leading dims = `segmentIds.shape`) into `numSegments` rows: the
   *  gradient of gather. Output shape `[numSegments, ...x.shape[segmentIds.rank:]]`. */
  unsortedSegmentSum(x: KernelTensor<H>, segmentIds: KernelTensor<H>, numSegments: number): H;
  /** int32 `indices` → float32 `[...indices.shape, depth]`; out-of-range indices give a row of `offValue`. */
  oneHot(indices: KernelTensor<H>, depth: number, onValue: number, offValue: number): H;
}

/**
 * Optional fused kernels. Core computes the same results from primitives when a backend leaves
 * one out, and the conformance suite checks that both paths agree.
 */
export interface FusedKernels<H> {
  /** softmax over the last axis. */
  softmax?(logits: KernelTensor<H>): H;
  /** log-softmax over the last axis. */
  logSoftmax?(logits: KernelTensor<H>): H;
  /** −Σ labels·logSoftmax(logits) over the last axis, for float32 `labels` and `logits` of one
   *  shape; the result has their shape without its last dimension. */
  softmaxCrossEntropy?(labels: KernelTensor<H>, logits: KernelTensor<H>): H;
  /** activation(a·b + bias) for rank-2 a, b; bias (rank 1) may be absent. */
  fusedMatMul?(
    a: KernelTensor<H>, b: KernelTensor<H>, bias: KernelTensor<H> | null,
    activation: FusedActivation, transposeA: boolean, transposeB: boolean,
  ): H;
  /**
   * One Adam step (Keras 3 formula) for float32 `variable`, `gradient`, first moment `m` and
   * second moment `v`, all of one shape. With t = `step` (1 for the first update) and
   * alpha = lr·sqrt(1 − beta2^t) / (1 − beta1^t):
   * m' = m + (g − m)(1 − beta1), v' = v + (g² − v)(1 − beta2),
   * variable' = variable − alpha·m' / (sqrt(v') + epsilon).
   * Returns new handles `[variable', m', v']`; the inputs are not modified.
   */
  adamUpdate?(
    variable: KernelTensor<H>, gradient: KernelTensor<H>, m: KernelTensor<H>, v: KernelTensor<H>,
    attrs: { lr: number; beta1: number; beta2: number; epsilon: number; step: number },
  ): [H, H, H];
  /**
   * The convolution y of float32 `x` [batch, inHeight, inWidth, inChannels] with float32
   * `filter` [filterHeight, filterWidth, inChannels, outChannels], as `geometry` defines it:
   * [batch, outHeight, outWidth, outChannels].
   */
  conv2d?(x: KernelTensor<H>, filter: KernelTensor<H>, geometry: Conv2DGeometry): H;
  /**
   * The gradient of the convolution with respect to its input: for float32 `dy` [batch,
   * outHeight, outWidth, outChannels] and `filter`, dx[b, y, x, c] = Σ dy[b, oy, ox, f] ·
   * filter[i, j, c, f] over every (oy, ox, i, j, f) whose tap reads x[b, y, x, c] in the forward
   * formula. Returns [batch, inHeight, inWidth, inChannels]; positions no tap reads are 0.
   */
  conv2dBackpropInput?(dy: KernelTensor<H>, filter: KernelTensor<H>, geometry: Conv2DGeometry): H;
  /**
   * The gradient of the convolution with respect to its filter: for float32 `x` and `dy`,
   * dfilter[i, j, c, f] = Σ_{b, oy, ox} x[b, oy·strideHeight + i·dilationHeight − padTop,
   * ox·strideWidth + j·dilationWidth − padLeft, c] · dy[b, oy, ox, f] (0 outside the image).
   * Returns [filterHeight, filterWidth, inChannels, outChannels].
   */
  conv2dBackpropFilter?(x: KernelTensor<H>, dy: KernelTensor<H>, geometry: Conv2DGeometry): H;
  /**
   * The depthwise convolution: as conv2d, but `filter` is [filterHeight, filterWidth,
   * inChannels, M] with M = outChannels / inChannels, and output channel c·M + m reads input
   * channel c alone: y[b, oy, ox, c·M + m] = Σ_{i, j} x[b, oy·strideHeight + i·dilationHeight −
   * padTop, ox·strideWidth + j·dilationWidth − padLeft, c] · filter[i, j, c, m].
   */
  depthwiseConv2d?(x: KernelTensor<H>, filter: KernelTensor<H>, geometry: Conv2DGeometry): H;
  /** The depthwise convolution's gradient with respect to its input: dx[b, y, x, c] = Σ dy[b, oy, ox, c·M + m] · filter[i, j, c, m] over the taps reading it. */
  depthwiseConv2dBackpropInput?(dy: KernelTensor<H>, filter: KernelTensor<H>, geometry: Conv2DGeometry): H;
  /** The depthwise convolution's gradient with respect to its filter: dfilter[i, j, c, m] = Σ_{b, oy, ox} x[b, ·, ·, c] (at tap (i, j)) · dy[b, oy, ox, c·M + m]. */
  depthwiseConv2dBackpropFilter?(x: KernelTensor<H>, dy: KernelTensor<H>, geometry: Conv2DGeometry): H;
  /**
   * activation(conv2d(x, filter) + bias): the convolution as `conv2d` computes it, float32
   * `bias` [outChannels] (or none) added to each output pixel, then the activation.
   */
  fusedConv2d?(x: KernelTensor<H>, filter: KernelTensor<H>, bias: KernelTensor<H> | null, activation: FusedActivation, geometry: Conv2DGeometry): H;
  /** activation(depthwiseConv2d(x, filter) + bias), `bias` [channels · multiplier] (or none), as `fusedConv2d` for the depthwise convolution. */
  fusedDepthwiseConv2d?(x: KernelTensor<H>, filter: KernelTensor<H>, bias: KernelTensor<H> | null, activation: FusedActivation, geometry: Conv2DGeometry): H;
  /** Max pooling of float32 `x` as `geometry` defines it: [batch, outHeight, outWidth, channels]. */
  maxPool2d?(x: KernelTensor<H>, geometry: Pool2DGeometry): H;
  /**
   * The gradient of max pooling with respect to its input x, for float32 `dy` [batch,
   * outHeight, outWidth, channels]: each dy[b, oy, ox, c] goes to the one tap of its window that
   * holds the window's largest value, the first in row-major (i, j) order when several do (as
   * TensorFlow's MaxPoolGrad), and what overlapping windows send to one position adds up.
   * Returns [batch, inHeight, inWidth, channels]; positions no window picks are 0.
   */
  maxPool2dBackprop?(dy: KernelTensor<H>, x: KernelTensor<H>, geometry: Pool2DGeometry): H;
  /** Average pooling of float32 `x` as `geometry` defines it: [batch, outHeight, outWidth, channels]. */
  avgPool2d?(x: KernelTensor<H>, geometry: Pool2DGeometry): H;
  /**
   * The gradient of average pooling with respect to its input, for float32 `dy`:
   * dx[b, y, x, c] = Σ dy[b, oy, ox, c] / count(oy, ox) over the windows holding (y, x), with
   * count the window's taps inside the image. Returns [batch, inHeight, inWidth, channels].
   */
  avgPool2dBackprop?(dy: KernelTensor<H>, geometry: Pool2DGeometry): H;
}

/** Storage and identity of a backend. */
export interface BackendStorage<H> {
  /** Registered name, e.g. `naive`, `tfjs-wasm`. */
  readonly name: string;
  /** Bits of float precision the backend computes with (32, or 16 on some WebGL devices). */
  readonly floatPrecision: 16 | 32;
  /** Copies `values` (laid out row-major for `shape`) into backend storage. */
  upload(values: DataArray, shape: Shape, dtype: DType): H;
  /** Reads values back synchronously. The returned array belongs to the caller. */
  read(x: KernelTensor<H>): DataArray;
  /** Reads values back without blocking (GPU backends); the array belongs to the caller. */
  readAsync(x: KernelTensor<H>): Promise<DataArray>;
  /** Frees the storage behind a handle. Called exactly once per handle. */
  disposeHandle(handle: H): void;
  /**
   * Releases what the backend holds besides its tensors' storage: helper threads, WebAssembly
   * memory, a GL context. Called at most once, by `disposeBackend`, when no tensor lives on the
   * backend; throw (before releasing anything) to refuse. Backends holding nothing leave it out.
   */
  dispose?(): void;
}

/** A compute backend: storage plus the primitive kernels, plus any fused kernels it offers. */
export interface Backend<H = unknown> extends BackendStorage<H>, RequiredKernels<H>, FusedKernels<H> {}
