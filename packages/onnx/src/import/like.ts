import * as pc from '@perceptron/core';
import { ONNX_TYPE } from '../proto.js';
import type { Interpreter, NodeContext } from './interpreters.js';
import { cast, isStatic } from './static-arithmetic.js';
import { dtypeOf, toTensor } from './values.js';

// Ops that take their shape or type from another input: EyeLike and CastLike.

/** The ONNX element type of input i (int32 tensors stand for ONNX's int32 and int64 alike). */
function onnxTypeOf(c: NodeContext, i: number): number {
  const value = c.inputs[i] ?? c.fail(`input ${i} is required`);
  if (isStatic(value)) return value.onnxType;
  return { float32: ONNX_TYPE.FLOAT, int32: ONNX_TYPE.INT32, bool: ONNX_TYPE.BOOL }[value.dtype as 'float32' | 'int32' | 'bool'];
}

export const LIKE_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  // Ones on the k-th diagonal of a 2-D input's shape, of `dtype` (the input's type unless given).
  EyeLike: (c) => {
    const value = c.inputs[0] ?? c.fail('input 0 is required');
    const dims = isStatic(value) ? value.dims : value.shape;
    if (dims.length !== 2) c.fail(`expected a 2-D input, got ${pc.formatShape(dims)}`);
    const [rows, columns] = dims as [number, number];
    const k = c.int('k', 0);
    const values = Array.from({ length: rows * columns }, (_, i) => Number((i % columns) - Math.floor(i / columns) === k));
    return pc.tensor(values, [rows, columns], dtypeOf(c.has('dtype') ? c.int('dtype', 0) : onnxTypeOf(c, 0), `importOnnx: node '${c.node.name}'`));
  },
  // Input 0 as input 1's type; a known input stays known.
  CastLike: (c) => {
    const x = c.inputs[0] ?? c.fail('input 0 is required');
    const to = onnxTypeOf(c, 1);
    const dtype = dtypeOf(to, `importOnnx: node '${c.node.name}' (CastLike)`);
    return isStatic(x) ? cast(x, to) : pc.cast(toTensor(x, 'importOnnx'), dtype);
  },
};
