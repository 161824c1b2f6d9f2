import { Bidirectional, type Layer } from '@perceptron/core';
import type { RecurrentLayerAttrs, RecurrentOutputAttrs } from './recurrent-layer-calls.js';
import { sameSource } from './same-source.js';
import type { Trace, TracedOp, TracedSource } from './trace-model.js';

// A Bidirectional layer runs its forward and backward layers over the same sequence, which
// recurrent-layer-calls.ts has made one 'recurrentLayer' op each. Each pair of calls becomes one
// op of two directions (ONNX's direction 'bidirectional'), the backward layer's outputs taken
// from its second direction; where the Bidirectional flips the backward sequence back into time
// order (a gather of the steps in reverse), the flip is that direction's Y as ONNX orders it.
// The merge (concat, sum, ave, mul) stays ops. A pair whose layers differ in cell, units, bias,
// GRU reset or initial states, or whose forward layer reads backwards (a wrapped layer with
// goBackwards), keeps its two ops, which export too.

/** The indices of the 'recurrentLayer' ops the layer named `name` traced, in order. */
const callsOf = (ops: readonly TracedOp[], name: string) => ops.flatMap((op, i) => (op.name === 'recurrentLayer' && op.layerPath[op.layerPath.length - 1] === name ? [i] : []));

/** Makes the calls of each Bidirectional among `layers` (its layers' names used once) one op each in `ops`. */
export function pairBidirectionalCalls(layers: readonly Layer[], ops: TracedOp[], trace: Trace): void {
  const named = (name: string) => layers.filter((l) => l.name === name).length === 1;
  for (const layer of layers) {
    if (layer.constructor !== Bidirectional) continue;
    const { forwardLayer, backwardLayer } = layer as Bidirectional;
    if (!named(forwardLayer.name) || !named(backwardLayer.name)) continue;
    const [forwards, backwards] = [callsOf(ops, forwardLayer.name), callsOf(ops, backwardLayer.name)];
    if (forwards.length !== backwards.length) continue;
    forwards.forEach((f, k) => pair(ops, trace, f, backwards[k]!));
  }
}

/** Makes ops[f] (a forward call) and ops[b] (the backward call after it) one op at f, when they can be. */
function pair(ops: TracedOp[], trace: Trace, f: number, b: number): void {
  const [forward, backward] = [ops[f]!, ops[b]!];
  const [fa, ba] = [forward.attrs as unknown as RecurrentLayerAttrs, backward.attrs as unknown as RecurrentLayerAttrs];
  const settings = (a: RecurrentLayerAttrs) => JSON.stringify([a.cell, a.units, a.resetAfter, a.hasBias, a.initialStates, a.directions.length]);
  if (b < f || !sameSource(forward.inputs[0]!, backward.inputs[0]!) || settings(fa) !== settings(ba)) return;
  // ONNX's first direction reads forwards; a wrapped layer that reads backwards makes the forward layer the reverse one.
  if (fa.directions[0]!.reverse || !ba.directions[0]!.reverse) return;
  const weights = 1 + (fa.hasBias ? 3 : 2);
  // The backward call's initial states must be there before the forward call (a Bidirectional computes none between them).
  if (backward.inputs.slice(weights).some((s) => s.kind === 'op' && s.index >= f)) return;
  const [timesteps, , batch, units] = forward.shape as [number, number, number, number];
  const y = [timesteps, 2, batch, units];
  const attrs: RecurrentLayerAttrs = { ...fa, directions: [...fa.directions, ...ba.directions] };
  const joined = <T>(of: (op: TracedOp) => readonly T[]) => [of(forward)[0]!, ...of(forward).slice(1, weights), ...of(backward).slice(1, weights), ...of(forward).slice(weights), ...of(backward).slice(weights)];
  // Named after the Bidirectional, whose call it is.
  ops[f] = { ...forward, attrs: { ...attrs }, inputs: joined((op) => op.inputs), inputShapes: joined((op) => op.inputShapes), shape: y, layerPath: forward.layerPath.slice(0, -1) };
  const readOf = (op: TracedOp) => (op.name === 'recurrentOutput' && op.inputs[0]!.kind === 'op' ? op.inputs[0]!.index : -1);
  // Found before any changes: unflip makes a later op read ops[f].
  const outputs = ops.flatMap((op, i) => (readOf(op) === f || readOf(op) === b ? [i] : []));
  outputs.forEach((i) => {
    const op = ops[i]!;
    const read = readOf(op);
    const outputAttrs: RecurrentOutputAttrs = { ...(op.attrs as unknown as RecurrentOutputAttrs), direction: read === f ? 0 : 1 };
    ops[i] = { ...op, attrs: { ...outputAttrs }, inputs: [{ kind: 'op', index: f }], inputShapes: [y] };
    if (read === b && outputAttrs.output === 'sequence') unflip(ops, trace, i, f, y);
  });
}

/**
 * Where the backward sequence (ops[sequence], its steps last first) is read only by a gather of
 * its steps in reverse, the gather becomes the direction's Y in time order.
 */
function unflip(ops: TracedOp[], trace: Trace, sequence: number, f: number, y: readonly number[]): void {
  const reads = (s: TracedSource) => s.kind === 'op' && s.index === sequence;
  const readers = ops.flatMap((op, i) => (op.inputs.some(reads) ? [i] : []));
  if (readers.length !== 1 || trace.outputs.some((o) => reads(o.source))) return;
  const gather = ops[readers[0]!]!;
  const steps = y[0]!;
  const reversed = Array.from({ length: steps }, (_, t) => steps - 1 - t);
  const indices = gather.inputs[1];
  const isReversal = indices?.kind === 'constant'
    ? Array.from(indices.values).join() === reversed.join()
    : indices?.kind === 'op' && ops[indices.index]!.name === 'range' && ops[indices.index]!.attrs.start === steps - 1 && ops[indices.index]!.attrs.step === -1 && ops[indices.index]!.shape.join() === String(steps);
  if (gather.name !== 'gather' || gather.attrs.axis !== 1 || !reads(gather.inputs[0]!) || !isReversal) return;
  const attrs: RecurrentOutputAttrs = { output: 'sequence', reverse: false, direction: 1 };
  ops[readers[0]!] = { ...gather, name: 'recurrentOutput', attrs: { ...attrs }, inputs: [{ kind: 'op', index: f }], inputShapes: [y] };
}
