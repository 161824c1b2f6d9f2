import { tidy } from '../engine/memory.js';
import type { Model } from '../models/model.js';
import { tensor } from '../ops/convert.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import type { DecodedWeight } from './weights-codec.js';

/**
 * Assigns decoded weights to the model (and its optimizer's state) after checking every one
 * against the variable it replaces, so a mismatch in the model weights leaves the model exactly
 * as it was.
 *
 * Optimizer state that does not fit the model's optimizer (the file comes from a model trained
 * with Adam, this one is compiled with SGD) is skipped with a warning, and the model weights are
 * still loaded: they are what the caller asked for, and the optimizer builds its own state as it
 * trains. Keras 3 does the same (`BaseOptimizer.load_own_variables`).
 */
export function applyWeights(model: Model, decoded: Record<string, DecodedWeight[]>, file: string): void {
  const variables = model.weights;
  const saved = decoded['model'] ?? [];
  if (saved.length !== variables.length) {
    throw new Error(`load: '${file}' holds ${saved.length} weights but model '${model.name}' has ${variables.length}${variables.length === 0 ? ' (build it first: call it on data once)' : ''}`);
  }
  variables.forEach((v, i) => {
    if (!fits(v, saved[i]!)) throw new Error(`load: weight '${v.name}' is ${describe(v)} but '${file}' has ${describe(saved[i]!.entry)} (saved as '${saved[i]!.entry.name}')`);
  });

  const slots = decoded['optimizer'] ?? [];
  const optimizer = model.optimizer && slots.length > 0 && takesState(model.optimizer, model, slots, file) ? model.optimizer : null;

  const toTensor = ({ entry, values }: DecodedWeight): Tensor => tensor(values, entry.shape, entry.dtype);
  tidy(() => {
    variables.forEach((v, i) => v.assign(toTensor(saved[i]!)));
    optimizer?.setWeights(slots.map(toTensor));
  });
}

/** Whether the saved optimizer state fits `optimizer`; when it does not, a warning says why it is skipped. */
function takesState(optimizer: Optimizer, model: Model, slots: readonly DecodedWeight[], file: string): boolean {
  // Its state exists only for variables it has updated or built; the file holds all of them.
  optimizer.build(model.trainableWeights);
  const current = optimizer.getWeights();
  try {
    const problem = stateMismatch(optimizer.name, current, slots);
    if (problem) console.warn(`load: skipping the optimizer state in '${file}': it holds ${slots.length} weights but ${problem}; the model weights are loaded and ${optimizer.name} keeps its own state`);
    return problem === null;
  } finally {
    for (const t of current) t.dispose();
  }
}

/** How the optimizer's current state differs from the saved one, or null when they fit. */
function stateMismatch(optimizerName: string, current: readonly Tensor[], slots: readonly DecodedWeight[]): string | null {
  if (current.length !== slots.length) return `${optimizerName} has ${current.length}`;
  const i = current.findIndex((t, j) => !fits(t, slots[j]!));
  return i < 0 ? null : `${optimizerName} needs ${describe(current[i]!)} for '${slots[i]!.entry.name}', not ${describe(slots[i]!.entry)}`;
}

function fits(target: Tensor, saved: DecodedWeight): boolean {
  return shapesEqual(target.shape, saved.entry.shape) && target.dtype === saved.entry.dtype;
}

function describe({ dtype, shape }: { dtype: string; shape: readonly number[] }): string {
  return `${dtype} ${formatShape(shape)}`;
}
