import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { NodeContext } from './interpreters.js';

// What ONNX's windowed ops (Conv, ConvTranspose, MaxPool, AveragePool) share over 1, 2 or 3
// spatial axes: their window attributes read and checked, auto_pad turned into explicit pads,
// and the moves between ONNX's channels-first tensors and core's channels-last ones. A 1-D
// window is run as a 2-D one over images one row high, so only ranks 4 and 5 reach core.

/** The spatial axes of X [N, C, ...spatial]: 1, 2 or 3, or an error naming the node and X's shape. */
export function spatialRank(c: NodeContext, x: Tensor, what: string): number {
  if (x.rank < 3 || x.rank > 5) c.fail(`expected X of rank 3, 4 or 5 ([N, C, L], [N, C, H, W] or [N, C, D, H, W]) for a 1-, 2- or 3-D ${what}, got X ${pc.formatShape(x.shape)}`);
  return x.rank - 2;
}

/** The list attribute `name` of `count` positive integers (`fallback` when left out), or an error naming it and its value. */
export function perAxis(c: NodeContext, name: string, count: number, fallback: number): number[] {
  const values = c.intList(name) ?? new Array<number>(count).fill(fallback);
  if (values.length !== count || values.some((v) => !Number.isInteger(v) || v < 1)) {
    c.fail(`${name} [${values.join(',')}] must be ${count} positive integer${count === 1 ? '' : 's'}, one per spatial axis`);
  }
  return values;
}

/** Padding before and after each spatial axis. */
export interface Pads {
  before: number[];
  after: number[];
}

/**
 * The pads of a window `kernel` moved by `strides` with `dilations` over `input` (the spatial
 * sizes), from auto_pad: NOTSET reads `pads` [b1..bk, e1..ek]; VALID pads nothing; SAME_UPPER and
 * SAME_LOWER pad so the output is ceil(input / stride), the odd one after (UPPER) or before (LOWER).
 */
export function windowPads(c: NodeContext, input: readonly number[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[]): Pads {
  const autoPad = c.string('auto_pad', 'NOTSET');
  const k = input.length;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const totals = input.map((size, i) => Math.max((Math.ceil(size / strides[i]!) - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - size, 0));
    const small = totals.map((t) => Math.floor(t / 2));
    const large = totals.map((t, i) => t - small[i]!);
    return autoPad === 'SAME_UPPER' ? { before: small, after: large } : { before: large, after: small };
  }
  if (autoPad === 'VALID') return { before: new Array<number>(k).fill(0), after: new Array<number>(k).fill(0) };
  if (autoPad !== 'NOTSET') c.fail(`auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER and SAME_LOWER`);
  const pads = c.intList('pads') ?? new Array<number>(2 * k).fill(0);
  if (pads.length !== 2 * k || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    c.fail(`pads [${pads.join(',')}] must be ${2 * k} non-negative integers (the starts of the ${k} spatial axes, then their ends)`);
  }
  return { before: pads.slice(0, k), after: pads.slice(k) };
}

/** [N, C, ...spatial] as [N, ...spatial, C]. */
export function channelsLast(x: Tensor): Tensor {
  return pc.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
}

/** [N, ...spatial, C] as [N, C, ...spatial]. */
export function channelsFirst(y: Tensor): Tensor {
  return pc.transpose(y, [0, y.rank - 1, ...Array.from({ length: y.rank - 2 }, (_, i) => i + 1)]);
}

/** Channels-last `x` [N, ...spatial, C] padded with `value`. */
export function padSpatial(x: Tensor, { before, after }: Pads, value = 0): Tensor {
  if (before.every((p) => p === 0) && after.every((p) => p === 0)) return x;
  return pc.pad(x, [[0, 0], ...before.map((b, i): [number, number] => [b, after[i]!]), [0, 0]], value);
}

/** A channels-last sequence [N, L, C] as images one row high [N, 1, L, C], and back. */
export const asRow = (x: Tensor): Tensor => pc.reshape(x, [x.shape[0]!, 1, ...x.shape.slice(1)]);
export const fromRow = (y: Tensor): Tensor => pc.reshape(y, [y.shape[0]!, ...y.shape.slice(2)]);
