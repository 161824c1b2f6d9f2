import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';
import { normalizeAxis } from './static-arithmetic.js';

// Ops that pick or write one entry per index along an axis: GatherElements, ScatterElements (and
// its opset 9 name Scatter) and ReverseSequence. A gather reads x at each entry's own coordinates
// with the axis's replaced by the index (core's gatherND, whose gradient is a scatter). A scatter
// compares each index with every position of the axis (a one-hot [..., m, d]) and reduces the
// updates that land on each position — so duplicates follow ONNX's reduction (the last write
// wins for 'none', as onnxruntime writes in order), and the gradient reaches data and updates.

const failer = (c: NodeContext) => (reason: string): never => c.fail(reason);

/** Input i as int32 indices along an axis of `size`, the negative ones counted from the end. */
function indicesAlong(c: NodeContext, i: number, size: number): Tensor {
  const raw = c.tensor(i);
  if (raw.dtype === 'float32' || raw.dtype === 'bool') c.fail(`expected integer indices (int32 or int64), got ${raw.dtype} ${pc.formatShape(raw.shape)}`);
  return pc.where(pc.less(raw, 0), pc.add(raw, size), raw);
}

/** x's entries at `index`'s coordinates, each with its coordinate on `axis` replaced by index's value: out[..., j, ...] = x[..., index[..., j, ...], ...]. */
export function gatherAlong(x: Tensor, index: Tensor, axis: number): Tensor {
  const coordinates = index.shape.map((size, d) => {
    if (d === axis) return index;
    const place = index.shape.map((_, k) => (k === d ? size : 1));
    return pc.broadcastTo(pc.tensor(Int32Array.from({ length: size }, (_, k) => k), place, 'int32'), index.shape);
  });
  return pc.gatherND(x, pc.stack(coordinates, -1));
}

/** `t` with `axis` swapped with the last (its own inverse). */
const swapLast = (t: Tensor, axis: number): Tensor => {
  if (axis === t.rank - 1) return t;
  return pc.transpose(t, t.shape.map((_, i) => (i === axis ? t.rank - 1 : i === t.rank - 1 ? axis : i)));
};

type Reduction = 'none' | 'add' | 'mul' | 'max' | 'min';
const REDUCTIONS: readonly Reduction[] = ['none', 'add', 'mul', 'max', 'min'];

/**
 * ScatterElements: data with updates written at their own coordinates, the axis's replaced by
 * the index. Along the axis moved last, `hits` [..., m, d] says which of the d positions each of
 * the m updates lands on; each position's updates are reduced (the others masked with the
 * reduction's identity), and positions no update lands on keep data. Indices and updates may be
 * smaller than data on the other axes: the result is padded to data's shape there.
 */
const scatterElements: Interpreter = (c) => {
  const data = c.tensor(0);
  const axis = normalizeAxis(c.int('axis', 0), data.rank, failer(c));
  const reduction = c.string('reduction', 'none') as Reduction;
  if (!REDUCTIONS.includes(reduction)) c.fail(`reduction '${reduction}' is not one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}`);
  const size = data.shape[axis]!;
  const [index, updates] = [indicesAlong(c, 1, size), c.tensor(2)];
  if (index.rank !== data.rank || index.shape.join() !== updates.shape.join() || index.shape.some((d, i) => i !== axis && d > data.shape[i]!)) {
    c.fail(`expected indices and updates of one shape, of data's rank and no larger on the axes but ${axis}, got data ${pc.formatShape(data.shape)}, indices ${pc.formatShape(index.shape)}, updates ${pc.formatShape(updates.shape)}`);
  }
  const hits = pc.greater(pc.oneHot(swapLast(index, axis), size), 0);
  const along = pc.expandDims(swapLast(updates, axis), -1);
  const big = data.dtype === 'int32' ? 2147483647 : Infinity;
  const reduced = {
    // Only each position's last update counts: the one no later update lands on.
    none: () => pc.sum(pc.where(pc.logicalAnd(hits, pc.equal(pc.cumsum(pc.cast(hits, 'int32'), -2, true, true), 0)), along, 0), -2),
    add: () => pc.sum(pc.where(hits, along, 0), -2),
    mul: () => pc.prod(pc.where(hits, along, 1), -2),
    max: () => pc.max(pc.where(hits, along, -big), -2),
    min: () => pc.min(pc.where(hits, along, big), -2),
  }[reduction]();
  const padding = data.shape.map((d, i): [number, number] => [0, i === axis ? 0 : d - index.shape[i]!]);
  const value = pc.pad(swapLast(reduced, axis), padding);
  const landed = pc.greater(pc.pad(swapLast(pc.sum(pc.cast(hits, 'int32'), -2), axis), padding), 0);
  const combined = { none: value, add: pc.add(data, value), mul: pc.mul(data, value), max: pc.maximum(data, value), min: pc.minimum(data, value) }[reduction];
  return pc.where(landed, combined, data);
};

export const ELEMENT_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  GatherElements: (c) => {
    const x = c.tensor(0);
    const axis = normalizeAxis(c.int('axis', 0), x.rank, failer(c));
    const index = indicesAlong(c, 1, x.shape[axis]!);
    if (index.rank !== x.rank || index.shape.some((d, i) => i !== axis && d > x.shape[i]!)) {
      c.fail(`expected indices of data's rank, no larger on the axes but ${axis}, got data ${pc.formatShape(x.shape)} and indices ${pc.formatShape(index.shape)}`);
    }
    return gatherAlong(x, index, axis);
  },
  ScatterElements: scatterElements,
  Scatter: scatterElements,
  // Each batch entry's first sequence_lens[b] steps along time_axis reversed, the rest kept.
  ReverseSequence: (c) => {
    const x = c.tensor(0);
    const [timeAxis, batchAxis] = [c.int('time_axis', 0), c.int('batch_axis', 1)];
    if (!((timeAxis === 0 && batchAxis === 1) || (timeAxis === 1 && batchAxis === 0)) || x.rank < 2) {
      c.fail(`expected time_axis and batch_axis 0 and 1 (either way) on an input of rank 2 or more, got time_axis ${timeAxis}, batch_axis ${batchAxis}, input ${pc.formatShape(x.shape)}`);
    }
    const lengths = pc.cast(c.tensor(1), 'int32');
    if (lengths.rank !== 1 || lengths.shape[0] !== x.shape[batchAxis]) c.fail(`expected sequence_lens [${x.shape[batchAxis]}], one per batch entry of ${pc.formatShape(x.shape)}, got ${pc.formatShape(lengths.shape)}`);
    const alongAxis = (t: Tensor, axis: number) => pc.reshape(t, x.shape.map((d, i) => (i === axis ? d : 1)));
    const step = alongAxis(pc.range(0, x.shape[timeAxis]!, 1, 'int32'), timeAxis);
    const length = alongAxis(lengths, batchAxis);
    const source = pc.broadcastTo(pc.where(pc.less(step, length), pc.sub(pc.sub(length, 1), step), step), x.shape);
    return gatherAlong(x, source, timeAxis);
  },
};
