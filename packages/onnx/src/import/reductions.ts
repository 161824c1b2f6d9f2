import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter } from './interpreters.js';
import { normalizeAxis } from './static-arithmetic.js';

// The reductions core has no single op for, each a composition, and ArgMax and ArgMin.

/** Axes from the input (opset 18) or the attribute; none means all, or nothing with noop_with_empty_axes. */
const reduce = (f: (x: Tensor, axes: number[] | undefined, keepDims: boolean) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  const axes = c.known(1) ?? c.intList('axes') ?? [];
  if (axes.length === 0 && c.int('noop_with_empty_axes', 0)) return x;
  return f(x, axes.length === 0 ? undefined : axes.map((a) => normalizeAxis(a, x.rank, (reason) => c.fail(reason))), c.int('keepdims', 1) === 1);
};

/** ArgMax or ArgMin: the first extreme along `axis`, or with select_last_index the last — the first of the reversed axis, counted back. */
const arg = (pick: (x: Tensor, axis: number) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  const axis = normalizeAxis(c.int('axis', 0), x.rank, (reason) => c.fail(reason));
  const index = c.int('select_last_index', 0) ? pc.sub(x.shape[axis]! - 1, pick(pc.reverse(x, axis), axis)) : pick(x, axis);
  return c.int('keepdims', 1) ? pc.expandDims(index, axis) : index;
};

export const REDUCTION_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  ReduceL1: reduce((x, axes, keep) => pc.sum(pc.abs(x), axes, keep)),
  ReduceL2: reduce((x, axes, keep) => pc.sqrt(pc.sum(pc.square(x), axes, keep))),
  ReduceSumSquare: reduce((x, axes, keep) => pc.sum(pc.square(x), axes, keep)),
  ReduceLogSum: reduce((x, axes, keep) => pc.log(pc.sum(x, axes, keep))),
  ReduceLogSumExp: reduce((x, axes, keep) => pc.logSumExp(x, axes, keep)),
  ArgMax: arg(pc.argMax),
  ArgMin: arg(pc.argMin),
};
