import type { DType } from '@perceptron/core';

/** A concrete input: shape, dtype and row-major values (float inputs already float32-rounded). */
export interface InputData {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly values: readonly number[];
}

/** Every attribute any op in the table takes; each op reads the ones it needs. */
export interface Attrs {
  axis?: number | number[];
  keepDims?: boolean;
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: 'linear' | 'relu' | 'sigmoid' | 'tanh';
  shape?: number[];
  perm?: number[];
  begin?: number[];
  size?: number[];
  paddings?: [number, number][];
  value?: number;
  dtype?: DType;
  min?: number;
  max?: number;
  depth?: number;
  onValue?: number;
  offValue?: number;
  numSegments?: number;
  /** split's pieces: a count of equal ones, or their sizes (one may be -1). */
  pieces?: number | number[];
  /** Which output of an op of several (split, unstack) the row checks. */
  piece?: number;
  /** topk's count. */
  k?: number;
  /** tile's repeats, one per dimension. */
  reps?: number[];
  /** cumsum's settings. */
  exclusive?: boolean;
  reverse?: boolean;
  /** einsum's equation, e.g. 'ij,jk->ik'. */
  equation?: string;
  /** The resize ops' sampling (size is the output's [height, width]). */
  alignCorners?: boolean;
  halfPixelCenters?: boolean;
  /** tf.image.transform's settings: a row [a0..a7] per image (or one for all), how points are read, the output's [height, width]. */
  transforms?: number[][];
  interpolation?: 'nearest' | 'bilinear';
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  fillValue?: number;
  outputShape?: [number, number];
  /** cropAndResize's crop [height, width], how it reads pixels (also threshold's method), the value read off the image. */
  cropSize?: [number, number];
  method?: 'bilinear' | 'nearest' | 'binary' | 'otsu';
  extrapolationValue?: number;
  /** cropAndResize's boxes as an attribute, for rows that check only the image's gradient. */
  boxes?: number[][];
  /** threshold's settings. */
  inverted?: boolean;
  threshValue?: number;
  /** rotateWithOffset's angle, fill colour [red, green, blue] (a single fill is fillValue) and centre. */
  radians?: number;
  fillColor?: [number, number, number];
  center?: number | [number, number];
  start?: number;
  stop?: number;
  step?: number;
  /** Convolution and pooling settings (the conv2d and pooling rows): per spatial axis [height, width]. */
  strides?: [number, number];
  padding?: 'valid' | 'same';
  dilations?: [number, number];
  /** groupedConv2d's groups of channels. */
  groups?: number;
  poolSize?: [number, number];
  /** The volumetric rows' (conv3d, groupedConv3d, maxPool3d, avgPool3d) window per spatial axis [depth, height, width]; their padding is `padding`. */
  volume?: { strides?: [number, number, number]; dilations?: [number, number, number]; poolSize?: [number, number, number] };
  /** The input shape of a convolution or average pooling (their input gradients) or filter shape (conv2dBackpropFilter). */
  inputShape?: number[];
  filterShape?: number[];
  /** norm's order: 'euclidean', 'fro', 1, 2, Infinity or -Infinity. */
  ord?: number | 'euclidean' | 'fro';
  /** linspace's count (also eye's rows), eye's columns and batch shape, meshgrid's indexing. */
  num?: number;
  numColumns?: number;
  batchShape?: number[];
  indexing?: 'xy' | 'ij';
  /** stridedSlice's spec. */
  stridedSlice?: { begin: number[]; end: number[]; strides?: number[]; beginMask?: number; endMask?: number; ellipsisMask?: number; newAxisMask?: number; shrinkAxisMask?: number };
  /** mirrorPad's mode, depthToSpace's block and layout, spaceToBatchND's / batchToSpaceND's blocks and crops (paddings are `paddings`). */
  mode?: 'reflect' | 'symmetric';
  blockSize?: number;
  dataFormat?: 'NHWC' | 'NCHW';
  blockShape?: number[];
  crops?: [number, number][];
  /** Optimizer settings (the `adam` row). */
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** The nn-extra rows: conv1d's stride and dilation (one number each), batchNorm's epsilon, localResponseNormalization's settings. */
  stride?: number;
  dilation?: number;
  varianceEpsilon?: number;
  depthRadius?: number;
  bias?: number;
  alpha?: number;
  beta?: number;
  includeBatchInIndex?: boolean;
  /** The linalg and signal rows: bandPart's limits, qr's fullMatrices, ensureShape's expected shape, frame's settings (padValue is `value`), the windows' length. */
  numLower?: number;
  numUpper?: number;
  fullMatrices?: boolean;
  expectedShape?: (number | null)[];
  frameLength?: number;
  frameStep?: number;
  padEnd?: boolean;
  windowLength?: number;
  periodic?: boolean;
  /** The spectral rows (piece 0 checks a real part, 1 an imaginary one): the transform's length, stft's and istft's frames, window, centring and length, linearToMelWeightMatrix's arguments in order. */
  spectral?: { fftLength?: number; sequenceLength?: number; sequenceStride?: number; window?: 'hann' | 'hamming' | null; center?: boolean; length?: number; mel?: [number, number, number, number, number] };
}

/** `|got − want| ≤ scale · (abs + rel · |want|)`, or bit-exact after rounding to the dtype. */
export type Bound = 'exact' | { readonly rel: number; readonly abs: number };

export interface Tolerance {
  readonly forward: Bound;
  /** First-order gradient vs central differences of the oracle; null for ops without one. */
  readonly gradient: Bound | null;
  /** Bounds for WebGL's measured precision; null until a browser run has measured them. */
  readonly webgl: { readonly forward: Bound; readonly gradient: Bound | null } | null;
  /** How many float32 terms feed each output (reductions, matMul), multiplying the bounds. */
  readonly scale: number;
}

/** One row of the conformance table. */
export interface OpCase {
  readonly id: string;
  readonly op: string;
  readonly inputs: readonly InputData[];
  readonly attrs: Attrs;
  readonly tolerance: Tolerance;
  /** dtype the result must have. */
  readonly dtype: DType;
  /**
   * `'finite-differences'`: each float input's gradient vs central differences of the oracle;
   * `'null'`: the op carries no gradient, so the tape must answer null; `'none'`: not checked
   * (no float input or output, or inputs chosen for the forward value only).
   */
  readonly gradientCheck: 'finite-differences' | 'null' | 'none';
}
