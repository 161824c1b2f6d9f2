import { makeTensorProto, ONNX_TYPE, onnxTypeOf } from '../proto.js';
import { batchMultiples, batchSizeOf, shapeInGraph } from './batch-dimensions.js';
import { attr } from './graph-builder.js';
import type { MappingContext, OpMapping } from './op-mappings.js';

// trace-model.ts's constants made by rule: 'fill' (one value repeated) and 'range' (int32
// start + i·step). At a shape that did not change with the batch each is a Constant, as any
// literal operand; otherwise it is made in-graph at a shape whose batch dimensions are read from
// the first input's Shape (dimension 0, the batch). Both read the input only for that.

/** The op's shape in-graph, or null where it did not change with the batch; its settings must not change. */
function shapeOf({ b, op, other, inputs, scope, fail }: MappingContext, settings: readonly string[]): string | null {
  for (const name of settings) {
    if (!Object.is(op.attrs[name], other.attrs[name])) fail(`its ${name} depends on the batch size (${String(op.attrs[name])} and ${String(other.attrs[name])})`);
  }
  const multiples = batchMultiples(op.shape, other.shape, op.batch, other.batch, 'its shape', fail);
  if (multiples.every((k) => k === 0)) return null;
  return shapeInGraph(b, op.shape, multiples, batchSizeOf(b, inputs[0]!, 0, 1, scope), scope);
}

const sizeOf = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

export const fill: OpMapping = (context) => {
  const { b, op, scope } = context;
  const value = op.attrs.value as number;
  const shape = shapeOf(context, ['value']);
  if (shape === null) return b.constant(op.dtype, op.shape, new Array<number>(sizeOf(op.shape)).fill(value), scope);
  return b.node('ConstantOfShape', [shape], [attr.tensor('value', makeTensorProto('', onnxTypeOf(op.dtype), [1], [value]))], scope);
};

/**
 * In-graph: the exclusive running sum of ones at the shape, flattened (0, 1, 2, …), times step
 * plus start, in the op's dtype; not ONNX Range, whose count the importer needs as a constant.
 */
export const range: OpMapping = (context) => {
  const { b, op, scope } = context;
  const [start, step] = [op.attrs.start as number, op.attrs.step as number];
  const shape = shapeOf(context, ['start', 'step']);
  if (shape === null) return b.constant(op.dtype, op.shape, Array.from({ length: sizeOf(op.shape) }, (_, i) => start + i * step), scope);
  const ones = b.node('ConstantOfShape', [shape], [attr.tensor('value', makeTensorProto('', onnxTypeOf(op.dtype), [1], [1]))], scope);
  const flat = b.node('Reshape', [ones, b.int64s([-1], scope, 'flat')], [], scope);
  const counts = b.node('CumSum', [flat, b.initializer(`${scope}/axis`, ONNX_TYPE.INT64, [], [0])], [attr.int('exclusive', 1)], scope);
  const values = b.node('Add', [b.node('Mul', [counts, b.constant(op.dtype, [], [step], scope)], [], scope), b.constant(op.dtype, [], [start], scope)], [], scope);
  return b.node('Reshape', [values, shape], [], scope);
};
