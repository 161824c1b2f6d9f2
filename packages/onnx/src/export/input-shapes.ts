import { Functional, Sequential, type DType, type Layer, type Tensor } from '@perceptron/core';

/** The feature dimensions (no batch) of each model input, and whether `call` takes them as a list. */
export interface InputShapes {
  readonly features: readonly (readonly number[])[];
  readonly asList: boolean;
}

/** exportOnnx's `inputShape`: one input's feature dimensions, or a list of them for a model of several inputs. */
export type InputShapeOption = readonly number[] | readonly (readonly number[])[];

/**
 * The inputs the forward pass is traced with: the shapes given (a list of shapes makes `call`
 * take a list), else a functional model's Inputs, else the shape the model was built (or
 * declared) for.
 */
export function inputShapesOf(model: Layer, given: InputShapeOption | undefined): InputShapes {
  const declared = model instanceof Functional ? model.inputs.map((input) => input.shape.slice(1)) : null;
  if (given !== undefined) {
    const asList = given.some((entry) => Array.isArray(entry));
    const shapes = (asList ? given : [given]) as readonly (readonly number[])[];
    shapes.forEach((shape) => checkGivenShape(shape, given));
    if (declared && shapes.length !== declared.length) {
      throw new Error(`exportOnnx: expected inputShape to give ${declared.length} feature shape${declared.length === 1 ? '' : 's'}, one per input of model '${model.name}', got ${shapes.length}: ${JSON.stringify(given)}`);
    }
    return { features: shapes, asList: asList || shapes.length > 1 };
  }
  if (declared) {
    declared.forEach((shape, i) => {
      if (shape.some((d) => d === null)) throw new Error(`exportOnnx: input ${i} of model '${model.name}' has feature dimensions ${JSON.stringify(shape)}; pass options.inputShape with every dimension known`);
    });
    return { features: declared as number[][], asList: declared.length > 1 };
  }
  // A Sequential's input is declared by its first layer (its Input's); one of unknown length has no build shape.
  const firstLayer = model instanceof Sequential ? model.childLayers[0] : undefined;
  const shape = (model.buildInputShape ?? model.batchInputShape ?? firstLayer?.batchInputShape)?.slice(1);
  if (shape?.some((d) => d === null)) {
    throw new Error(`exportOnnx: model '${model.name}' has feature dimensions ${JSON.stringify(shape)}; pass options.inputShape with every dimension known`);
  }
  if (!shape) {
    throw new Error(`exportOnnx: model '${model.name}' has not been built and declares no input shape; pass options.inputShape, the feature dimensions without the batch (e.g. [784], or [[784], [10]] for a model of two inputs)`);
  }
  checkGivenShape(shape as number[], shape);
  return { features: [shape as number[]], asList: false };
}

function checkGivenShape(shape: unknown, given: unknown): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new Error(`exportOnnx: expected inputShape to be positive integers (the feature dimensions, without the batch), or a list of such shapes for a model of several inputs, got ${JSON.stringify(given)}`);
  }
}

/** The inputs the forward pass is traced with: their shapes, and the dtype of each. */
export interface TracedInputs extends InputShapes {
  readonly dtypes: readonly DType[];
}

/** What the model is called with: one tensor of `batch` rows per input, as a list if `call` takes one. */
export function batchOf(inputs: TracedInputs, batch: number, make: (shape: number[], dtype: DType) => Tensor): Tensor | Tensor[] {
  const tensors = inputs.features.map((features, i) => make([batch, ...features], inputs.dtypes[i]!));
  return inputs.asList ? tensors : tensors[0]!;
}
