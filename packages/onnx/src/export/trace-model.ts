import { tensor, tidy, traceOps, type DataArray, type DType, type Layer, type LayerOutput, type Tensor, type Variable } from '@perceptron/core';

/** Where a traced op's input comes from. */
export type TracedSource =
  | { readonly kind: 'op'; readonly index: number }
  | { readonly kind: 'input' }
  | { readonly kind: 'variable'; readonly variable: Variable }
  | { readonly kind: 'constant'; readonly dtype: DType; readonly shape: readonly number[]; readonly values: DataArray };

export interface TracedOp {
  readonly name: string;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly inputs: readonly TracedSource[];
  readonly inputShapes: readonly (readonly number[])[];
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The layers whose `apply` was running, outermost first. */
  readonly layerPath: readonly string[];
}

export interface Trace {
  readonly batch: number;
  readonly ops: readonly TracedOp[];
  readonly output: TracedSource;
  readonly outputShape: readonly number[];
  readonly outputDtype: DType;
}

/** Deterministic values in [0, 1): no zeros for log or division, and no draw from the seeded generator. */
function dummyInput(shape: readonly number[]): Tensor {
  const size = shape.reduce((a, d) => a * d, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = ((i * 7919 + 13) % 997) / 997 + 0.001;
  return tensor(values, [...shape], 'float32');
}

/**
 * Runs the forward pass (`apply` with training false) of a built model once on a dummy batch of
 * `batch` rows and records every op: its settings, shapes, and where each input comes from.
 * Constant operands are copied while their op runs, since literals are freed right after it.
 */
export function traceForward(model: Layer, featureShape: readonly number[], batch: number): Trace {
  let trace: Trace | undefined;
  // Every tensor of the pass (the dummy input included) is freed; the trace holds copies.
  tidy(() => {
    const input = dummyInput([batch, ...featureShape]);
    const producedBy = new Map<Tensor, number>();
    const ops: TracedOp[] = [];
    const sourceOf = (t: Tensor): TracedSource => {
      const index = producedBy.get(t);
      if (index !== undefined) return { kind: 'op', index };
      if (t === input) return { kind: 'input' };
      if (t.isVariable) return { kind: 'variable', variable: t as Variable };
      return { kind: 'constant', dtype: t.dtype, shape: [...t.shape], values: t.dataSync().slice() };
    };
    const returned: LayerOutput = traceOps(() => model.apply(input, { training: false }), (record) => {
      ops.push({
        name: record.name,
        attrs: record.attrs,
        inputs: record.inputs.map(sourceOf),
        inputShapes: record.inputs.map((t) => [...t.shape]),
        shape: [...record.output.shape],
        dtype: record.output.dtype,
        layerPath: record.layerPath,
      });
      producedBy.set(record.output, ops.length - 1);
    });
    if (Array.isArray(returned) && returned.length !== 1) throw new Error(`exportOnnx: model '${model.name}' returns ${returned.length} outputs; the exporter writes graphs of one output`);
    const output = Array.isArray(returned) ? returned[0]! : returned;
    trace = { batch, ops, output: sourceOf(output), outputShape: [...output.shape], outputDtype: output.dtype };
  });
  return trace!;
}
