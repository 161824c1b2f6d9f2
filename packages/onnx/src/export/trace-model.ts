import { tensor, tidy, traceOps, zeros, type DataArray, type DType, type Layer, type LayerOutput, type OpRecord, type Tensor, type Variable } from '@perceptron/core';
import { ruleOf } from './constant-rules.js';
import { batchOf, type TracedInputs } from './input-shapes.js';
import { watchingLookups, type LookupCall } from './lookup-calls.js';
import { fuseRecurrentLayers } from './recurrent-layer-calls.js';
import { fuseVolumeConvolutions } from './volume-convolution-calls.js';

/** Where a traced op's input comes from. */
export type TracedSource =
  | { readonly kind: 'op'; readonly index: number }
  | { readonly kind: 'input'; readonly index: number }
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
  /** The batch size of the trace. */
  readonly batch: number;
}

/** One of the values the model returned. */
export interface TracedOutput {
  readonly source: TracedSource;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export interface Trace {
  readonly batch: number;
  readonly ops: readonly TracedOp[];
  /** The model's outputs, in order (one, unless it returned a list). */
  readonly outputs: readonly TracedOutput[];
}

/**
 * Deterministic float values in [0, 1): no zeros for log or division, and no draw from the seeded
 * generator. Integer and bool inputs are zeros: an index every Embedding or gather accepts.
 */
function dummyInput(shape: readonly number[], dtype: DType): Tensor {
  if (dtype !== 'float32') return zeros([...shape], dtype);
  const size = shape.reduce((a, d) => a * d, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = ((i * 7919 + 13) % 997) / 997 + 0.001;
  return tensor(values, [...shape], 'float32');
}

/**
 * Runs the forward pass (`apply` with training false) of a built model once on dummy batches of
 * `batch` rows and records every op: its settings, shapes, and where each input comes from.
 * Constant operands are copied while their op runs, since literals are freed right after it;
 * those made by rule become ops (constant-rules.ts), as do the indices of the lookups the graph
 * can make (lookup-calls.ts), each 3-D convolution layer's parts one op
 * (volume-convolution-calls.ts), and each recurrent layer call's parts one op (recurrent-layer-calls.ts).
 */
export function traceForward(model: Layer, inputs: TracedInputs, batch: number): Trace {
  let trace: Trace | undefined;
  // Every tensor of the pass (the dummy inputs included) is freed; the trace holds copies.
  tidy(() => {
    const input = batchOf(inputs, batch, dummyInput);
    const dummies = Array.isArray(input) ? input : [input];
    const producedBy = new Map<Tensor, number>();
    const ops: TracedOp[] = [];
    const pushed = (op: TracedOp, t: Tensor): TracedSource => {
      ops.push(op);
      producedBy.set(t, ops.length - 1);
      return { kind: 'op', index: ops.length - 1 };
    };
    const sourceOf = (t: Tensor, layerPath: readonly string[]): TracedSource => {
      const index = producedBy.get(t);
      if (index !== undefined) return { kind: 'op', index };
      if (dummies.includes(t)) return { kind: 'input', index: dummies.indexOf(t) };
      if (t.isVariable) return { kind: 'variable', variable: t as Variable };
      const lookup = lookups.get(t);
      if (lookup) {
        const read = sourceOf(lookup.input, layerPath);
        return pushed({ name: 'integerLookup', attrs: lookup.attrs, inputs: [read], inputShapes: [[...lookup.input.shape]], shape: [...t.shape], dtype: t.dtype, layerPath, batch }, t);
      }
      const values = t.dataSync();
      const rule = ruleOf(t, values);
      if (!rule) return { kind: 'constant', dtype: t.dtype, shape: [...t.shape], values: values.slice() };
      return pushed({ ...rule, inputs: [{ kind: 'input', index: 0 }], inputShapes: [[...dummies[0]!.shape]], shape: [...t.shape], dtype: t.dtype, layerPath, batch }, t);
    };
    let lookups: ReadonlyMap<Tensor, LookupCall> = new Map();
    const returned: LayerOutput = watchingLookups(model, (calls) => {
      lookups = calls;
      return traceOps(() => model.apply(input, { training: false }), recordOp);
    });
    function recordOp(record: OpRecord): void {
      ops.push({
        name: record.name,
        attrs: record.attrs,
        inputs: record.inputs.map((t) => sourceOf(t, record.layerPath)),
        inputShapes: record.inputs.map((t) => [...t.shape]),
        shape: [...record.output.shape],
        dtype: record.output.dtype,
        layerPath: record.layerPath,
        batch,
      });
      producedBy.set(record.output, ops.length - 1);
    }
    const outputs = Array.isArray(returned) ? returned : [returned];
    trace = { batch, ops, outputs: outputs.map((t) => ({ source: sourceOf(t, []), shape: [...t.shape], dtype: t.dtype })) };
  });
  return fuseRecurrentLayers(model, fuseVolumeConvolutions(model, trace!));
}
