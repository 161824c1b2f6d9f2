import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { ENGINE } from '../engine/engine.js';
import { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { allocate } from '../util/dtype.js';
import { sizeOf } from '../util/shape.js';

/** The tensors a gradient function may use: the op's inputs and its output. */
export interface SavedValues {
  /** The op's inputs, in the order it took them; the tape keeps them alive until it is done. */
  readonly inputs: readonly Tensor[];
  /** The op's output (the gradients of exp, sqrt and sigmoid are written with it). */
  readonly output: Tensor;
}

/**
 * An op's gradient, written with ops so that it can itself be recorded (higher-order
 * derivatives). Returns one gradient per input, shaped like that input, or null where the input
 * gets none. `needed[i]` says whether input i leads to a source at all: an expensive gradient
 * (a matrix product) may return null for the others instead of computing them.
 */
export type GradientFn = (dy: Tensor, saved: SavedValues, needed: readonly boolean[]) => readonly (Tensor | null)[];

export interface OpDefinition {
  /** Public name, used in errors and on tapes. */
  name: string;
  /** The op's tensor operands, in the order its kernel and its gradient take them. */
  inputs: readonly Tensor[];
  /** Output shape and dtype, already validated by the op. */
  shape: Shape;
  /** The output's dtype. */
  dtype: DType;
  /** The op's settings beyond its inputs (axes, perm, flags), as tracers and exporters see them. */
  attrs?: Readonly<Record<string, unknown>>;
  /** Computes the output on `backend`, returning its new storage handle. */
  kernel(backend: Backend): unknown;
  /**
   * The gradient; `'not-differentiable'` for ops whose output carries no gradient (argMax,
   * comparisons, stopGradient); omitted for an op that has no gradient registered, which makes
   * `tape.gradient` through it an error.
   */
  gradient?: GradientFn | 'not-differentiable';
}

/**
 * Runs one op: checks its inputs are alive and on the active backend, calls the kernel, wraps
 * the result in a tensor owned by the current tidy scope, and records the op on every tape that
 * is watching one of its inputs.
 */
export function runOp(op: OpDefinition): Tensor {
  const backend = getBackend();
  for (const input of op.inputs) {
    input.assertUsable(op.name);
    if (input.backend !== backend) {
      throw new Error(
        `${op.name}: an input lives on backend '${input.backend.name}' but the active backend is '${backend.name}'; move it with tensor(await x.data(), x.shape, x.dtype) first`,
      );
    }
  }
  // An empty result needs no computing, and some GPU kernels crash on empty textures.
  const handle = sizeOf(op.shape) === 0 ? backend.upload(allocate(op.dtype, 0), op.shape, op.dtype) : op.kernel(backend);
  const output = new Tensor(handle, op.shape, op.dtype, backend);
  if (ENGINE.observers.length > 0) {
    const record = { name: op.name, inputs: op.inputs, output, attrs: op.attrs ?? {}, layerPath: [...ENGINE.layerPath] };
    for (const observe of ENGINE.observers) observe(record);
  }
  if (ENGINE.tapes.length > 0 && op.gradient !== 'not-differentiable') {
    for (const tape of ENGINE.tapes) tape.recordOp(op.name, op.inputs, output, op.gradient);
  }
  return output;
}
