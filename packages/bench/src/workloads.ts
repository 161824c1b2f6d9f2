/** The training workloads, the same for every stack and backend: issue 7's two MLPs and an LSTM. */

export const MODEL_NAMES = ['lab', 'wide', 'sequence'] as const;
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

export type ModelSpec = MlpSpec | LstmSpec;

export const MODELS: { readonly [N in ModelName]: ModelSpec & { name: N } } = {
  lab: { kind: 'mlp', name: 'lab', title: 'lab MLP 784-16-32-10', inputShape: [784], units: [16, 32, 10], batchSize: 32, learningRate: 1e-3 },
  wide: { kind: 'mlp', name: 'wide', title: 'wide MLP 784-512-512-10', inputShape: [784], units: [512, 512, 10], batchSize: 128, learningRate: 1e-3 },
  sequence: {
    kind: 'lstm', name: 'sequence', title: 'sequence LSTM(64)-10 over 28 rows of 28 pixels',
    inputShape: [28, 28], lstmUnits: 64, classes: 10, batchSize: 32, learningRate: 1e-3,
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

/**
 * Multiply-adds × 2 of the matrix products of one forward pass of one sample (the elementwise
 * work, activations and the LSTM's gate arithmetic, is left out: a few % of the products). No
 * report column uses it yet.
 */
export function forwardFlopsPerSample(spec: ModelSpec): number {
  if (spec.kind === 'lstm') {
    const [steps, features] = spec.inputShape as [number, number];
    // Each step: x_t·kernel [features, 4·units] and h·recurrentKernel [units, 4·units]; then the Dense.
    return steps * 2 * (features + spec.lstmUnits) * 4 * spec.lstmUnits + 2 * spec.lstmUnits * spec.classes;
  }
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
