import * as pc from '@perceptron/core';
import { ONNX_TYPE } from '../proto.js';
import type { Interpreter, NodeContext } from './interpreters.js';
import { isStatic, normalizeAxis, staticOf } from './static-arithmetic.js';

// Ops whose output's size depends on the values of an input: NonZero and Compress. The values
// are read on the host — known ones as they are, computed ones with dataSync (core's ops are
// synchronous and the result's shape must be known to build it). Compress's output is a gather
// of its input, so gradients reach the input as before.

/** Input i's values: known at import, or read back from the backend. */
function valuesOf(c: NodeContext, i: number): readonly number[] {
  const value = c.inputs[i] ?? c.fail(`input ${i} is required`);
  return isStatic(value) ? value.values : Array.from(value.dataSync(), Number);
}

const dimsOf = (c: NodeContext, i: number): readonly number[] => {
  const value = c.inputs[i] ?? c.fail(`input ${i} is required`);
  return isStatic(value) ? value.dims : value.shape;
};

export const SELECTION_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  // The coordinates of the non-zero entries, row-major: [rank, count] int64 (static when X is).
  NonZero: (c) => {
    const values = valuesOf(c, 0);
    const dims = dimsOf(c, 0);
    const strides = pc.stridesOf(dims);
    const flat = values.flatMap((v, i) => (v !== 0 ? [i] : []));
    const coordinates = dims.flatMap((d, axis) => flat.map((i) => Math.floor(i / strides[axis]!) % d));
    const shape = [dims.length, flat.length];
    return isStatic(c.inputs[0]) ? staticOf(ONNX_TYPE.INT64, shape, coordinates) : pc.tensor(coordinates, shape, 'int32');
  },
  // The slices along `axis` (of the flattened input when left out) whose condition entry is true;
  // a condition shorter than the axis leaves the rest out.
  Compress: (c) => {
    const x = c.tensor(0);
    const condition = valuesOf(c, 1);
    if (dimsOf(c, 1).length !== 1) c.fail(`expected a 1-D condition, got ${pc.formatShape(dimsOf(c, 1))}`);
    const input = c.has('axis') ? x : pc.reshape(x, [x.size]);
    const axis = c.has('axis') ? normalizeAxis(c.int('axis', 0), x.rank, (reason) => c.fail(reason)) : 0;
    if (condition.length > input.shape[axis]!) c.fail(`condition of length ${condition.length} is longer than axis ${axis} of ${pc.formatShape(input.shape)}`);
    const kept = condition.flatMap((v, i) => (v ? [i] : []));
    return pc.gather(input, pc.tensor(kept, [kept.length], 'int32'), axis);
  },
};
