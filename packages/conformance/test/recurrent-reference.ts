// The recurrent layers' float64 reference, written with plain loops from Keras 3's equations;
// shared by the tests of the recurrent layers and of the wrappers around them.
import type * as pc from '@perceptron/core';

export type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';

export interface RecurrentCase {
  kind: Kind;
  /** [batch, timesteps, features] */
  shape: [number, number, number];
  units: number;
  config: Omit<pc.GRUConfig & pc.LSTMConfig, 'units'>;
}

/** The reference's weights, row-major as the layer holds them. */
export interface Weights {
  kernel: number[];
  recurrent: number[];
  /** [gates·units], or for a resetAfter GRU [2, 3·units]: the input's row, then the recurrent product's. */
  bias: number[] | null;
}

export const GATES: Record<Kind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const ACTIVATIONS: Record<string, (v: number) => number> = { tanh: Math.tanh, relu: (v) => Math.max(v, 0), sigmoid };

/** Σ_k vector[k]·matrix[k, offset + j] for j < count (matrix row-major with `width` columns). */
function product(vector: readonly number[], matrix: readonly number[], width: number, offset: number, count: number): number[] {
  return Array.from({ length: count }, (_, j) => vector.reduce((s, v, k) => s + v * matrix[k * width + offset + j]!, 0));
}

/** What the recurrence gives: the layer's output, and its final states ([h], an LSTM's [h, c]), each [batch, units]. */
export interface RecurrentResult {
  output: number[];
  states: number[][];
}

/** Dropout masks held for a whole sequence, as the layer draws them while training: scaled 0/1, or null for none. */
export interface DropoutMasks {
  /** [batch, features]: multiplies each step's input before the kernel. */
  input: readonly number[] | null;
  /** [batch, units]: multiplies h where the recurrent kernel reads it; the state update reads h whole. */
  state: readonly number[] | null;
}

/**
 * The layer's output and final states for `x` in float64, one sample and one step at a time,
 * from zeros or from `initialStates` ([h] or [h, c], each [batch, units], as the layer takes them),
 * with `masks` as a training call's dropout draws them.
 */
export function recurrentReference(
  c: RecurrentCase, x: readonly number[], w: Weights, initialStates: readonly (readonly number[])[] = [], masks: DropoutMasks = { input: null, state: null },
): RecurrentResult {
  const [batch, timesteps, features] = c.shape;
  const u = c.units;
  const width = GATES[c.kind] * u;
  const act = ACTIVATIONS[c.config.activation ?? 'tanh']!;
  const gate = ACTIVATIONS[c.config.recurrentActivation ?? 'sigmoid']!;
  const resetAfter = c.config.resetAfter ?? true;
  const twoBiases = c.kind === 'GRU' && resetAfter && w.bias !== null;
  const inputBias = w.bias ? w.bias.slice(0, width) : new Array<number>(width).fill(0);
  const recurrentBias = twoBiases ? w.bias!.slice(width) : new Array<number>(width).fill(0);
  const output: number[] = [];
  const finalH: number[] = [];
  const finalCarry: number[] = [];
  const initial = (k: number, b: number) => initialStates[k]?.slice(b * u, (b + 1) * u) ?? new Array<number>(u).fill(0);
  for (let b = 0; b < batch; b++) {
    let h = initial(0, b);
    let carry = initial(1, b);
    const sequence: number[][] = [];
    for (let s = 0; s < timesteps; s++) {
      const t = c.config.goBackwards ? timesteps - 1 - s : s;
      const xt = x.slice((b * timesteps + t) * features, (b * timesteps + t + 1) * features).map((v, k) => v * (masks.input?.[b * features + k] ?? 1));
      const seen = h.map((v, j) => v * (masks.state?.[b * u + j] ?? 1));
      const xp = product(xt, w.kernel, width, 0, width).map((v, j) => v + inputBias[j]!);
      const hp = product(seen, w.recurrent, width, 0, width).map((v, j) => v + recurrentBias[j]!);
      const block = (values: number[], k: number) => values.slice(k * u, (k + 1) * u);
      if (c.kind === 'SimpleRNN') {
        h = xp.map((v, j) => act(v + hp[j]!));
      } else if (c.kind === 'LSTM') {
        const z = xp.map((v, j) => v + hp[j]!);
        const [i, f, g, o] = [0, 1, 2, 3].map((k) => block(z, k));
        carry = carry.map((cv, j) => gate(f![j]!) * cv + gate(i![j]!) * act(g![j]!));
        h = carry.map((cv, j) => gate(o![j]!) * act(cv));
      } else {
        const z = block(xp, 0).map((v, j) => gate(v + block(hp, 0)[j]!));
        const r = block(xp, 1).map((v, j) => gate(v + block(hp, 1)[j]!));
        const recurrentCandidate = resetAfter
          ? block(hp, 2).map((v, j) => r[j]! * v)
          : product(seen.map((v, j) => r[j]! * v), w.recurrent, width, 2 * u, u);
        const candidate = block(xp, 2).map((v, j) => act(v + recurrentCandidate[j]!));
        h = h.map((v, j) => z[j]! * v + (1 - z[j]!) * candidate[j]!);
      }
      sequence.push(h);
    }
    output.push(...(c.config.returnSequences ? sequence.flat() : h));
    finalH.push(...h);
    finalCarry.push(...carry);
  }
  return { output, states: c.kind === 'LSTM' ? [finalH, finalCarry] : [finalH] };
}
