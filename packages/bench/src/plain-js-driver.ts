/**
 * The hand-written reference (plain-js-mlp.ts) behind the same interface as the frameworks: no
 * tensors and no backend, typed arrays in and out. Training shuffles every epoch the way core's
 * `fit` does (Fisher–Yates from core's RandomGenerator, same batch boundaries); the orders are
 * not the same as Perceptron's, whose generator also draws its weight initialisation.
 */
import { RandomGenerator } from '@perceptron/core';
import type { Driver, Images, MatMulShape, PreparedOp, Predictor, Trainer } from './driver.js';
import { operandShapes, operandValues } from './operands.js';
import { PlainMlp, matMulPlain, matMulTransposeA, matMulTransposeB } from './plain-js-mlp.js';
import { PREDICT_BATCH, sampleSize, type MlpSpec, type ModelSpec } from './workloads.js';

/** The backend column of plain-js rows: there is no backend, only typed arrays. */
export const PLAIN_BACKEND = 'Float32Array';

const INIT_SEED = 1;
const SHUFFLE_SEED = 2;

/** Why the loop cannot train `spec`: it is written out for Dense layers only (an LSTM's backward pass through time is another program). */
export function plainJsCannotBuild(spec: ModelSpec): string | null {
  return spec.kind === 'mlp' ? null : `the plain JS loop is written for MLPs only and has no ${spec.kind.toUpperCase()}`;
}

function mlpOf(spec: ModelSpec): MlpSpec {
  if (spec.kind !== 'mlp') throw new Error(`PlainJsDriver: ${plainJsCannotBuild(spec)} (${spec.name})`);
  return spec;
}

function buildMlp(spec: MlpSpec, maxBatch: number): PlainMlp {
  return new PlainMlp({ inputs: sampleSize(spec), units: spec.units, learningRate: spec.learningRate, maxBatch, seed: INIT_SEED });
}

export class PlainJsDriver implements Driver {
  readonly stack = 'plain-js' as const;
  readonly backend = PLAIN_BACKEND;

  async activate(): Promise<void> {
    // Nothing to switch: the loops run on the JS engine itself.
  }

  cannotBuild(spec: ModelSpec): string | null {
    return plainJsCannotBuild(spec);
  }

  async trainer(model: ModelSpec, train: Images): Promise<Trainer> {
    const spec = mlpOf(model);
    const mlp = buildMlp(spec, spec.batchSize);
    const shuffle = new RandomGenerator(SHUFFLE_SEED);
    return {
      async fit(epochs, hooks) {
        for (let epoch = 0; epoch < epochs; epoch++) {
          hooks.onEpochBegin(epoch);
          const { loss, accuracy } = mlp.trainEpoch(train.x, train.y, shuffle.permutation(train.count), spec.batchSize, () => hooks.onBatchEnd());
          hooks.onEpochEnd(epoch, loss, accuracy);
        }
      },
      dispose() {},
    };
  }

  async predictor(model: ModelSpec, test: Images): Promise<Predictor> {
    const spec = mlpOf(model);
    const mlp = buildMlp(spec, PREDICT_BATCH);
    const classes = spec.units[spec.units.length - 1]!;
    const probabilities = new Float32Array(test.count * classes);
    return {
      model: null,
      async run() {
        for (let start = 0; start < test.count; start += PREDICT_BATCH) {
          const rows = Math.min(PREDICT_BATCH, test.count - start);
          const batch = test.x.subarray(start * test.features, (start + rows) * test.features);
          probabilities.set(mlp.forward(batch, rows), start * classes);
        }
      },
      dispose() {},
    };
  }

  smallAdd(): PreparedOp {
    const a = operandValues(4, 1);
    const b = operandValues(4, 2);
    return {
      run() {
        const sum = new Float32Array(4);
        for (let i = 0; i < 4; i++) sum[i] = a[i]! + b[i]!;
        return sum;
      },
      dispose() {},
    };
  }

  matMul(shape: MatMulShape): PreparedOp {
    const { m, k, n, transposeA, transposeB } = shape;
    if (transposeA && transposeB) throw new Error(`PlainJsDriver.matMul: expected at most one transposed operand, got ${JSON.stringify(shape)}`);
    const [aShape, bShape] = operandShapes(shape);
    const a = operandValues(aShape[0] * aShape[1], 3);
    const b = operandValues(bShape[0] * bShape[1], 4);
    const multiply = transposeA ? matMulTransposeA : transposeB ? matMulTransposeB : matMulPlain;
    return {
      // A new output each call, as the frameworks' results are.
      run: () => multiply(a, b, new Float32Array(m * n), m, k, n),
      dispose() {},
    };
  }
}
