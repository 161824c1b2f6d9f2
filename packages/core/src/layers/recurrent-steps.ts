import { add, mul, sub } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The equations of one recurrent step, shared by the layers (SimpleRNN, LSTM, GRU) and their
 * cells (SimpleRNNCell, LSTMCell, GRUCell), so both compute the same ops in the same order. Each
 * takes `x`, this timestep's input share (x_t·kernel + input bias, [batch, gates·units]), and `h`,
 * the previous output as the recurrent kernel reads it, undefined where it is zero (a layer's
 * first step from zeros drops the terms zeros would cancel).
 */
export interface StepWeights {
  readonly units: number;
  /** [units, gates·units], the gates side by side in Keras's order. */
  readonly recurrentKernel: Tensor;
  /** The candidate's (and an LSTM carry's) activation. */
  activate(x: Tensor): Tensor;
}

/** An LSTM's or GRU's: they add the gates' activation (recurrentActivation), how far each gate opens. */
export interface GatedStepWeights extends StepWeights {
  activateGate(x: Tensor): Tensor;
}

/** Gate `index`'s `units` channels of a [..., gates·units] tensor (a ConvLSTM's are images). */
export function gateColumns(z: Tensor, index: number, units: number): Tensor {
  const leading = z.shape.slice(0, -1);
  return slice(z, [...leading.map(() => 0), index * units], [...leading.map(() => -1), units]);
}

/** x + h·recurrentKernel (or x alone where h is 0). */
function withRecurrent(w: StepWeights, x: Tensor, h: Tensor | undefined): Tensor {
  return h ? add(x, matMul(h, w.recurrentKernel)) : x;
}

/** SimpleRNN: [h_t] = [act(x + h·U)]. */
export function simpleRNNStep(w: StepWeights, x: Tensor, h: Tensor | undefined): Tensor[] {
  return [w.activate(withRecurrent(w, x, h))];
}

/**
 * LSTM, gates i, f, c, o: c_t = σ(z_f)·c + σ(z_i)·act(z_c), h_t = σ(z_o)·act(c_t), returned as
 * [h_t, c_t]; `carry` undefined where it is zero.
 */
export function lstmStep(w: GatedStepWeights, x: Tensor, carry: Tensor | undefined, h: Tensor | undefined): Tensor[] {
  const z = withRecurrent(w, x, h);
  const gate = (index: number) => gateColumns(z, index, w.units);
  const written = mul(w.activateGate(gate(0)), w.activate(gate(2)));
  const next = carry ? add(mul(w.activateGate(gate(1)), carry), written) : written;
  return [mul(w.activateGate(gate(3)), w.activate(next)), next];
}

/** The GRU's bias as its two uses read it: added to x·kernel, and (resetAfter) to h·U. */
export interface GRUBias {
  input: Tensor | null;
  recurrent: Tensor | null;
}

/** Splits a GRU bias: resetAfter's [2, 3·units] into its rows, else [3·units] all on the input. */
export function gruBias(bias: Tensor | null, resetAfter: boolean): GRUBias {
  if (!bias || !resetAfter) return { input: bias, recurrent: null };
  return { input: reshape(slice(bias, [0, 0], [1, -1]), [-1]), recurrent: slice(bias, [1, 0], [1, -1]) };
}

/**
 * GRU, gates z, r, h: z = σ(x_z + h·U_z), r = σ(x_r + h·U_r), the candidate
 * ĥ = act(x_h + r·(h·U_h + b'_h)) (resetAfter, b' the recurrent bias, also added to the z and r
 * products) or act(x_h + (r·h)·U_h); [h_t] = [z·h + (1 − z)·ĥ]. `previous` is the state the
 * update reads, `h` what the recurrent kernel reads (they differ under recurrent dropout).
 */
export function gruStep(w: GatedStepWeights, resetAfter: boolean, recurrentBias: Tensor | null, x: Tensor, previous: Tensor | undefined, h: Tensor | undefined): Tensor[] {
  const { units } = w;
  const recurrent = gruRecurrentProducts(w, resetAfter, recurrentBias, h);
  const gateInput = (index: number) => (recurrent ? add(gateColumns(x, index, units), gateColumns(recurrent, index, units)) : gateColumns(x, index, units));
  const update = w.activateGate(gateInput(0));
  const reset = w.activateGate(gateInput(1));
  const resetRecurrent = resetAfter
    ? recurrent && mul(reset, gateColumns(recurrent, 2, units))
    : h && matMul(mul(reset, h), slice(w.recurrentKernel, [0, 2 * units], [-1, units]));
  const candidate = w.activate(resetRecurrent ? add(gateColumns(x, 2, units), resetRecurrent) : gateColumns(x, 2, units));
  const fresh = mul(sub(1, update), candidate);
  return [previous ? add(mul(update, previous), fresh) : fresh];
}

/**
 * h·U plus the recurrent bias (resetAfter: all three gates; otherwise z and r only, as the
 * candidate's product needs r first); where h is 0 the bias alone, or null.
 */
function gruRecurrentProducts(w: StepWeights, resetAfter: boolean, bias: Tensor | null, h: Tensor | undefined): Tensor | null {
  if (!resetAfter) return h ? matMul(h, slice(w.recurrentKernel, [0, 0], [-1, 2 * w.units])) : null;
  const product = h && matMul(h, w.recurrentKernel);
  return product && bias ? add(product, bias) : (product ?? bias);
}
