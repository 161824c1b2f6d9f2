// Shared by the onnx tests: the backends to run on, the table of models to export, and models of
// several inputs and outputs.
import '@perceptron/backend-naive';
import '@perceptron/backend-simd';
import '@perceptron/backend-tfjs';
import * as pc from '@perceptron/core';

/** Every backend that can run here; the others are reported by name with their reason. */
export const BACKENDS = pc.listBackends().filter((b) => b.available).map((b) => b.name);
export const UNAVAILABLE = pc.listBackends().filter((b) => !b.available);

/** The lab's PerceptronLayer (as packages/examples has it): Z = x·w + b. */
export class PerceptronLayer extends pc.Layer {
  w!: pc.Variable;
  b!: pc.Variable;
  constructor(readonly neurons: number, config: pc.LayerConfig = {}) {
    super(config);
  }
  override build(inputShape: pc.Shape): void {
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!, this.neurons], 'randomNormal');
    this.b = this.addWeight('b', [this.neurons], 'randomNormal');
  }
  override call(x: pc.Tensor): pc.Tensor {
    return pc.add(pc.matMul(x, this.w), this.b);
  }
}

/** The lab's MultilayerPerceptron: PerceptronLayers with relu, then a hand-written softmax. */
export class MultilayerPerceptron extends pc.Model {
  readonly hiddenLayers: PerceptronLayer[];
  readonly outputLayer: PerceptronLayer;
  constructor(hidden: readonly number[] = [16, 32], outputs = 10) {
    super({ name: 'multilayerPerceptron' });
    this.hiddenLayers = hidden.map((n) => new PerceptronLayer(n));
    this.outputLayer = new PerceptronLayer(outputs);
  }
  override call(x: pc.Tensor): pc.Tensor {
    let h = x;
    for (const layer of this.hiddenLayers) h = pc.relu(layer.apply(h));
    const logits = this.outputLayer.apply(h);
    const e = pc.exp(pc.sub(logits, pc.max(logits, -1, true)));
    return pc.div(e, pc.sum(e, -1, true));
  }
}

/** A custom layer with broadcasting and reductions: centre each row, scale it, add its sum. */
export class CenteredLayer extends pc.Layer {
  scale!: pc.Variable;
  override build(inputShape: pc.Shape): void {
    this.scale = this.addWeight('scale', [inputShape[inputShape.length - 1]!], 'randomNormal');
  }
  override call(x: pc.Tensor): pc.Tensor {
    const centred = pc.sub(x, pc.mean(x, -1, true));
    const spread = pc.sqrt(pc.add(pc.mean(pc.square(centred), -1, true), 1e-3));
    return pc.add(pc.mul(pc.div(centred, spread), this.scale), pc.sum(x, -1, true));
  }
}

export interface ModelCase {
  name: string;
  features: number;
  make(): pc.Model;
}

const ACTIVATIONS: pc.ActivationIdentifier[] = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'gelu', 'leakyRelu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'logSoftmax',
  'softplus', 'softsign', 'swish', 'hardSilu', 'mish', 'exponential',
];

export const MODEL_CASES: ModelCase[] = [
  { name: 'lab MultilayerPerceptron', features: 12, make: () => new MultilayerPerceptron() },
  ...ACTIVATIONS.map((activation): ModelCase => ({
    name: `Sequential + Dense (${activation})`,
    features: 6,
    make: () => new pc.Sequential([new pc.Dense(8, { inputShape: [6], activation: 'tanh' }), new pc.Dense(5, { activation })]),
  })),
  {
    name: 'Rescaling → Normalization (given statistics) → Dense',
    features: 4,
    make: () => new pc.Sequential([
      pc.Input({ shape: [4] }),
      new pc.Rescaling({ scale: [2, 1, 0.5, 1], offset: 0.25 }),
      new pc.Normalization({ mean: [0.1, -0.2, 0.3, 0], variance: [1.5, 0.5, 2, 1] }),
      new pc.Dense(3, { activation: 'softmax' }),
    ]),
  },
  {
    name: 'custom layer with broadcasting and reductions',
    features: 7,
    make: () => new pc.Sequential([new pc.Dense(9, { inputShape: [7], activation: 'relu' }), new CenteredLayer(), new pc.Dense(3, { activation: 'softmax' })]),
  },
];

/**
 * Two heads on one trunk: Input(6) → Dense(8, tanh) 'trunk' → 'digit' Dense(3, softmax), and
 * 'size' Dense(1) on the trunk joined with digit's probabilities, so one head also feeds the other.
 */
export function twoHeadsModel(): pc.Model {
  const input = pc.Input({ shape: [6], name: 'features' });
  const hidden = new pc.Dense(8, { activation: 'tanh', name: 'trunk' }).apply(input);
  const digit = new pc.Dense(3, { activation: 'softmax', name: 'digit' }).apply(hidden);
  const size = new pc.Dense(1, { name: 'size' }).apply(new pc.Concatenate({ name: 'joined' }).apply([hidden, digit]));
  return new pc.Model({ inputs: input, outputs: [digit, size], name: 'two_heads' });
}

/** Two inputs, 'left' [4] and 'right' [3], joined; two outputs: 'score' Dense(2, softmax) and 'mix', left plus a Dense of the join. */
export function twoInputsModel(): pc.Model {
  const left = pc.Input({ shape: [4], name: 'left' });
  const right = pc.Input({ shape: [3], name: 'right' });
  const joined = new pc.Concatenate().apply([left, new pc.Dense(4, { activation: 'relu' }).apply(right)]);
  const score = new pc.Dense(2, { activation: 'softmax', name: 'score' }).apply(joined);
  const mix = new pc.Add({ name: 'mix' }).apply([left, new pc.Dense(4).apply(joined)]);
  return new pc.Model({ inputs: [left, right], outputs: [score, mix], name: 'pair' });
}

/** Rows of values in [-2, 2) drawn from a seeded generator. */
export function randomBatch(rows: number, features: number, seed: number): pc.Tensor {
  const g = new pc.RandomGenerator(seed);
  return pc.tensor(Float32Array.from({ length: rows * features }, () => 4 * g.nextFloat() - 2), [rows, features]);
}

/** The largest |a - b| / max(1, |b|), in float64. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxRelativeDifference: ${a.length} values vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

/**
 * A layer running (nearly) every op the exporter maps, on inputs [batch, 3, 4]: reshapes that
 * follow the batch, transposes, batched and transposed matMuls, slice to the end, pad, concat,
 * gather, argMax, oneHot, comparisons, where, casts, int32 division, reductions, broadcastTo.
 */
export class EveryOpLayer extends pc.Layer {
  w!: pc.Variable;
  override build(inputShape: pc.Shape): void {
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!, 4], 'randomNormal');
  }
  override call(x: pc.Tensor): pc.Tensor {
    const batch = x.shape[0]!;
    const rows = pc.reshape(x, [-1, 4]);
    const gram = pc.matMul(this.w, this.w, true, false);
    const mixed = pc.reshape(pc.matMul(rows, gram, false, true), [batch, 3, 4]);
    const batched = pc.matMul(pc.transpose(mixed, [0, 2, 1]), x); // [batch, 4, 4]
    const sliced = pc.slice(x, [0, 1, 0], [-1, 2, 3]);
    const padded = pc.pad(sliced, [[0, 0], [1, 0], [0, 1]], 0.5);
    const joined = pc.concat([padded, mixed], 2); // [batch, 3, 8]
    const g = pc.gather(joined, pc.tensor([7, 0, 3], [3], 'int32'), 2); // [batch, 3, 3]
    const picked = pc.argMax(g, -1);
    const hot = pc.oneHot(picked, 3, 2, -1);
    const notOne = pc.cast(pc.notEqual(picked, 1), 'float32');
    const chosen = pc.where(pc.lessEqual(g, 0.3), pc.neg(g), pc.sqrt(pc.abs(g)));
    const flags = pc.add(pc.cast(pc.greater(g, 0.5), 'float32'), pc.sub(pc.cast(pc.less(g, 0), 'float32'), pc.cast(pc.greaterEqual(g, 1), 'float32')));
    const isTwo = pc.expandDims(pc.cast(pc.equal(picked, 2), 'float32'), -1);
    const totals = pc.broadcastTo(pc.reshape(pc.sum(x, [1, 2]), [-1, 1, 1]), [batch, 3, 3]);
    const quotient = pc.cast(pc.div(pc.cast(pc.mul(g, 10), 'int32'), 3), 'float32');
    const powered = pc.pow(pc.add(pc.abs(g), 1), 1.5);
    const logs = pc.log(pc.add(pc.exp(pc.clipByValue(g, -0.5, 0.5)), pc.add(pc.sign(g), 1)));
    const extremes = pc.add(pc.max(g, 1, true), pc.reshape(pc.min(pc.stopGradient(g), [1, 2]), [-1, 1, 1]));
    const waves = pc.add(pc.sin(g), pc.cos(pc.floor(pc.mul(g, 3))));
    const steps = pc.sub(pc.ceil(g), pc.round(pc.mul(g, 2)));
    const running = pc.add(pc.cumsum(g, 1), pc.cumsum(g, -1, true, true));
    const summary = pc.reshape(pc.minimum(pc.maximum(pc.sum(batched, 1), -3), 3), [batch, 1, 4]);
    const products = pc.prod(pc.add(g, 1), -1, true); // [batch, 3, 1]
    const best = pc.topk(g, 2);
    const ranked = pc.add(pc.sum(best.values, -1, true), pc.cast(pc.sum(best.indices, -1, true), 'float32')); // [batch, 3, 1]
    const picks = pc.expandDims(pc.transpose(pc.gatherND(pc.transpose(g, [1, 2, 0]), pc.tensor([0, 2, 1, 1, 2, 0], [3, 2], 'int32')), [1, 0]), -1);
    const scattered = pc.slice(pc.scatterND(pc.tensor([2, 0, 2], [3, 1], 'int32'), pc.slice(gram, [0, 0], [3, 3]), [4, 3]), [1, 0], [3, 3]);
    const images = pc.reshape(x, [batch, 3, 4, 1]);
    const resized = pc.reshape(pc.add(pc.resizeBilinear(images, [3, 3], false, true), pc.resizeNearestNeighbor(images, [3, 3], true)), [batch, 3, 3]);
    // The elementwise composites: the inverse and hyperbolic ops export as ONNX's own, the rest as their parts.
    const squashed = pc.tanh(g);
    const trigonometry = pc.add(pc.add(pc.tan(squashed), pc.atan(g)), pc.add(pc.asin(squashed), pc.acos(pc.sigmoid(g))));
    const hyperbolic = pc.add(pc.add(pc.sinh(squashed), pc.cosh(squashed)), pc.add(pc.asinh(g), pc.add(pc.acosh(pc.add(pc.abs(g), 1)), pc.atanh(pc.mul(squashed, 0.5)))));
    const composites = pc.add(pc.add(pc.expm1(squashed), pc.elu(g)), pc.add(pc.selu(g), pc.add(pc.relu6(g), pc.leakyRelu(g, 0.1))));
    const safe = pc.add(pc.add(pc.rsqrt(pc.add(pc.abs(g), 1)), pc.divNoNan(g, pc.step(g))), pc.add(pc.squaredDifference(g, 0.5), pc.logSigmoid(g)));
    // tfjs's array composites export as their parts (slices, pads, gathers, reductions).
    const arrays = pc.add(pc.add(pc.logSumExp(g, -1, true), pc.cumprod(pc.add(pc.mul(g, 0.1), 1), 1)), pc.add(pc.norm(g, 1, -1, true), pc.stridedSlice(g, [0, 2, 0], [0, -4, 3], [1, -1, 1], 1, 1)));
    const parts = [
      hot, chosen, flags, totals, quotient, powered, logs, pc.expandDims(notOne, -1), isTwo, pc.broadcastTo(extremes, [batch, 3, 3]), waves, steps, running,
      products, ranked, picks, scattered, resized, trigonometry, hyperbolic, composites, safe,
      arrays,
    ];
    const combined = parts.reduce((a, b) => pc.add(a, b));
    const soft = pc.logSoftmax(combined);
    return pc.concat([soft, pc.square(pc.slice(summary, [0, 0, 1], [-1, -1, 3]))], 1);
  }
}

/** EveryOpLayer, flattened (a Flatten reshape that keeps the batch), then a Dense layer. */
export function everyOpModel(): pc.Model {
  return new pc.Sequential([new EveryOpLayer({ inputShape: [3, 4] }), new pc.Flatten(), new pc.Dense(5)]);
}

/** The largest differences seen per backend, printed after a suite (the numbers the report quotes). */
export class DifferenceLog {
  readonly #worst = new Map<string, { runtime: number; imported: number }>();
  constructor(readonly title: string) {}

  record(backend: string, runtime: number, imported: number): void {
    const w = this.#worst.get(backend) ?? { runtime: 0, imported: 0 };
    this.#worst.set(backend, { runtime: Math.max(w.runtime, runtime), imported: Math.max(w.imported, imported) });
  }

  print(): void {
    for (const [backend, { runtime, imported }] of this.#worst) {
      console.log(`${this.title} on ${backend}: max |difference| to predict (relative where |value| > 1): onnxruntime ${runtime.toExponential(2)}, imported ${imported.toExponential(2)}`);
    }
  }
}
