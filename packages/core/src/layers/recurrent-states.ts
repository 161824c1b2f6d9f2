import { formatShape } from '../util/shape.js';
import type { SymbolicShape } from './symbolic-shape.js';

/**
 * Initial states reach a recurrent layer in its inputs list, after the sequence:
 * `lstm.apply([x, h0, c0])`, as tfjs-layers and tf.keras accept them (Keras's
 * `layer(x, initial_state=[h0, c0])`). Not in kwargs: a functional model records a call's
 * inputs as the edges of its graph and saves its kwargs as JSON, so states given in the list
 * become inputs of the node (traced back to the encoder that made them, shown in the summary's
 * "Connected to", saved and reloaded with the graph) with no machinery of their own, and real
 * and symbolic tensors take the one path.
 *
 * Throws unless `states` are none (start from zeros) or one per name in `names` ([h], an LSTM's
 * [h, c]), each [batch, units] with the sequence's batch. Shapes may be symbolic (null: unknown,
 * which fits any size).
 */
export function checkInitialStates(label: string, names: readonly string[], units: number, sequence: SymbolicShape, states: readonly SymbolicShape[]): void {
  const batch = sequence[0] ?? null;
  checkStateShapes(label, names, names.map(() => [batch, units]), states, '[batch, units] = ');
}

/**
 * Throws unless `states` are none or one per name, each of the shape `expected` gives it (null:
 * any size); `described` tells what the shape is, ahead of it in the message.
 */
export function checkStateShapes(label: string, names: readonly string[], expected: readonly SymbolicShape[], states: readonly SymbolicShape[], described = ''): void {
  if (states.length !== 0 && states.length !== names.length) {
    throw new Error(`${label}: expected ${names.length} initial state${names.length === 1 ? '' : 's'} (${names.join(', ')}) after the sequence, or none, got ${states.length}`);
  }
  states.forEach((shape, i) => {
    const want = expected[i]!;
    const fits = shape.length === want.length && shape.every((d, k) => d === null || want[k] === null || d === want[k]);
    if (!fits) throw new Error(`${label}: expected initial state ${names[i]} of shape ${described}${formatDims(want)}, got ${formatDims(shape)}`);
  });
}

/** `[2,8]`, or with an unknown dimension `[-1,8] (-1: any)`. */
function formatDims(shape: SymbolicShape): string {
  return formatShape(shape.map((d) => d ?? -1)) + (shape.includes(null) ? ' (-1: any)' : '');
}
