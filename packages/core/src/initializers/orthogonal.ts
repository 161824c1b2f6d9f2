import { checkOptions } from '../util/options.js';
import { checkFloat, Initializer, type InitializerConfig } from './initializer.js';
import type { SeedConfig } from './random.js';
import { tensor } from '../ops/convert.js';
import { randomNormal } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { formatShape } from '../util/shape.js';

/**
 * Keras's Orthogonal initializer, the recurrent layers' default for their recurrent kernel: an
 * orthogonal recurrent matrix neither blows up nor shrinks the state it multiplies at every step.
 * The weight, seen as a matrix [product of all dimensions but the last, last], gets orthonormal
 * columns (or rows, when it is wide): the Q of the QR decomposition of a standard normal draw,
 * with R's diagonal made positive as Keras does, times `gain`.
 */
export class Orthogonal extends Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | undefined;

  constructor(given: { gain?: number } & SeedConfig = {}) {
    super();
    const config = checkOptions('Orthogonal', given, { gain: true, seed: true });
    this.gain = config.gain ?? 1;
    this.seed = config.seed ?? undefined;
    if (typeof this.gain !== 'number' || !Number.isFinite(this.gain)) throw new Error(`Orthogonal: gain must be a finite number, got ${JSON.stringify(config.gain)}`);
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    checkFloat(this.className, dtype);
    if (shape.length < 2) throw new Error(`Orthogonal: expected a shape of rank >= 2, got ${formatShape(shape)}`);
    const rows = shape.slice(0, -1).reduce((a, d) => a * d, 1);
    const cols = shape[shape.length - 1]!;
    const [tall, narrow] = [Math.max(rows, cols), Math.min(rows, cols)];
    const draw = randomNormal([tall, narrow], 0, 1, 'float32', this.seed);
    const q = orthonormalColumns(draw.dataSync(), tall, narrow);
    draw.dispose();
    const values = new Float32Array(rows * cols);
    // q is tall × narrow; a wide weight takes its transpose.
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) values[r * cols + c] = this.gain * (rows >= cols ? q[r * narrow + c]! : q[c * narrow + r]!);
    }
    return tensor(values, [...shape]);
  }

  override getConfig(): InitializerConfig {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/**
 * The Q of a QR decomposition of the row-major `rows` × `cols` matrix `a` (rows >= cols) with a
 * positive diagonal in R, by modified Gram–Schmidt in float64, each column orthogonalised twice
 * ("twice is enough") so Q stays orthonormal to rounding even when columns are nearly dependent.
 */
function orthonormalColumns(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += q[r * cols + k]! * q[r * cols + j]!;
        for (let r = 0; r < rows; r++) q[r * cols + j]! -= dot * q[r * cols + k]!;
      }
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += q[r * cols + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < rows; r++) q[r * cols + j]! /= norm;
  }
  return q;
}
