// The ONNX protobuf schema (onnx-proto's protobufjs static classes) and the small helpers every
// part of the package needs to build or read its messages.
import pkg from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';
import type { DType } from '@perceptron/core';

export const { onnx } = pkg;
export type ModelProto = proto.IModelProto;
export type GraphProto = proto.IGraphProto;
export type NodeProto = proto.INodeProto;
export type TensorProto = proto.ITensorProto;
export type AttributeProto = proto.IAttributeProto;
export type ValueInfoProto = proto.IValueInfoProto;

/** TensorProto.DataType codes this package reads or writes. */
export const ONNX_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type OnnxType = (typeof ONNX_TYPE)[keyof typeof ONNX_TYPE];

const TYPE_NAMES: Record<number, string> = { 1: 'float', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'double' };

/** 'float', 'int64', ... for messages; the code itself when unknown. */
export function onnxTypeName(code: number): string {
  return TYPE_NAMES[code] ?? `type ${code}`;
}

export function onnxTypeOf(dtype: DType): OnnxType {
  return dtype === 'float32' ? ONNX_TYPE.FLOAT : dtype === 'int32' ? ONNX_TYPE.INT32 : ONNX_TYPE.BOOL;
}

/** int64 fields decode as Long objects (or numbers); both become numbers. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Element size in bytes of the raw data of each type written here. */
const BYTES: Record<OnnxType, number> = { 1: 4, 6: 4, 7: 8, 9: 1 };

/**
 * A TensorProto with its values as raw little-endian bytes, as the ONNX spec stores raw_data
 * whatever the host's byte order. int64 values are written from numbers (exact up to 2^53) or
 * bigints (for INT64_MAX, Slice's "to the end").
 */
export function makeTensorProto(name: string, type: OnnxType, dims: readonly number[], values: ArrayLike<number | bigint>): TensorProto {
  const raw = new Uint8Array(values.length * BYTES[type]);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (type === ONNX_TYPE.FLOAT) view.setFloat32(4 * i, Number(v), true);
    else if (type === ONNX_TYPE.INT32) view.setInt32(4 * i, Number(v), true);
    else if (type === ONNX_TYPE.INT64) view.setBigInt64(8 * i, BigInt(v), true);
    else view.setUint8(i, Number(v) ? 1 : 0);
  }
  return onnx.TensorProto.create({ name, dataType: type, dims: [...dims], rawData: raw });
}

/** The values of a TensorProto as numbers, from raw_data or the typed repeated fields. */
export function readTensorProto(t: TensorProto, context: string): { type: number; dims: number[]; values: number[] } {
  const type = t.dataType ?? 0;
  const dims = (t.dims ?? []).map(toNumber);
  const count = dims.reduce((a, d) => a * d, 1);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new Error(`${context}: tensor '${t.name}' keeps its data in an external file, which is not supported`);
  let values: number[];
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = type === ONNX_TYPE.INT64 ? 8 : type === ONNX_TYPE.BOOL ? 1 : 4;
    if (raw.length !== count * size) throw new Error(`${context}: tensor '${t.name}' of shape [${dims.join(',')}] needs ${count * size} bytes of raw data, has ${raw.length}`);
    values = Array.from({ length: count }, (_, i) => {
      if (type === ONNX_TYPE.FLOAT) return view.getFloat32(4 * i, true);
      if (type === ONNX_TYPE.INT32) return view.getInt32(4 * i, true);
      if (type === ONNX_TYPE.INT64) return Number(view.getBigInt64(8 * i, true));
      if (type === ONNX_TYPE.BOOL) return view.getUint8(i);
      throw new Error(`${context}: tensor '${t.name}' has element type ${onnxTypeName(type)}; supported: float, int32, int64, bool`);
    });
  } else if (type === ONNX_TYPE.FLOAT) values = [...(t.floatData ?? [])];
  else if (type === ONNX_TYPE.INT64) values = (t.int64Data ?? []).map(toNumber);
  else if (type === ONNX_TYPE.INT32 || type === ONNX_TYPE.BOOL) values = [...(t.int32Data ?? [])];
  else throw new Error(`${context}: tensor '${t.name}' has element type ${onnxTypeName(type)}; supported: float, int32, int64, bool`);
  if (values.length !== count) throw new Error(`${context}: tensor '${t.name}' of shape [${dims.join(',')}] has ${values.length} values, expected ${count}`);
  return { type, dims, values };
}
