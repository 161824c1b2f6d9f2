/** What the benchmark needs from each stack (Perceptron through core, or TensorFlow.js). */
import type { Stack } from './args.js';
import { sampleSize, type ModelSpec } from './workloads.js';

/** Flattened, scaled MNIST rows: `count` × 784 floats in [0, 1] and their labels. */
export interface Images {
  x: Float32Array;
  y: Int32Array;
  count: number;
  features: number;
}

/**
 * The shape a stack gives `images` for `spec`: [count, ...spec.inputShape], over the same floats
 * (the sequence workload reads each flat image as its 28 rows).
 */
export function shapeFor(spec: ModelSpec, images: Images): number[] {
  if (sampleSize(spec) !== images.features) {
    throw new Error(`${spec.name}: expected images of ${sampleSize(spec)} values (input shape [${spec.inputShape.join(', ')}]), got ${images.features}`);
  }
  return [images.count, ...spec.inputShape];
}

export interface EpochHooks {
  onEpochBegin(epoch: number): void;
  /** `loss` and `accuracy` are the epoch's running training figures. */
  onEpochEnd(epoch: number, loss: number, accuracy: number): void;
  /** Called after every batch where that costs the stack nothing extra (see MemorySampler). */
  onBatchEnd(): void;
}

export interface Trainer {
  /** One `fit` call of `epochs` epochs over the whole training set, as a user writes it. */
  fit(epochs: number, hooks: EpochHooks): Promise<void>;
  dispose(): void;
}

export interface Predictor {
  /** Predicts every image in batches and reads the outputs back to JS. */
  run(): Promise<void>;
  /** The model, for exporting to ONNX (Perceptron only). */
  readonly model: unknown;
  dispose(): void;
}

/** A framework tensor as the predict benchmark reads it: its values, then freed. */
interface ReadableTensor {
  data(): Promise<unknown>;
  dispose(): void;
}

/** Reads a prediction back to JS (what a user needs the output for), then frees it. */
export async function readAndDispose(output: ReadableTensor): Promise<void> {
  try {
    await output.data();
  } finally {
    output.dispose();
  }
}

/** A prepared operation on fixed operands: `run()` computes it once (and reads it for matMul). */
export interface PreparedOp {
  run(): void;
  dispose(): void;
}

export interface MatMulShape {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** What a cell does with a model: trains it with `fit`, or only runs `predict`. */
export type ModelUse = 'train' | 'predict';

export interface Driver {
  readonly stack: Stack;
  readonly backend: string;
  /** Makes this driver's backend the one new tensors and ops use. */
  activate(): Promise<void>;
  /** Why this stack cannot build `spec` for `use` (the report says so in its cell), or null when it can. */
  cannotBuild(spec: ModelSpec, use: ModelUse): string | null;
  trainer(spec: ModelSpec, train: Images): Promise<Trainer>;
  predictor(spec: ModelSpec, test: Images): Promise<Predictor>;
  /** `a + b` for two float32 tensors of shape [4], the result disposed: the cost of one op call. */
  smallAdd(): PreparedOp;
  matMul(shape: MatMulShape): PreparedOp;
}
