import { formatShape, Tensor, type DType } from '@perceptron/core';
import { describeSignature, type ValueSignature } from '../model-file.js';
import { onnxTypeName, onnxTypeOf } from '../proto.js';

/** What run was given for one graph input, checked: onnxruntime's tensor type, the values and the shape. */
export interface Feed {
  readonly type: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
  readonly dims: number[];
}

/** What `OnnxModel.run` takes: core tensors (a list, one per input), or one input's values as a typed array. */
export type RunInput = Tensor | readonly Tensor[] | Float32Array | Int32Array;

/**
 * Checks what run was given against the graph's inputs, in order: as many tensors as inputs, or
 * a typed array and its shape for a model of one input; each of the input's element type, rank
 * and fixed dimensions, with as many values as its shape needs.
 */
export async function feedsFor(inputs: readonly ValueSignature[], given: RunInput, shape: readonly number[] | undefined): Promise<Feed[]> {
  const expected = inputs.map(describeInput).join(', ');
  if (given instanceof Tensor || Array.isArray(given)) {
    const tensors: readonly unknown[] = given instanceof Tensor ? [given] : given;
    const bad = tensors.findIndex((t) => !(t instanceof Tensor));
    if (bad >= 0) {
      const item = tensors[bad] as { constructor?: { name?: string } } | null | undefined;
      throw new Error(`OnnxModel.run: expected a list of Tensors, one per input (${expected}), got a list whose item ${bad} is ${item?.constructor?.name ?? String(item)}`);
    }
    if (tensors.length !== inputs.length) {
      const count = (n: number) => `${n} tensor${n === 1 ? '' : 's'}`;
      throw new Error(`OnnxModel.run: expected ${count(inputs.length)}, one per input (${expected}), got ${given instanceof Tensor ? 'one' : `a list of ${tensors.length}`}`);
    }
    return Promise.all((tensors as Tensor[]).map(async (t, i) => {
      checkInput(inputs[i]!, t.dtype, [...t.shape], t.size);
      return { type: t.dtype === 'int32' ? 'int32' : 'float32', data: await t.data() as Float32Array | Int32Array, dims: [...t.shape] };
    }));
  }
  if (inputs.length !== 1) throw new Error(`OnnxModel.run: a typed array feeds a model of one input; this one takes ${inputs.length} (${expected}), so pass a list of ${inputs.length} tensors`);
  if (shape === undefined) throw new Error(`OnnxModel.run: a typed array needs its shape, e.g. run(data, [batch, ...]); the model expects ${expected}`);
  const array = given as Float32Array | Int32Array;
  const dtype = array instanceof Float32Array ? 'float32' : array instanceof Int32Array ? 'int32' : null;
  checkInput(inputs[0]!, dtype, [...shape], (array as { length?: number }).length);
  return [{ type: dtype!, data: array, dims: [...shape] }];
}

function checkInput(input: ValueSignature, dtype: DType | null, dims: number[], size: number | undefined): void {
  const expected = describeInput(input);
  const given = `${dtype ?? 'an unsupported array type'} ${formatShape(dims)}`;
  if (dtype === null || onnxTypeOf(dtype) !== input.elemType) {
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
