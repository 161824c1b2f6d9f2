import { tensor, Tensor, type DType } from '@perceptron/core';
import { ONNX_TYPE, onnxTypeName, readTensorProto, type TensorProto } from '../proto.js';

/**
 * A value known when the model is imported: a Constant node or a non-float initializer. Shapes,
 * axes and pads are read from these; anything else turns them into tensors when it needs them.
 */
export interface StaticValue {
  readonly kind: 'static';
  readonly onnxType: number;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

/** What flows along the graph's edges while the imported model runs. */
export type Value = Tensor | StaticValue;

/** The core dtype computing an ONNX element type (int64 is computed as int32). */
export function dtypeOf(onnxType: number, context: string): DType {
  if (onnxType === ONNX_TYPE.FLOAT) return 'float32';
  if (onnxType === ONNX_TYPE.INT32 || onnxType === ONNX_TYPE.INT64) return 'int32';
  if (onnxType === ONNX_TYPE.BOOL) return 'bool';
  throw new Error(`${context}: element type ${onnxTypeName(onnxType)} is not supported; expected float, int32, int64 or bool`);
}

export function staticValue(t: TensorProto, context: string): StaticValue {
  const { type, dims, values } = readTensorProto(t, context);
  dtypeOf(type, context);
  return { kind: 'static', onnxType: type, dims, values };
}

export function toTensor(value: Value, context: string): Tensor {
  if (value instanceof Tensor) return value;
  return tensor(value.values as number[], value.dims, dtypeOf(value.onnxType, context));
}
