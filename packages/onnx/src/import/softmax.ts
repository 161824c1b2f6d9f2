import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter } from './interpreters.js';
import { normalizeAxis } from './static-arithmetic.js';

// Softmax, LogSoftmax and Hardmax over any axis, as core's last-axis ops. From opset 13 they run
// along `axis` (-1 unless given): that axis is swapped with the last, and back. Before opset 13
// X is flattened to 2-D around `axis` (1 unless given) — [d0·…·d(axis−1), d(axis)·…·d(n−1)] —
// and the op runs along the second of those, over every axis from `axis` on at once.

/** Hardmax along the last axis: 1 at the first largest entry, 0 elsewhere. */
const lastAxisHardmax = (x: Tensor): Tensor => pc.oneHot(pc.argMax(x, -1), x.shape[x.rank - 1]!);

const alongAxis = (f: (x: Tensor) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  const modern = c.opset >= 13;
  const axis = normalizeAxis(c.int('axis', modern ? -1 : 1), x.rank, (reason) => c.fail(reason));
  if (!modern) {
    const rows = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return pc.reshape(f(pc.reshape(x, [rows, x.shape.slice(axis).reduce((a, b) => a * b, 1)])), x.shape);
  }
  return lastAxisOp(f, x, axis);
};

/** `f`, an op along the last axis, run along `axis` of x: that axis swapped with the last, and back. */
export function lastAxisOp(f: (x: Tensor) => Tensor, x: Tensor, axis: number): Tensor {
  if (axis === x.rank - 1) return f(x);
  const swap = Array.from({ length: x.rank }, (_, i) => (i === axis ? x.rank - 1 : i === x.rank - 1 ? axis : i));
  return pc.transpose(f(pc.transpose(x, swap)), swap);
}

export const SOFTMAX_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  Softmax: alongAxis((x) => pc.softmax(x)),
  LogSoftmax: alongAxis((x) => pc.logSoftmax(x)),
  Hardmax: alongAxis(lastAxisHardmax),
};
