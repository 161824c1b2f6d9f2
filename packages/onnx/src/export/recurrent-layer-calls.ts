import { GRU, LSTM, SimpleRNN, type Layer, type Recurrent } from '@perceptron/core';
import { pairBidirectionalCalls } from './bidirectional-calls.js';
import { layerCallRuns } from './layer-call-runs.js';
import { layersUnder } from './layers-under.js';
import { onnxActivation, type OnnxActivation } from './recurrent-activations.js';
import { sameSource } from './same-source.js';
import type { Trace, TracedOp, TracedSource } from './trace-model.js';

// Core's recurrent layers unroll: each call traces as T steps of slices, products and gate
// activations. The calls of the LSTM, GRU and SimpleRNN layers are found in a trace by their
// layer, and their parts become one 'recurrentLayer' op (recurrent-mappings.ts's ONNX LSTM, GRU
// or RNN) and, for each value the call returned that the graph reads, a 'recurrentOutput' op
// taking it from that op's outputs. A call reading anything but its sequence and its initial
// states (a mask: ONNX's sequence_lens holds only masks that are prefixes, which the graph
// cannot know) keeps its parts, as does a layer whose activations ONNX lacks, a subclass or a
// layer given its own call; the parts export too.

/** The ONNX cell each layer class runs as. */
type Cell = 'LSTM' | 'GRU' | 'RNN';

/** One direction of a 'recurrentLayer' op: a layer's call. */
export interface RecurrentDirection {
  /** Keras's goBackwards: ONNX's direction 'reverse'. */
  readonly reverse: boolean;
  /** ONNX's f, g, h (LSTM), f, g (GRU) or f (RNN). */
  readonly activations: readonly OnnxActivation[];
}

/**
 * The settings of a 'recurrentLayer' op: one direction, or two (a Bidirectional's forward and
 * backward layers, bidirectional-calls.ts). Its inputs: the sequence; each direction's kernel,
 * recurrent kernel and bias (when `hasBias`); then each direction's initial states.
 */
export interface RecurrentLayerAttrs {
  readonly cell: Cell;
  readonly units: number;
  readonly directions: readonly RecurrentDirection[];
  /** A GRU's resetAfter (ONNX's linear_before_reset): its bias is [2, 3·units], the input's row and the recurrent product's. */
  readonly resetAfter: boolean;
  readonly hasBias: boolean;
  /** Per direction: none, or the layer's states (h, and an LSTM's c). */
  readonly initialStates: number;
}

/** Which of the call's returned values a 'recurrentOutput' op gives: every step's output, the final h, or an LSTM's final c. */
export type RecurrentOutputKind = 'sequence' | 'h' | 'c';

/** The settings of a 'recurrentOutput' op: its value of direction `direction`, a backwards layer's sequence in the order it read the steps when `reverse`. */
export interface RecurrentOutputAttrs {
  readonly output: RecurrentOutputKind;
  readonly reverse: boolean;
  readonly direction: number;
}

interface LayerCell {
  readonly cell: Cell;
  readonly activations: readonly OnnxActivation[];
}

/** The cell and its activations for a layer whose calls can become one op, or null. */
function cellOf(layer: Layer): LayerCell | null {
  const cell: Cell | undefined = layer.constructor === LSTM ? 'LSTM' : layer.constructor === GRU ? 'GRU' : layer.constructor === SimpleRNN ? 'RNN' : undefined;
  const recurrent = layer as Recurrent;
  if (!cell || Object.hasOwn(layer, 'call') || recurrent.stateful || !recurrent.kernel) return null;
  const gate = cell === 'RNN' ? null : (layer as LSTM | GRU).recurrentActivation;
  const names = cell === 'LSTM' ? [gate!, recurrent.activation, recurrent.activation] : cell === 'GRU' ? [gate!, recurrent.activation] : [recurrent.activation];
  const activations = names.map(onnxActivation);
  return activations.every((a) => a !== null) ? { cell, activations: activations as OnnxActivation[] } : null;
}

/**
 * `trace` with each call of an LSTM, GRU or SimpleRNN layer traced as one op: the op replaces
 * the call's first part (a slice of the sequence, read by nothing else), and each part the graph
 * reads later (the output sequence, the final h, the final c) becomes the op's output of that
 * kind; the other parts, which nothing reads any more, are left for the exporter to drop. A call
 * it cannot read so (a layer name used twice, a mask) keeps its parts. Then the two calls of each
 * Bidirectional become one op (bidirectional-calls.ts).
 */
export function fuseRecurrentLayers(model: Layer, trace: Trace): Trace {
  const layers = layersUnder(model);
  const ops = [...trace.ops];
  for (const layer of layers) {
    const cell = cellOf(layer);
    if (!cell || layers.filter((l) => l.name === layer.name).length > 1) continue;
    for (const [start, end] of layerCallRuns(ops, layer.name).flatMap((run) => callsIn(ops, run, layer as Recurrent))) {
      fuseCall(ops, trace, start, end, layer as Recurrent, cell);
    }
  }
  pairBidirectionalCalls(layers, ops, trace);
  return { ...trace, ops };
}

/**
 * A run of the layer's ops split into its calls (a layer applied to two sequences one after the
 * other runs twice in a row): each call starts with the slice of its first step, the only slice
 * of a sequence at that step in a call.
 */
function callsIn(ops: readonly TracedOp[], [start, end]: [number, number], layer: Recurrent): [number, number][] {
  const starts: number[] = [];
  for (let i = start; i <= end; i++) {
    const op = ops[i]!;
    const x = op.inputShapes[0]!;
    if (op.name === 'slice' && x.length === 3 && (op.attrs.begin as number[])[1] === (layer.goBackwards ? x[1]! - 1 : 0)) starts.push(i);
  }
  if (starts[0] !== start) return [[start, end]];
  return starts.map((s, k): [number, number] => [s, k + 1 < starts.length ? starts[k + 1]! - 1 : end]);
}

/** Fuses the call in ops[start..end] when its parts read and give what one call of `layer` does. */
function fuseCall(ops: TracedOp[], trace: Trace, start: number, end: number, layer: Recurrent, cell: LayerCell): void {
  const first = ops[start]!;
  if (first.name !== 'slice' || first.inputShapes[0]!.length !== 3) return;
  const sequence = first.inputs[0]!;
  const [batch, timesteps] = first.inputShapes[0]! as [number, number, number];
  const inRun = (s: TracedSource) => s.kind === 'op' && s.index >= start && s.index <= end;

  // What the parts read from outside the call: the sequence (by slices, one per step, in the
  // layer's order), the initial h (by the recurrent product) and an LSTM's initial c (by the
  // forget gate's product); a GRU's h is read by products with its gates too.
  const steps: number[] = [];
  let h0: TracedSource | null = null;
  let c0: TracedSource | null = null;
  for (let i = start; i <= end; i++) {
    const op = ops[i]!;
    for (const [k, source] of op.inputs.entries()) {
      if (source.kind === 'variable' || source.kind === 'constant' || inRun(source)) continue;
      if (sameSource(source, sequence) && op.name === 'slice') steps.push((op.attrs.begin as number[])[1]!);
      else if (op.name === 'matMul' && k === 0 && (h0 === null || sameSource(h0, source))) h0 = source;
      else if (op.name === 'mul' && cell.cell === 'LSTM' && (c0 === null || sameSource(c0, source))) c0 = source;
      else if (op.name === 'mul' && cell.cell === 'GRU' && h0 !== null && sameSource(h0, source)) continue;
      else return;
    }
  }
  const order = Array.from({ length: timesteps }, (_, t) => (layer.goBackwards ? timesteps - 1 - t : t));
  if (steps.join() !== order.join()) return;
  const initialStates = [h0, c0].filter((s) => s !== null);
  if (initialStates.length !== 0 && initialStates.length !== layer.stateNames.length) return;

  // The returned values: the sequence (a reshape of the concatenated step outputs, the call's
  // last part), the final h (the last step's output) and an LSTM's final c (which h is made from).
  const last = ops[end]!;
  const concat = layer.returnSequences && last.inputs[0]?.kind === 'op' ? ops[last.inputs[0].index]! : null;
  if (layer.returnSequences && (last.name !== 'reshape' || concat?.name !== 'concat' || concat.inputs.length !== timesteps)) return;
  const finalH = concat ? concat.inputs[timesteps - 1]! : { kind: 'op' as const, index: end };
  if (finalH.kind !== 'op') return;
  const kinds = new Map<number, RecurrentOutputKind>();
  for (const index of readAfter(ops, trace, start, end)) {
    if (index === end && layer.returnSequences) kinds.set(index, 'sequence');
    else if (index === finalH.index) kinds.set(index, 'h');
    else if (cell.cell === 'LSTM' && ![...kinds.values()].includes('c') && madeFrom(ops, finalH.index, index, start)) kinds.set(index, 'c');
    else return;
  }

  const variables = [layer.kernel!, layer.recurrentKernel!, ...(layer.bias ? [layer.bias] : [])];
  const y = [timesteps, 1, batch, layer.units];
  const attrs: RecurrentLayerAttrs = {
    cell: cell.cell, units: layer.units, directions: [{ reverse: layer.goBackwards, activations: cell.activations }],
    resetAfter: cell.cell === 'GRU' && (layer as GRU).resetAfter, hasBias: layer.bias !== null, initialStates: initialStates.length,
  };
  const stateShape = [batch, layer.units];
  ops[start] = {
    name: 'recurrentLayer', attrs: { ...attrs },
    inputs: [sequence, ...variables.map((variable) => ({ kind: 'variable' as const, variable })), ...initialStates],
    inputShapes: [first.inputShapes[0]!, ...variables.map((v) => [...v.shape]), ...initialStates.map(() => stateShape)],
    shape: y, dtype: 'float32', layerPath: first.layerPath, batch: first.batch,
  };
  for (const [index, output] of kinds) {
    const op = ops[index]!;
    const outputAttrs: RecurrentOutputAttrs = { output, reverse: layer.goBackwards, direction: 0 };
    ops[index] = { ...op, name: 'recurrentOutput', attrs: { ...outputAttrs }, inputs: [{ kind: 'op', index: start }], inputShapes: [y] };
  }
}

/** The ops in [start, end] that an op after them or an output reads. */
function readAfter(ops: readonly TracedOp[], trace: Trace, start: number, end: number): Set<number> {
  const read = new Set<number>();
  const note = (s: TracedSource) => {
    if (s.kind === 'op' && s.index >= start && s.index <= end) read.add(s.index);
  };
  ops.slice(end + 1).forEach((op) => op.inputs.forEach(note));
  trace.outputs.forEach((o) => note(o.source));
  return read;
}

/** Whether op `index` is op `result` or one of the ops (from `start` on) it was computed from. */
function madeFrom(ops: readonly TracedOp[], result: number, index: number, start: number): boolean {
  const seen = new Set<number>();
  const pending = [result];
  for (let i = pending.pop(); i !== undefined; i = pending.pop()) {
    if (i === index) return true;
    if (i < start || seen.has(i)) continue;
    seen.add(i);
    for (const s of ops[i]!.inputs) if (s.kind === 'op') pending.push(s.index);
  }
  return false;
}
