import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';

// ONNX's recurrent ops — LSTM, GRU and RNN, as torch.onnx writes nn.LSTM / nn.GRU / nn.RNN —
// unrolled over the sequence into core ops (matMul, add, sigmoid, tanh, where, ...), so the
// imported model differentiates through time and fine-tunes with fit. Each call unrolls as many
// steps as its X has; sequence_lens becomes a mask per step.

type Activation = (x: Tensor) => Tensor;

/**
 * The activations ONNX's recurrent ops name, by lower-case name (onnxruntime's LSTM and GRU match
 * names without case), and whether each takes an alpha and a beta from activation_alpha and
 * activation_beta: absent when it takes none, its default when the list runs out (that of the
 * ONNX op of the name, as the spec says), or null where no such op gives one (Affine,
 * ScaledTanh), so the value must be given.
 */
interface ActivationKind {
  readonly alpha?: number | null;
  readonly beta?: number | null;
  make(alpha: number, beta: number): Activation;
}

const ACTIVATION_KINDS: Readonly<Record<string, ActivationKind>> = {
  relu: { make: () => pc.relu },
  tanh: { make: () => pc.tanh },
  sigmoid: { make: () => pc.sigmoid },
  affine: { alpha: null, beta: null, make: (alpha, beta) => (x) => pc.add(pc.mul(x, alpha), beta) },
  leakyrelu: { alpha: 0.01, make: (alpha) => (x) => pc.leakyRelu(x, alpha) },
  thresholdedrelu: { alpha: 1, make: (alpha) => (x) => pc.where(pc.greater(x, alpha), x, 0) },
  scaledtanh: { alpha: null, beta: null, make: (alpha, beta) => (x) => pc.mul(pc.tanh(pc.mul(x, beta)), alpha) },
  hardsigmoid: { alpha: 0.2, beta: 0.5, make: (alpha, beta) => (x) => pc.clipByValue(pc.add(pc.mul(x, alpha), beta), 0, 1) },
  // x above 0, alpha·(e^x − 1) below: relu plus ELU of the negative part, scaled.
  elu: { alpha: 1, make: (alpha) => (x) => pc.add(pc.relu(x), pc.mul(pc.elu(pc.minimum(x, 0)), alpha)) },
  softsign: { make: () => (x) => pc.div(x, pc.add(pc.abs(x), 1)) },
  softplus: { make: () => pc.softplus },
};

/** What one direction runs with: its recurrence weights, its activations (f, g, h in the spec's order) and the clip. */
interface Direction {
  /** R for this direction: [gates·hidden, hidden]. */
  readonly r: Tensor;
  /** Rb for this direction: [gates·hidden], or null when B is left out. */
  readonly rb: Tensor | null;
  /** LSTM's peepholes P[iof], each [hidden], or null when P is left out. */
  readonly peepholes: readonly Tensor[] | null;
  readonly activations: readonly Activation[];
  /** The clip applied to each activation's input (the identity without `clip`). */
  readonly clip: Activation;
}

/** One time step: from the input's part of the gates (x·Wᵀ + Wb) and the states before (h, and c for LSTM), the states after. */
type Step = (xw: Tensor, states: readonly Tensor[], d: Direction) => Tensor[];

interface Cell {
  /** Gates stacked in W's and R's rows: LSTM 4 (iofc), GRU 3 (zrh), RNN 1. */
  readonly gates: number;
  readonly defaultActivations: readonly string[];
  /** LSTM carries a cell state: initial_c is input 6, Y_c output 2, and P (input 7) its peepholes. */
  readonly hasCellState: boolean;
  step(c: NodeContext): Step;
}

/** h·weightᵀ + bias. */
const affine = (h: Tensor, weight: Tensor, bias: Tensor | null): Tensor => {
  const y = pc.matMul(h, weight, false, true);
  return bias ? pc.add(y, bias) : y;
};

/** A flag attribute, 0 or 1. */
function flag(c: NodeContext, name: string): boolean {
  const value = c.int(name, 0);
  if (value !== 0 && value !== 1) c.fail(`${name} ${value} is not supported; expected 0 or 1`);
  return value === 1;
}

const RNN: Cell = {
  gates: 1,
  defaultActivations: ['Tanh'],
  hasCellState: false,
  step: () => (xw, [h], d) => [d.activations[0]!(d.clip(pc.add(xw, affine(h!, d.r, d.rb))))],
};

const LSTM: Cell = {
  gates: 4,
  defaultActivations: ['Sigmoid', 'Tanh', 'Tanh'],
  hasCellState: true,
  step: (c) => {
    // input_forget couples the gates: the forget gate is 1 − the input gate.
    const inputForget = flag(c, 'input_forget');
    return (xw, [h, cell], d) => {
      const [f, g, act] = d.activations as [Activation, Activation, Activation];
      const [pi, po, pf] = d.peepholes ?? [];
      const peep = (x: Tensor, p: Tensor | undefined, state: Tensor) => (p ? pc.add(x, pc.mul(p, state)) : x);
      const [xi, xo, xf, xc] = pc.split(pc.add(xw, affine(h!, d.r, d.rb)), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
      const input = f(d.clip(peep(xi, pi, cell!)));
      const forget = inputForget ? pc.sub(1, input) : f(d.clip(peep(xf, pf, cell!)));
      const next = pc.add(pc.mul(forget, cell!), pc.mul(input, g(d.clip(xc))));
      const output = f(d.clip(peep(xo, po, next)));
      return [pc.mul(output, act(next)), next];
    };
  },
};

const GRU: Cell = {
  gates: 3,
  defaultActivations: ['Sigmoid', 'Tanh'],
  hasCellState: false,
  step: (c) => {
    // torch writes linear_before_reset 1: the reset gate scales h·Rhᵀ + Rbh rather than h.
    const linearBeforeReset = flag(c, 'linear_before_reset');
    return (xw, [h], d) => {
      const [f, g] = d.activations as [Activation, Activation];
      const hidden = h!.shape[1]!;
      const [xz, xr, xh] = pc.split(xw, 3, 1) as [Tensor, Tensor, Tensor];
      const gate = (x: Tensor, fromH: Tensor) => f(d.clip(pc.add(x, fromH)));
      let reset: Tensor, update: Tensor, candidate: Tensor;
      if (linearBeforeReset) {
        const [hz, hr, hh] = pc.split(affine(h!, d.r, d.rb), 3, 1) as [Tensor, Tensor, Tensor];
        [update, reset] = [gate(xz, hz), gate(xr, hr)];
        candidate = g(d.clip(pc.add(xh, pc.mul(reset, hh))));
      } else {
        const [rzr, rh] = pc.split(d.r, [2 * hidden, hidden], 0) as [Tensor, Tensor];
        const [rbzr, rbh] = d.rb ? pc.split(d.rb, [2 * hidden, hidden], 0) as [Tensor, Tensor] : [null, null];
        const [hz, hr] = pc.split(affine(h!, rzr, rbzr), 2, 1) as [Tensor, Tensor];
        [update, reset] = [gate(xz, hz), gate(xr, hr)];
        candidate = g(d.clip(pc.add(xh, affine(pc.mul(reset, h!), rh, rbh))));
      }
      return [pc.add(pc.mul(pc.sub(1, update), candidate), pc.mul(update, h!))];
    };
  },
};

const DIRECTIONS: Readonly<Record<string, readonly boolean[]>> = { forward: [false], reverse: [true], bidirectional: [false, true] };

/** The activations per direction, from `activations` (with activation_alpha / activation_beta consumed in order) or the op's defaults. */
function activationsOf(c: NodeContext, defaults: readonly string[], directions: number): Activation[][] {
  const given = c.attribute('activations')?.strings?.map((s) => new TextDecoder().decode(s));
  const names = given ?? Array.from({ length: directions }, () => defaults).flat();
  if (names.length !== defaults.length * directions) {
    c.fail(`expected ${defaults.length * directions} activations (${defaults.length} per direction, ${directions} direction${directions === 1 ? '' : 's'}), got ${names.length}: [${names.join(', ')}]`);
  }
  const alphas = [...c.attribute('activation_alpha')?.floats ?? []];
  const betas = [...c.attribute('activation_beta')?.floats ?? []];
  const take = (values: number[], fallback: number | null | undefined, which: string, name: string): number => {
    if (fallback === undefined) return 0;
    const value = values.shift() ?? fallback;
    return value ?? c.fail(`activation '${name}' needs an ${which}, but activation_${which} has too few values`);
  };
  const functions = names.map((name) => {
    const kind = ACTIVATION_KINDS[name.toLowerCase()] ?? c.fail(`activation '${name}' is not supported; expected one of Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus`);
    const alpha = take(alphas, kind.alpha, 'alpha', name);
    return kind.make(alpha, take(betas, kind.beta, 'beta', name));
  });
  return Array.from({ length: directions }, (_, d) => functions.slice(d * defaults.length, (d + 1) * defaults.length));
}

/** Input i, checked against its shape. */
function shapedInput(c: NodeContext, i: number, name: string, shape: readonly number[]): Tensor {
  const t = c.tensor(i);
  if (t.shape.join() !== shape.join()) c.fail(`expected ${name} (input ${i}) of shape ${pc.formatShape(shape)}, got ${pc.formatShape(t.shape)}`);
  return t;
}

/** Input i checked against its shape, or null when left out. */
const optionalInput = (c: NodeContext, i: number, name: string, shape: readonly number[]): Tensor | null => (c.inputs[i] === undefined ? null : shapedInput(c, i, name, shape));

/** Direction d's part of a tensor stacked by direction on axis 0, without that axis. */
function ofDirection(t: Tensor, d: number): Tensor {
  const rest = t.shape.slice(1);
  return pc.reshape(pc.slice(t, [d, ...rest.map(() => 0)], [1, ...rest]), rest);
}

/** Per time step, which batch rows are still within their sequence_lens: [batch, 1] bool; null without sequence_lens. */
function validRows(c: NodeContext, seq: number, batch: number): Tensor[] | null {
  if (c.inputs[4] === undefined) return null;
  const given = c.tensor(4);
  if (given.shape.join() !== String(batch)) c.fail(`expected sequence_lens (input 4) of shape [${batch}] (one length per batch row), got ${pc.formatShape(given.shape)}`);
  const lengths = given.dtype === 'int32' ? given : pc.cast(given, 'int32');
  return Array.from({ length: seq }, (_, t) => pc.expandDims(pc.greater(lengths, t), 1));
}

const recurrence = (cell: Cell): Interpreter => (c) => {
  const direction = c.string('direction', 'forward');
  const reverses = DIRECTIONS[direction] ?? c.fail(`direction '${direction}' is not supported; expected forward, reverse or bidirectional`);
  const layout = c.int('layout', 0);
  if (layout !== 0 && layout !== 1) c.fail(`layout ${layout} is not supported; expected 0 ([seq, batch, ...]) or 1 ([batch, seq, ...])`);
  const given = c.tensor(0);
  if (given.rank !== 3 || given.dtype !== 'float32' || given.size === 0) c.fail(`expected X (input 0) float32 of rank 3 and no empty axis, got ${given.dtype} ${pc.formatShape(given.shape)}`);
  // Computed seq-major, [seq, batch, input]; layout 1 is batch-major in and out.
  const x = layout === 1 ? pc.transpose(given, [1, 0, 2]) : given;
  const [seq, batch, features] = x.shape as [number, number, number];
  const directions = reverses.length;
  const r = c.tensor(2);
  if (r.rank !== 3) c.fail(`expected R (input 2) of rank 3 [num_directions, ${cell.gates}·hidden_size, hidden_size], got ${pc.formatShape(r.shape)}`);
  const hidden = c.int('hidden_size', r.shape[2]!);
  const rows = cell.gates * hidden;
  const w = shapedInput(c, 1, 'W', [directions, rows, features]);
  shapedInput(c, 2, 'R', [directions, rows, hidden]);
  const b = optionalInput(c, 3, 'B', [directions, 2 * rows]);
  const stateShape = layout === 1 ? [batch, directions, hidden] : [directions, batch, hidden];
  const initialStates = [5, ...(cell.hasCellState ? [6] : [])].map((i) => {
    const t = optionalInput(c, i, i === 5 ? 'initial_h' : 'initial_c', stateShape);
    return t && layout === 1 ? pc.transpose(t, [1, 0, 2]) : t;
  });
  const p = cell.hasCellState ? optionalInput(c, 7, 'P', [directions, 3 * hidden]) : null;
  let clip: Activation = (v) => v;
  if (c.has('clip')) {
    const bound = c.float('clip', 0);
    if (!(bound > 0)) c.fail(`clip ${bound} is not supported; expected a positive threshold`);
    clip = (v) => pc.clipByValue(v, -bound, bound);
  }
  const activations = activationsOf(c, cell.defaultActivations, directions);
  const step = cell.step(c);
  const valid = validRows(c, seq, batch);

  const runs = reverses.map((reverse, d) => {
    const bias = b && ofDirection(b, d);
    const [wb, rb] = bias ? pc.split(bias, 2, 0) as [Tensor, Tensor] : [null, null];
    const direction: Direction = { r: ofDirection(r, d), rb, peepholes: p && pc.split(ofDirection(p, d), 3, 0), activations: activations[d]!, clip };
    // The input's part of every gate, for all steps in one product: [seq, batch, rows].
    const xw = pc.unstack(pc.reshape(affine(pc.reshape(x, [seq * batch, features]), ofDirection(w, d), wb), [seq, batch, rows]), 0);
    let states = initialStates.map((t) => (t ? ofDirection(t, d) : pc.zeros([batch, hidden])));
    const outputs: Tensor[] = [];
    for (let k = 0; k < seq; k++) {
      const t = reverse ? seq - 1 - k : k;
      const next = step(xw[t]!, states, direction);
      // A row past its length keeps its state (so Y_h is the state at its last step) and outputs 0.
      const row = valid?.[t];
      states = row ? next.map((s, i) => pc.where(row, s, states[i]!)) : next;
      outputs[t] = row ? pc.where(row, next[0]!, 0) : next[0]!;
    }
    return { y: pc.stack(outputs, 0), states };
  });

  const y = pc.stack(runs.map((run) => run.y), 1);
  const last = (i: number) => {
    const state = pc.stack(runs.map((run) => run.states[i]!), 0);
    return layout === 1 ? pc.transpose(state, [1, 0, 2]) : state;
  };
  return [layout === 1 ? pc.transpose(y, [2, 0, 1, 3]) : y, ...initialStates.map((_, i) => last(i))];
};

export const RECURRENT_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  LSTM: recurrence(LSTM),
  GRU: recurrence(GRU),
  RNN: recurrence(RNN),
};
