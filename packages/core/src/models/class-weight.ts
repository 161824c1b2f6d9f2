import { dispose } from '../engine/memory.js';
import { tensor } from '../ops/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { isPlainObject } from '../util/plain-object.js';
import { formatShape } from '../util/shape.js';
import type { Batch, BatchSource } from './batches.js';
import { describeTensors } from './model-input.js';

/** Keras's class_weight: a weight for each class index; classes not listed weigh 1. */
export type ClassWeight = Readonly<Record<number, number>>;

/** The weights by class, checked: keys are class indices, values finite numbers. */
function classWeightMap(caller: string, classWeight: unknown): Map<number, number> {
  if (!isPlainObject(classWeight)) {
    throw new Error(`${caller}: classWeight must be an object mapping class indices to weights ({0: 1, 1: 5}), got ${classWeight === null ? 'null' : typeof classWeight}`);
  }
  const weights = new Map<number, number>();
  for (const [key, weight] of Object.entries(classWeight)) {
    const classIndex = Number(key);
    if (!Number.isInteger(classIndex) || classIndex < 0 || String(classIndex) !== key) {
      throw new Error(`${caller}: classWeight keys must be class indices (integers >= 0), got '${key}'`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new Error(`${caller}: classWeight[${key}] must be a finite number, got ${typeof weight} ${String(weight)}`);
    }
    weights.set(classIndex, weight);
  }
  return weights;
}

/**
 * The class of each sample, as Keras reads it for class_weight: the labels themselves for
 * [batch] or [batch, 1], the argmax of each row for one-hot [batch, classes]; rounded.
 */
function classesOf(caller: string, y: Tensor): Int32Array {
  if (y.rank === 0 || y.rank > 2) {
    throw new Error(`${caller}: classWeight needs labels of shape [batch] or [batch, classes], got y ${formatShape(y.shape)}`);
  }
  const rows = y.shape[0]!;
  const columns = y.rank === 2 ? y.shape[1]! : 1;
  const values = y.dataSync();
  const classes = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    if (columns === 1) {
      classes[row] = Math.round(values[row]!);
      continue;
    }
    let best = 0;
    for (let column = 1; column < columns; column++) {
      if (values[row * columns + column]! > values[row * columns + best]!) best = column;
    }
    classes[row] = best;
  }
  return classes;
}

/**
 * `source` with each batch given sample weights from its labels' classes, as Keras's fit turns
 * class_weight into sample_weight. Batches that already carry sample weights are an error, as in
 * Keras: the two would have to be combined in a way the user did not say.
 */
export function withClassWeight(caller: string, source: BatchSource, classWeight: unknown): BatchSource {
  const weights = classWeightMap(caller, classWeight);
  return {
    steps: source.steps,
    async *batches() {
      for await (const batch of source.batches()) {
        const [x, y, sampleWeight] = batch;
        let perSample: Tensor;
        try {
          if (sampleWeight) throw new Error(`${caller}: give either classWeight or sample weights (a dataset yielding [x, y, sampleWeight]), not both`);
          // As in Keras: whose labels would weigh the samples is not said.
          if (!(y instanceof Tensor)) throw new Error(`${caller}: classWeight is supported for models of one output only, got y ${describeTensors(y)}; give sampleWeight instead`);
          const classes = classesOf(caller, y);
          perSample = tensor(Float32Array.from(classes, (c) => weights.get(c) ?? 1), [classes.length], 'float32');
        } catch (error) {
          dispose(batch);
          throw error;
        }
        yield [x, y, perSample] satisfies Batch;
      }
    },
  };
}
