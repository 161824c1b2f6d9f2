import { getBackend } from '../backend/registry.js';
import { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType, NestedArray, Shape } from '../types.js';
import { checkDType, toDataArray } from '../util/dtype.js';
import { formatShape, sizeOf } from '../util/shape.js';

/** What ops accept: a tensor, or values to make one from. */
export type TensorLike = Tensor | NestedArray | DataArray;

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedArray;
    if (level === undefined) break;
  }
  return shape;
}

function flatten(values: NestedArray, shape: Shape, out: (number | boolean)[], depth = 0): void {
  if (!Array.isArray(values)) {
    out.push(values as number | boolean);
    return;
  }
  if (values.length !== shape[depth]) {
    throw new Error(`tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth}, got ${values.length}`);
  }
  for (const v of values) flatten(v, shape, out, depth + 1);
}

function inferDType(values: NestedArray | DataArray): DType {
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  let first: unknown = values;
  while (Array.isArray(first)) first = first[0];
  return typeof first === 'boolean' ? 'bool' : 'float32';
}

/**
 * Creates a tensor on the active backend from nested arrays, a typed array or a number.
 * The shape is inferred from nesting unless given; the dtype from the values unless given.
 */
export function tensor(values: NestedArray | DataArray, shape?: Shape, dtype?: DType): Tensor {
  const type = dtype ?? inferDType(values);
  checkDType('tensor', type);
  let flat: ArrayLike<number | boolean>;
  let inferred: Shape;
  if (ArrayBuffer.isView(values)) {
    flat = values;
    inferred = [values.length];
  } else {
    inferred = inferShape(values);
    const out: (number | boolean)[] = [];
    flatten(values, inferred, out);
    flat = out;
  }
  const finalShape = shape ?? inferred;
  if (sizeOf(finalShape) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values do not fill shape ${formatShape(finalShape)} (${sizeOf(finalShape)} elements)`);
  }
  for (const d of finalShape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`tensor: shape ${formatShape(finalShape)} has an invalid dimension ${d}`);
  }
  const backend = getBackend();
  const data = ArrayBuffer.isView(values) && dtypeMatches(values, type) ? values : toDataArray(flat, type);
  return new Tensor(backend.upload(data, finalShape, type), [...finalShape], type, backend);
}

function dtypeMatches(values: DataArray, dtype: DType): boolean {
  return (dtype === 'float32' && values instanceof Float32Array)
    || (dtype === 'int32' && values instanceof Int32Array)
    || (dtype === 'bool' && values instanceof Uint8Array);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** A literal beside an int32 tensor becomes int32: a fraction would be cut off without a word (TensorFlow refuses it too). */
function checkIntegers(op: string, index: number, literal: NestedArray): void {
  const firstNonInteger = (v: unknown): unknown => (Array.isArray(v) ? v.map(firstNonInteger).find((x) => x !== undefined) : Number.isInteger(v) ? undefined : v);
  const bad = firstNonInteger(literal);
  if (bad !== undefined) {
    throw new Error(`${op}: argument ${index} holds ${JSON.stringify(bad)}, which is not an integer, beside an int32 tensor; cast that tensor to float32 first`);
  }
}

/**
 * Runs `body` with every argument as a tensor. Literal arguments become temporary tensors of
 * `dtype` (default: the dtype of the first tensor argument, else float32) and are freed after
 * the op, so `mul(x, 2)` leaks nothing outside `tidy`. A tape that recorded the op keeps its own
 * hold on them.
 */
export function withTensors<T>(op: string, args: readonly TensorLike[], body: (...tensors: Tensor[]) => T, dtype?: DType): T {
  const firstTensor = args.find((a): a is Tensor => a instanceof Tensor);
  const literalDType = dtype ?? firstTensor?.dtype ?? 'float32';
  const temporary: Tensor[] = [];
  const tensors = args.map((a, i) => {
    if (a instanceof Tensor) return a;
    if (a === null || a === undefined) throw new Error(`${op}: argument ${i} is ${a}; expected a tensor or numbers`);
    if (literalDType === 'int32' && !ArrayBuffer.isView(a)) checkIntegers(op, i, a);
    const t = tensor(a, undefined, ArrayBuffer.isView(a) ? undefined : literalDType);
    temporary.push(t);
    return t;
  });
  try {
    return body(...tensors);
  } finally {
    for (const t of temporary) t.dispose();
  }
}
