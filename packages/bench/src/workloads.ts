/** The two training workloads of issue 7, the same for every stack and backend. */

export type ModelName = 'lab' | 'wide';

export interface ModelSpec {
  name: ModelName;
  title: string;
  inputs: number;
  /** Units of each Dense layer: relu on every one but the last, softmax on the last. */
  units: readonly number[];
  batchSize: number;
  learningRate: number;
}

export const MODELS: Record<ModelName, ModelSpec> = {
  lab: { name: 'lab', title: 'lab MLP 784-16-32-10', inputs: 784, units: [16, 32, 10], batchSize: 32, learningRate: 1e-3 },
  wide: { name: 'wide', title: 'wide MLP 784-512-512-10', inputs: 784, units: [512, 512, 10], batchSize: 128, learningRate: 1e-3 },
};

/** Training as the lab compiles it: Adam, sparse categorical cross-entropy on softmax outputs, accuracy. */
export const LOSS = 'sparseCategoricalCrossentropy';
export const METRICS = ['accuracy'] as const;

/** Activation of layer `index` of `spec`. */
export function activationOf(spec: ModelSpec, index: number): 'relu' | 'softmax' {
  return index === spec.units.length - 1 ? 'softmax' : 'relu';
}

/** Multiply-adds × 2 of one forward pass of one sample through the dense layers. */
export function forwardFlopsPerSample(spec: ModelSpec): number {
  let inputs = spec.inputs;
  let flops = 0;
  for (const units of spec.units) {
    flops += 2 * inputs * units;
    inputs = units;
  }
  return flops;
}

/** Rows of `predict` per batch, the same for every stack (and onnxruntime). */
export const PREDICT_BATCH = 1000;
