/** The training workloads, the same for every stack and backend: issue 7's two MLPs, an LSTM and a CNN. */

export const MODEL_NAMES = ['lab', 'wide', 'sequence', 'separable'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

interface WorkloadBase {
  name: ModelName;
  title: string;
  /**
   * One sample as the model reads it. Every workload reads the same 784 MNIST pixels; the drivers
   * give the tensor this shape once (a view of the same floats), so no layer reshapes per step.
   */
  inputShape: readonly number[];
  batchSize: number;
  learningRate: number;
}

/** Dense layers on the flat image. */
export interface MlpSpec extends WorkloadBase {
  kind: 'mlp';
  /** Units of each Dense layer: relu on every one but the last, softmax on the last. */
  units: readonly number[];
}

/** An LSTM reading the image row by row (inputShape [rows, pixels per row]), then a softmax Dense on its last output. */
export interface LstmSpec extends WorkloadBase {
  kind: 'lstm';
  lstmUnits: number;
  classes: number;
}

/**
 * A small MobileNet-style CNN on the image as [28, 28, 1]: a 3×3 Conv2D ('valid') and 2×2 max
 * pooling, then 3×3 SeparableConv2Ds ('same': a depthwise convolution, then a pointwise 1×1 one)
 * with 2×2 max pooling between them, global average pooling and a softmax Dense; relu after
 * every convolution.
 */
export interface CnnSpec extends WorkloadBase {
  kind: 'cnn';
  convFilters: number;
  separableFilters: readonly number[];
  classes: number;
}

export type ModelSpec = MlpSpec | LstmSpec | CnnSpec;

export const MODELS: { readonly [N in ModelName]: ModelSpec & { name: N } } = {
  lab: { kind: 'mlp', name: 'lab', title: 'lab MLP 784-16-32-10', inputShape: [784], units: [16, 32, 10], batchSize: 32, learningRate: 1e-3 },
  wide: { kind: 'mlp', name: 'wide', title: 'wide MLP 784-512-512-10', inputShape: [784], units: [512, 512, 10], batchSize: 128, learningRate: 1e-3 },
  sequence: {
    kind: 'lstm', name: 'sequence', title: 'sequence LSTM(64)-10 over 28 rows of 28 pixels',
    inputShape: [28, 28], lstmUnits: 64, classes: 10, batchSize: 32, learningRate: 1e-3,
  },
  separable: {
    kind: 'cnn', name: 'separable', title: 'separable CNN Conv2D(16)-SeparableConv2D(32)-SeparableConv2D(64)-10 on 28×28 images',
    inputShape: [28, 28, 1], convFilters: 16, separableFilters: [32, 64], classes: 10, batchSize: 32, learningRate: 1e-3,
  },
};

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/** Values in one sample: what the flat image rows must hold for `spec.inputShape`. */
export function sampleSize(spec: ModelSpec): number {
  return spec.inputShape.reduce((size, dim) => size * dim, 1);
}

/** Training as the lab compiles it: Adam, sparse categorical cross-entropy on softmax outputs, accuracy. */
export const LOSS = 'sparseCategoricalCrossentropy';
export const METRICS = ['accuracy'] as const;

/**
 * The LSTM's activations, given explicitly to both stacks: tfjs-layers' LSTM defaults its gates
 * to hardSigmoid (Keras 2.0's default), core's (like Keras ≥ 2.1) to sigmoid. Both keep Keras's
 * other defaults alike: glorotUniform kernel, orthogonal recurrent kernel, unitForgetBias.
 */
export const LSTM_ACTIVATIONS = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;

/** Activation of Dense layer `index` of `spec`. */
export function activationOf(spec: MlpSpec, index: number): 'relu' | 'softmax' {
  return index === spec.units.length - 1 ? 'softmax' : 'relu';
}

/** The CNN's forward multiply-adds × 2 of its convolutions and its Dense, per sample. */
function cnnFlops(spec: CnnSpec): number {
  const [height, width, channels] = spec.inputShape as [number, number, number];
  const TAPS = 3 * 3;
  // The 'valid' 3×3 Conv2D, then 2×2 pooling before each 'same' SeparableConv2D.
  let [rows, cols, depth] = [height - 2, width - 2, spec.convFilters];
  let flops = 2 * rows * cols * TAPS * channels * depth;
  for (const filters of spec.separableFilters) {
    [rows, cols] = [Math.floor(rows / 2), Math.floor(cols / 2)];
    flops += 2 * rows * cols * depth * (TAPS + filters);
    depth = filters;
  }
  return flops + 2 * depth * spec.classes;
}

/**
 * Multiply-adds × 2 of the matrix products and convolutions of one forward pass of one sample
 * (the elementwise work, activations, poolings and the LSTM's gate arithmetic, is left out: a
 * few % of the products). No report column uses it yet.
 */
export function forwardFlopsPerSample(spec: ModelSpec): number {
  if (spec.kind === 'lstm') {
    const [steps, features] = spec.inputShape as [number, number];
    // Each step: x_t·kernel [features, 4·units] and h·recurrentKernel [units, 4·units]; then the Dense.
    return steps * 2 * (features + spec.lstmUnits) * 4 * spec.lstmUnits + 2 * spec.lstmUnits * spec.classes;
  }
  if (spec.kind === 'cnn') return cnnFlops(spec);
  let inputs = sampleSize(spec);
  let flops = 0;
  for (const units of spec.units) {
    flops += 2 * inputs * units;
    inputs = units;
  }
  return flops;
}

/** Rows of `predict` per batch, the same for every stack (and onnxruntime). */
export const PREDICT_BATCH = 1000;
