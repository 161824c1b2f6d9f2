import { Functional, InputLayer, Sequential, type DType, type Layer } from '@perceptron/core';
import { OnnxGraphModel } from '../import/import-onnx.js';

/** exportOnnx's `inputDtype`: one input's dtype, or a list of them for a model of several inputs. */
export type InputDtypeOption = DType | readonly DType[];

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * The dtype of each of the model's `count` inputs, which the graph inputs keep (as tf2onnx keeps
 * a Keras model's input dtypes): the dtypes given, else those the model declares (a functional
 * model's Inputs, a Sequential's Input, an imported graph's inputs), else float32, since a
 * subclassed model, or a Sequential without an Input, declares none.
 */
export function inputDtypesOf(model: Layer, count: number, given: InputDtypeOption | undefined): DType[] {
  if (given === undefined) return declaredDtypes(model) ?? Array.from({ length: count }, () => 'float32');
  const dtypes = typeof given === 'string' ? [given] : given;
  if (!Array.isArray(dtypes) || dtypes.length !== count || dtypes.some((d) => !DTYPES.includes(d))) {
    throw new Error(`exportOnnx: expected inputDtype to give ${count === 1 ? 'the dtype of the input' : `${count} dtypes, one per input`} of model '${model.name}' (each one of ${DTYPES.join(', ')}), got ${JSON.stringify(given)}`);
  }
  return [...dtypes];
}

function declaredDtypes(model: Layer): DType[] | null {
  if (model instanceof Functional) return model.inputs.map((input) => input.dtype);
  if (model instanceof OnnxGraphModel) return model.inputDtypes;
  const first = model instanceof Sequential ? model.childLayers[0] : undefined;
  return first instanceof InputLayer ? [first.dtype] : null;
}
