import type { Variable } from '@perceptron/core';
import { onnx, ONNX_TYPE, type AttributeProto } from '../proto.js';
import { attr, type GraphBuilder } from './graph-builder.js';
import type { OpMapping } from './op-mappings.js';
import type { RecurrentLayerAttrs, RecurrentOutputAttrs } from './recurrent-layer-calls.js';

// The recurrent layers' calls recurrent-layer-calls.ts traces as one op each, as one ONNX LSTM,
// GRU or RNN over [seq, batch, features] (layout 0: onnxruntime runs no other for these ops),
// and the values the calls returned taken from its outputs Y [seq, directions, batch, units],
// Y_h and Y_c [directions, batch, units].

/** Keras's gate blocks (LSTM i, f, c, o; GRU z, r, h) in ONNX's order (LSTM i, o, f, c; GRU z, r, h). */
const KERAS_GATES: Readonly<Record<RecurrentLayerAttrs['cell'], readonly number[]>> = { LSTM: [0, 3, 1, 2], GRU: [0, 1, 2], RNN: [0] };

const INT64_MIN = -(2n ** 63n);

/**
 * A Keras kernel [rows, gates·units] (x·kernel) as ONNX's W or R [1, gates·units, rows]
 * (x·Wᵀ): transposed, its gate blocks in ONNX's order.
 */
function gateRows(kernel: Float32Array, rows: number, units: number, gates: readonly number[]): Float32Array {
  const width = gates.length * units;
  const out = new Float32Array(width * rows);
  gates.forEach((keras, g) => {
    for (let u = 0; u < units; u++) {
      for (let r = 0; r < rows; r++) out[(g * units + u) * rows + r] = kernel[r * width + keras * units + u]!;
    }
  });
  return out;
}

/** A bias [gates·units] with its gate blocks in ONNX's order. */
const gateBias = (bias: Float32Array, units: number, gates: readonly number[]) => gateRows(bias, 1, units, gates);

/**
 * ONNX's B [1, 2·gates·units]: Wb, the bias added to x·W, then Rb, added to h·R. Keras adds its
 * bias to x·kernel, except a GRU with resetAfter, whose bias [2, 3·units] holds a row for each
 * (the second inside the reset gate's product, as linear_before_reset 1 adds Rbh).
 */
function onnxBias(a: RecurrentLayerAttrs, bias: Float32Array): Float32Array {
  const gates = KERAS_GATES[a.cell];
  const width = gates.length * a.units;
  const [input, recurrent] = a.resetAfter ? [bias.subarray(0, width), bias.subarray(width)] : [bias, new Float32Array(width)];
  const out = new Float32Array(2 * width);
  out.set(gateBias(input, a.units, gates), 0);
  out.set(gateBias(recurrent, a.units, gates), width);
  return out;
}

const { AttributeType } = onnx.AttributeProto;

/** The activations of each direction, and the alphas and betas of those that take them, in order (as ONNX consumes them). */
function activationAttributes(a: RecurrentLayerAttrs): AttributeProto[] {
  const activations = a.directions.flatMap((d) => d.activations);
  const alphas = activations.flatMap((f) => (f.alpha === undefined ? [] : [f.alpha]));
  const betas = activations.flatMap((f) => (f.beta === undefined ? [] : [f.beta]));
  return [
    { name: 'activations', type: AttributeType.STRINGS, strings: activations.map((f) => new TextEncoder().encode(f.name)) },
    ...(alphas.length > 0 ? [{ name: 'activation_alpha', type: AttributeType.FLOATS, floats: alphas }] : []),
    ...(betas.length > 0 ? [{ name: 'activation_beta', type: AttributeType.FLOATS, floats: betas }] : []),
  ];
}

/** Each direction's arrays one after the other: ONNX stacks its weights by direction on axis 0. */
function stacked(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out;
}

/**
 * recurrentLayer as ONNX LSTM, GRU or RNN: the sequence transposed to [seq, batch, features];
 * W, R and B initializers made from each direction's kernels at export (transposed, gates
 * reordered, stacked by direction); the initial states given as initial_h / initial_c
 * [directions, batch, units]. One direction is 'forward' or 'reverse', two 'bidirectional'
 * (forward first, as a Bidirectional's layers). Returns Y (the node's first output;
 * recurrentOutput finds the node by it).
 */
export const recurrentLayer: OpMapping = ({ b, op, inputs, scope }) => {
  const a = op.attrs as unknown as RecurrentLayerAttrs;
  const gates = KERAS_GATES[a.cell];
  const directions = a.directions.length;
  const [features] = op.inputShapes[1]! as [number];
  const perDirection = a.hasBias ? 3 : 2;
  const values = (d: number, k: number) => (op.inputs[1 + d * perDirection + k] as { variable: Variable }).variable.dataSync() as Float32Array;
  const each = (f: (d: number) => Float32Array) => stacked(a.directions.map((_, d) => f(d)));
  const rows = gates.length * a.units;
  const w = b.initializer(`${scope}/W`, ONNX_TYPE.FLOAT, [directions, rows, features], each((d) => gateRows(values(d, 0), features, a.units, gates)));
  const r = b.initializer(`${scope}/R`, ONNX_TYPE.FLOAT, [directions, rows, a.units], each((d) => gateRows(values(d, 1), a.units, a.units, gates)));
  const bias = a.hasBias ? b.initializer(`${scope}/B`, ONNX_TYPE.FLOAT, [directions, 2 * rows], each((d) => onnxBias(a, values(d, 2)))) : '';
  // Each direction's states, [h] or [h, c], in turn: initial_h stacks the h's, initial_c the c's.
  const given = inputs.slice(1 + directions * perDirection);
  const states = Array.from({ length: a.initialStates }, (_, i) => {
    const parts = a.directions.map((_, d) => b.node('Unsqueeze', [given[d * a.initialStates + i]!, b.int64s([0], scope, 'axes')], [], scope));
    return parts.length === 1 ? parts[0]! : b.node('Concat', parts, [attr.int('axis', 0)], scope);
  });
  const x = b.node('Transpose', [inputs[0]!], [attr.ints('perm', [1, 0, 2])], scope);
  // Optional inputs left out are empty names; sequence_lens (input 4) always is.
  const nodeInputs = states.length > 0 ? [x, w, r, bias, '', ...states] : bias ? [x, w, r, bias] : [x, w, r];
  const direction = directions === 2 ? 'bidirectional' : a.directions[0]!.reverse ? 'reverse' : 'forward';
  const outputs = b.nodeWithOutputs(a.cell, nodeInputs, [
    attr.int('hidden_size', a.units),
    attr.string('direction', direction),
    ...activationAttributes(a),
    ...(a.cell === 'GRU' ? [attr.int('linear_before_reset', a.resetAfter ? 1 : 0)] : []),
  ], scope, a.cell === 'LSTM' ? 3 : 2);
  return outputs[0]!;
};

/** Direction `d` of `value` (its axis `axis` holds `directions`), without that axis. */
function ofDirection(b: GraphBuilder, value: string, axis: number, d: number, directions: number, scope: string): string {
  const picked = directions === 1 ? value : b.node('Slice', [value, b.int64s([d], scope, 'starts'), b.int64s([d + 1], scope, 'ends'), b.int64s([axis], scope, 'axes')], [], scope);
  return b.node('Squeeze', [picked, b.int64s([axis], scope, 'axes')], [], scope);
}

/**
 * recurrentOutput: direction `direction`'s Y as Keras's sequence [batch, seq, units] (a
 * backwards layer's in the order it read the steps, last step first, where ONNX keeps each at
 * its step), or its Y_h or Y_c as [batch, units].
 */
export const recurrentOutput: OpMapping = ({ b, op, inputs, scope, fail }) => {
  const node = b.nodes.find((n) => n.output![0] === inputs[0]) ?? fail(`expected the output of a recurrentLayer op, got '${inputs[0]}'`);
  const { output, reverse, direction } = op.attrs as unknown as RecurrentOutputAttrs;
  const directions = op.inputShapes[0]![1]!;
  if (output !== 'sequence') return ofDirection(b, node.output![output === 'h' ? 1 : 2]!, 0, direction, directions, scope);
  const y = ofDirection(b, inputs[0]!, 1, direction, directions, scope);
  const ordered = reverse
    ? b.node('Slice', [y, b.int64s([-1], scope, 'starts'), b.int64s([INT64_MIN], scope, 'ends'), b.int64s([0], scope, 'axes'), b.int64s([-1], scope, 'steps')], [], scope)
    : y;
  return b.node('Transpose', [ordered], [attr.ints('perm', [1, 0, 2])], scope);
};
