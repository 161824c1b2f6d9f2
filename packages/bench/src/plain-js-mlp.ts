/**
 * The reference of issue 7's "plain hand-written JS loop": the benchmark's MLPs trained with no
 * framework at all, in plain loops over typed arrays — forward, backward and Adam written out
 * the way a careful person writes them by hand (i-k-j loop order, no SIMD, no skipping of zeros,
 * no fusion beyond softmax with its cross-entropy). What a framework adds on top of this is the
 * price of its generality.
 *
 * Layers are dense, relu on every one but the last, softmax on the last, as the lab's model;
 * weights start random normal (stddev 0.05) from a seeded generator, biases at zero; the loss is
 * sparse categorical cross-entropy, and Adam follows Keras's formula (see `adamStep`).
 */
import { RandomGenerator } from '@perceptron/core';

export type FloatArray = Float32Array | Float64Array;

export interface PlainMlpConfig {
  inputs: number;
  /** Units of each dense layer. */
  units: readonly number[];
  learningRate: number;
  /** Rows of the largest batch the buffers must hold. */
  maxBatch: number;
  seed: number;
  /** Float32Array as benchmarked; Float64Array for gradient checks. */
  float?: Float32ArrayConstructor | Float64ArrayConstructor;
}

/** Keras's Adam defaults, and its clip of probabilities before the log. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;
const INIT_STDDEV = 0.05;

export interface BatchResult {
  /** Sum over the batch's rows of −log p(label). */
  lossSum: number;
  /** Rows whose largest probability is at their label. */
  correct: number;
}

/** out[m×n] = a[m×k] · b[k×n], i-k-j order: the inner loop walks a row of b and a row of out. */
export function matMulPlain(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      for (let j = 0; j < n; j++) out[i * n + j] += aip * b[p * n + j]!;
    }
  }
}

/** out[m×n] = aᵀ · b with a stored [k×m] (weight gradients: inputᵀ · delta), p-i-j order for the same reason. */
export function matMulTransposeA(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i]!;
      for (let j = 0; j < n; j++) out[i * n + j] += api * b[p * n + j]!;
    }
  }
}

/** out[m×n] = a · bᵀ with b stored [n×k] (deltas back through a layer: delta · Wᵀ), one dot product of two rows per element. */
export function matMulTransposeB(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[j * k + p]!;
      out[i * n + j] = sum;
    }
  }
}

export class PlainMlp {
  /** Layer l's weights, [fanIn × units] row-major, and biases. */
  readonly weights: FloatArray[] = [];
  readonly biases: FloatArray[] = [];
  /** Gradients of the last `gradients` call, shaped as the parameters. */
  readonly weightGrads: FloatArray[] = [];
  readonly biasGrads: FloatArray[] = [];
  readonly #config: Required<PlainMlpConfig>;
  /** Adam's first and second moments, one array per parameter array (weights of each layer, then biases). */
  readonly #m: FloatArray[] = [];
  readonly #v: FloatArray[] = [];
  #step = 0;
  /** Outputs of each layer after its activation, [maxBatch × units]; the last holds probabilities. */
  readonly #outputs: FloatArray[] = [];
  /** dLoss/d(pre-activation) of each layer, [maxBatch × units]. */
  readonly #deltas: FloatArray[] = [];
  readonly #batchX: FloatArray;
  readonly #batchY: Int32Array;

  constructor(config: PlainMlpConfig) {
    this.#config = { ...config, float: config.float ?? Float32Array };
    const { inputs, units, maxBatch, float, seed } = this.#config;
    const generator = new RandomGenerator(seed);
    let fanIn = inputs;
    for (const n of units) {
      const w = new float(fanIn * n);
      for (let i = 0; i < w.length; i++) w[i] = INIT_STDDEV * generator.nextNormal();
      this.weights.push(w);
      this.biases.push(new float(n));
      this.weightGrads.push(new float(fanIn * n));
      this.biasGrads.push(new float(n));
      this.#outputs.push(new float(maxBatch * n));
      this.#deltas.push(new float(maxBatch * n));
      fanIn = n;
    }
    for (const p of [...this.weights, ...this.biases]) {
      this.#m.push(new float(p.length));
      this.#v.push(new float(p.length));
    }
    this.#batchX = new float(maxBatch * inputs);
    this.#batchY = new Int32Array(maxBatch);
  }

  /** Class probabilities of `rows` rows of `x`, [rows × classes] (a view of an internal buffer). */
  forward(x: FloatArray, rows: number): FloatArray {
    this.#checkRows('forward', rows);
    const { inputs, units } = this.#config;
    let input = x;
    let fanIn = inputs;
    for (let l = 0; l < units.length; l++) {
      const n = units[l]!;
      const out = this.#outputs[l]!;
      const b = this.biases[l]!;
      matMulPlain(input, this.weights[l]!, out, rows, fanIn, n);
      const last = l === units.length - 1;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < n; j++) out[r * n + j] += b[j]!;
        if (last) softmaxRow(out, r * n, n);
        else for (let j = 0; j < n; j++) if (out[r * n + j]! < 0) out[r * n + j] = 0;
      }
      input = out;
      fanIn = n;
    }
    return this.#outputs[units.length - 1]!.subarray(0, rows * units[units.length - 1]!);
  }

  /** Loss and accuracy counts of one batch, without gradients. */
  evaluate(x: FloatArray, y: Int32Array, rows: number): BatchResult {
    return scoreRows(this.forward(x, rows), y, rows, this.#classes);
  }

  /**
   * Forward and backward over one batch: fills weightGrads and biasGrads with the gradient of the
   * batch's mean loss. Softmax and cross-entropy are differentiated together, as Keras does:
   * d(mean loss)/d(logits) = (p − onehot(label)) / rows.
   */
  gradients(x: FloatArray, y: Int32Array, rows: number): BatchResult {
    const result = this.evaluate(x, y, rows);
    const { inputs, units } = this.#config;
    const L = units.length;
    const classes = this.#classes;
    const probabilities = this.#outputs[L - 1]!;
    const top = this.#deltas[L - 1]!;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < classes; j++) top[r * classes + j] = probabilities[r * classes + j]! / rows;
      top[r * classes + y[r]!] -= 1 / rows;
    }
    for (let l = L - 1; l >= 0; l--) {
      const n = units[l]!;
      const fanIn = l === 0 ? inputs : units[l - 1]!;
      const input = l === 0 ? x : this.#outputs[l - 1]!;
      const delta = this.#deltas[l]!;
      matMulTransposeA(input, delta, this.weightGrads[l]!, fanIn, rows, n);
      const db = this.biasGrads[l]!;
      db.fill(0);
      for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) db[j] += delta[r * n + j]!;
      if (l === 0) break; // nothing needs the gradient of the input images
      // Back through the weights, then through the previous layer's relu (its output is 0 where it cut).
      const below = this.#deltas[l - 1]!;
      matMulTransposeB(delta, this.weights[l]!, below, rows, n, fanIn);
      for (let i = 0; i < rows * fanIn; i++) if (input[i]! <= 0) below[i] = 0;
    }
    return result;
  }

  /**
   * One Adam update from the last gradients, Keras's formula: with t the 1-based step and
   * α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ): m += (g − m)(1 − β₁), v += (g² − v)(1 − β₂), θ −= α·m/(√v + ε).
   */
  adamStep(): void {
    this.#step++;
    const t = this.#step;
    const alpha = (this.#config.learningRate * Math.sqrt(1 - BETA2 ** t)) / (1 - BETA1 ** t);
    const params = [...this.weights, ...this.biases];
    const grads = [...this.weightGrads, ...this.biasGrads];
    for (let a = 0; a < params.length; a++) {
      const theta = params[a]!;
      const g = grads[a]!;
      const m = this.#m[a]!;
      const v = this.#v[a]!;
      for (let i = 0; i < theta.length; i++) {
        m[i] += (g[i]! - m[i]!) * (1 - BETA1);
        v[i] += (g[i]! * g[i]! - v[i]!) * (1 - BETA2);
        theta[i] -= (alpha * m[i]!) / (Math.sqrt(v[i]!) + EPSILON);
      }
    }
  }

  /**
   * One epoch over `count` rows of x (count × inputs) in the given row order, batches of
   * `batchSize` (the last one shorter): copy the batch's rows, gradients, Adam. Returns the
   * epoch's running loss (mean over rows) and accuracy, as Keras's `fit` logs them.
   */
  trainEpoch(x: FloatArray, y: Int32Array, order: Int32Array, batchSize: number, onBatchEnd?: () => void): { loss: number; accuracy: number } {
    const { inputs } = this.#config;
    const count = order.length;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r]!;
        this.#batchX.set(x.subarray(row * inputs, (row + 1) * inputs), r * inputs);
        this.#batchY[r] = y[row]!;
      }
      const result = this.gradients(this.#batchX, this.#batchY, rows);
      this.adamStep();
      lossSum += result.lossSum;
      correct += result.correct;
      onBatchEnd?.();
    }
    return { loss: lossSum / count, accuracy: correct / count };
  }

  get #classes(): number {
    return this.#config.units[this.#config.units.length - 1]!;
  }

  #checkRows(caller: string, rows: number): void {
    if (!Number.isInteger(rows) || rows <= 0 || rows > this.#config.maxBatch) {
      throw new Error(`PlainMlp.${caller}: expected 1 to ${this.#config.maxBatch} rows (maxBatch), got ${rows}`);
    }
  }
}

/** Softmax of out[start .. start+n) in place, shifted by the row's maximum so exp cannot overflow. */
function softmaxRow(out: FloatArray, start: number, n: number): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, out[start + j]!);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    out[start + j] = Math.exp(out[start + j]! - max);
    sum += out[start + j]!;
  }
  for (let j = 0; j < n; j++) out[start + j] /= sum;
}

/** Cross-entropy sum (probabilities clipped at ε before the log, as Keras) and correct predictions. */
function scoreRows(probabilities: FloatArray, y: Int32Array, rows: number, classes: number): BatchResult {
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (probabilities[r * classes + j]! > probabilities[r * classes + best]!) best = j;
    if (best === y[r]) correct++;
    lossSum -= Math.log(Math.max(probabilities[r * classes + y[r]!]!, EPSILON));
  }
  return { lossSum, correct };
}
