// Shared by the tests that read an exported graph: the decoded GraphProto as plain objects.
import pkg from 'onnx-proto';

const { onnx } = pkg;

export interface ValueInfo { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } } }
export interface Graph { node: { opType: string; input: string[]; output: string[] }[]; input: ValueInfo[]; output: ValueInfo[] }

/** The graph of ONNX ModelProto bytes, int64 fields as numbers. */
export const graphOf = (bytes: Uint8Array): Graph => (onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, arrays: true }) as { graph: Graph }).graph;

/** Each value's name and its element type. */
export const elemTypes = (values: ValueInfo[]): Record<string, number> => Object.fromEntries(values.map((v) => [v.name, v.type.tensorType.elemType]));
