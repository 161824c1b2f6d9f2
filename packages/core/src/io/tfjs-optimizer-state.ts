// TensorFlow.js saves an optimizer's state (tfjs-layers' model.save with includeOptimizer) as
// 'iter', then `<weight>/<slot>` for every trainable weight, one slot after the other (Adam's m
// of every weight, then its v). The slots are Perceptron's under other names.
import { tidy } from '../engine/memory.js';
import { scalar, tensor } from '../ops/convert.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import type { SavedWeight, WeightValues } from './tfjs-weights.js';

/** tfjs's name of each of Perceptron's slots, by optimizer class, for the optimizers whose state the two keep alike. */
const TFJS_SLOTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  SGD: {},
  Adam: { momentum: 'm', velocity: 'v' },
  RMSprop: { velocity: 'rms', momentum: 'momentum', averageGradient: 'mg' },
  Adagrad: { accumulator: 'accumulator' },
  Adadelta: { accumulatedGrad: 'accum_grad', accumulatedDelta: 'accum_var' },
};

/** A slot as tfjs saved it: the name of its weight, and its values. */
interface TfjsSlot {
  weight: string;
  saved: SavedWeight;
}

/**
 * Gives `optimizer` the iterations and slots of tfjs's saved `state`. tfjs restores a slot by its
 * position, the i-th of each kind for the i-th trainable weight, as this does: `trainable` lists
 * the model's trainable weights, each with its name in the file, in the file's order. A slot's
 * name must still be its weight's, or that name made unique (tfjs names the second model's kernel
 * in a process 'dense/kernel_1'). Returns why the state cannot serve, leaving the optimizer
 * untouched, or null once it is restored. A slot whose shape is not its weight's is an error
 * (`fail`), as a model weight's is. State Perceptron's optimizer does not keep is let go: tfjs's
 * RMSprop keeps its momentum slot when the momentum is 0.
 */
export function restoreTfjsOptimizerState(optimizer: Optimizer, trainable: readonly (readonly [Variable, string])[], state: WeightValues, fail: (problem: string) => never): string | null {
  const tfjsSlots = TFJS_SLOTS[optimizer.className];
  if (!tfjsSlots) return `Perceptron reads TensorFlow.js's state for ${Object.keys(TFJS_SLOTS).join(', ')}, not ${optimizer.className}`;
  const iterations = state.get('iter');
  if (iterations?.values.length !== 1) return "it has no 'iter' scalar";
  const byKind = new Map<string, TfjsSlot[]>();
  for (const [name, saved] of state) {
    if (name === 'iter') continue;
    const cut = name.lastIndexOf('/');
    const kind = name.slice(cut + 1);
    if (!Object.values(tfjsSlots).includes(kind)) return `${optimizer.className} has no place for '${name}'`;
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push({ weight: name.slice(0, cut), saved });
  }
  const kinds: string[] = [];
  for (const slot of optimizer.slotNames) {
    const kind = tfjsSlots[slot];
    if (kind === undefined) return `TensorFlow.js's ${optimizer.className} keeps no '${slot}' slot`;
    kinds.push(kind);
  }
  const slots: SavedWeight[] = [];
  for (const [i, [variable, fileName]] of trainable.entries()) {
    for (const kind of kinds) {
      const found = byKind.get(kind)?.[i];
      if (!found) return `it has ${byKind.get(kind)?.length ?? 0} '${kind}' slots for ${trainable.length} trainable weights`;
      if (!namesWeight(found.weight, fileName)) return `its '${kind}' slot ${i + 1}, '${found.saved.spec.name}', is not for trainable weight ${i + 1}, '${fileName}'`;
      const { spec } = found.saved;
      if (!shapesEqual(spec.shape, variable.shape) || spec.dtype !== variable.dtype) {
        fail(`has '${spec.name}' as ${spec.dtype} ${formatShape(spec.shape)}, but the rebuilt model's '${variable.name}' is ${variable.dtype} ${formatShape(variable.shape)}`);
      }
      slots.push(found.saved);
    }
  }
  optimizer.build(trainable.map(([variable]) => variable));
  tidy(() => optimizer.setWeights([scalar(iterations.values[0]!, 'int32'), ...slots.map(({ spec, values }) => tensor(values, spec.shape, spec.dtype))]));
  return null;
}

/** Whether a slot's weight name is `fileName`, or `fileName` made unique with a number. */
const namesWeight = (name: string, fileName: string): boolean =>
  name === fileName || (name.startsWith(`${fileName}_`) && /^\d+$/.test(name.slice(fileName.length + 1)));
