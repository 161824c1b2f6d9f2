import { formatShape, Tensor, type DataArray, type DType, type NamedTensors } from '@perceptron/core';
import { describeSignature, type ValueSignature } from '../model-file.js';
import { ONNX_TYPE, onnxTypeName, onnxTypeOf } from '../proto.js';

/** What run was given for one graph input, checked: its element type (onnxruntime's name for it), the values and the shape. */
export interface Feed {
  readonly type: DType | 'int64';
  readonly data: DataArray | BigInt64Array;
  readonly dims: number[];
}

/**
 * What `OnnxModel.run` takes: core tensors (a list in the graph's order, or keyed by graph input
 * name, one per input), or one input's values as a typed array.
 */
export type RunInput = Tensor | readonly Tensor[] | NamedTensors | Float32Array | Int32Array | BigInt64Array | Uint8Array;

/**
 * Checks what run was given against the graph's inputs: as many tensors as inputs (in order, or
 * keyed by every input's name and no other), or a typed array and its shape for a model of one
 * input; each of the input's element type, rank and fixed dimensions, with as many values as its
 * shape needs.
 */
export async function feedsFor(inputs: readonly ValueSignature[], given: RunInput, shape: readonly number[] | undefined): Promise<Feed[]> {
  const expected = inputs.map(describeInput).join(', ');
  if (ArrayBuffer.isView(given)) return [typedArrayFeed(inputs, given, shape, expected)];
  if (typeof given !== 'object' || given === null) {
    throw new Error(`OnnxModel.run: expected a Tensor, a list of Tensors or Tensors keyed by input name (${expected}), or a typed array and its shape, got ${String(given)}`);
  }
  const tensors = given instanceof Tensor ? [given] : Array.isArray(given) ? given as readonly unknown[] : inGraphOrder(inputs, given as Record<string, unknown>);
  const bad = tensors.findIndex((t) => !(t instanceof Tensor));
  if (bad >= 0) {
    const item = tensors[bad] as { constructor?: { name?: string } } | null | undefined;
    const type = item?.constructor?.name ?? String(item);
    throw new Error(Array.isArray(given)
      ? `OnnxModel.run: expected a list of Tensors, one per input (${expected}), got a list whose item ${bad} is ${type}`
      : `OnnxModel.run: expected Tensors keyed by input name (${expected}), got ${type} for '${inputs[bad]!.name}'`);
  }
  if (tensors.length !== inputs.length) {
    const count = (n: number) => `${n} tensor${n === 1 ? '' : 's'}`;
    throw new Error(`OnnxModel.run: expected ${count(inputs.length)}, one per input (${expected}), got ${given instanceof Tensor ? 'one' : `a list of ${tensors.length}`}`);
  }
  return Promise.all((tensors as Tensor[]).map(async (t, i) => {
    checkInput(inputs[i]!, t.dtype, [...t.shape], t.size);
    return widenedForInt64(inputs[i]!, { type: t.dtype, data: await t.data(), dims: [...t.shape] });
  }));
}

/** Tensors keyed by graph input name as a list in the graph's order; every name must be given, and no other. */
function inGraphOrder(inputs: readonly ValueSignature[], named: Record<string, unknown>): unknown[] {
  const names = inputs.map((input) => input.name);
  const keys = Object.keys(named);
  const missing = names.filter((name) => !keys.includes(name));
  const unknown = keys.filter((key) => !names.includes(key));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [missing.length > 0 ? `missing ${quoted(missing)}` : '', unknown.length > 0 ? `unknown ${quoted(unknown)}` : ''].filter(Boolean).join(', ');
    throw new Error(`OnnxModel.run: expected tensors keyed by the graph's input names ${quoted(names)}, got ${keys.length === 0 ? 'no keys' : `keys ${quoted(keys)}`} (${problems})`);
  }
  return names.map((name) => named[name]);
}

function typedArrayFeed(inputs: readonly ValueSignature[], array: ArrayBufferView, shape: readonly number[] | undefined, expected: string): Feed {
  if (inputs.length !== 1) throw new Error(`OnnxModel.run: a typed array feeds a model of one input; this one takes ${inputs.length} (${expected}), so pass a list of ${inputs.length} tensors`);
  if (shape === undefined) throw new Error(`OnnxModel.run: a typed array needs its shape, e.g. run(data, [batch, ...]); the model expects ${expected}`);
  const dtype = array instanceof Float32Array ? 'float32' : array instanceof Int32Array ? 'int32' : array instanceof BigInt64Array ? 'int64' : array instanceof Uint8Array ? 'bool' : null;
  checkInput(inputs[0]!, dtype, [...shape], (array as { length?: number }).length);
  if (dtype === 'bool') checkBools(array as Uint8Array);
  return widenedForInt64(inputs[0]!, { type: dtype!, data: array as Float32Array | Int32Array | BigInt64Array, dims: [...shape] });
}

/** A Uint8Array feeds a bool input as core stores bools: 0 for false, 1 for true. */
function checkBools(array: Uint8Array): void {
  const at = array.findIndex((v) => v > 1);
  if (at >= 0) throw new Error(`OnnxModel.run: a Uint8Array feeds a bool input with 0s and 1s, got ${array[at]} at index ${at}`);
}

/**
 * int32 values for an int64 graph input (token indices, as tf2onnx and PyTorch write them) as
 * int64: every int32 fits, as every int64 output that fits comes back as int32. Other feeds are
 * returned as they are.
 */
function widenedForInt64(input: ValueSignature, feed: Feed): Feed {
  if (input.elemType !== ONNX_TYPE.INT64 || feed.type !== 'int32') return feed;
  return { ...feed, type: 'int64', data: BigInt64Array.from(feed.data as Int32Array, (v) => BigInt(v)) };
}

/** Whether values of `dtype` feed a graph input of ONNX element type `elemType`: the same type, or int32 (widened) or int64 for int64. */
function feeds(dtype: DType | 'int64', elemType: number): boolean {
  if (elemType === ONNX_TYPE.INT64) return dtype === 'int32' || dtype === 'int64';
  return dtype !== 'int64' && onnxTypeOf(dtype) === elemType;
}

function checkInput(input: ValueSignature, dtype: DType | 'int64' | null, dims: number[], size: number | undefined): void {
  const expected = describeInput(input);
  const given = `${dtype ?? 'an unsupported array type'} ${formatShape(dims)}`;
  if (dtype === null || !feeds(dtype, input.elemType)) {
    throw new Error(`OnnxModel.run: expected ${expected}, got ${given} (element type ${dtype ?? 'unknown'} instead of ${onnxTypeName(input.elemType)})`);
  }
  const fits = dims.length === input.shape.length
    && dims.every((d, i) => Number.isInteger(d) && d > 0 && (typeof input.shape[i] !== 'number' || input.shape[i] === d));
  if (!fits) throw new Error(`OnnxModel.run: expected ${expected}, got ${given}`);
  const count = dims.reduce((a, d) => a * d, 1);
  if (size !== count) throw new Error(`OnnxModel.run: shape ${formatShape(dims)} needs ${count} values, the array has ${size}`);
}

/** "input 'pixels' of [batch,784] float" */
function describeInput(input: ValueSignature): string {
  return `input '${input.name}' of ${describeSignature(input)}`;
}

/** 'a', 'b' */
function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
