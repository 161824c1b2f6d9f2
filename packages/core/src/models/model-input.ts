import { dispose } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';

/**
 * What a model takes as x: one tensor, or a list of them for a model of several inputs (a
 * functional model made with `inputs: [a, b]`), as Keras's x. Samples run along the first
 * dimension of each.
 */
export type ModelInput = Tensor | readonly Tensor[];

/** What a model is trained towards, as Keras's y: one tensor, or a list of them, one per output, for a model of several outputs. */
export type ModelTarget = Tensor | readonly Tensor[];

/** Whether `x` is a tensor or a non-empty list of tensors (x or y). */
export function isTensorOrList(x: unknown): x is ModelInput {
  return x instanceof Tensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof Tensor));
}

export function tensorsOf(x: ModelInput): readonly Tensor[] {
  return x instanceof Tensor ? [x] : x;
}

/** The number of samples: the first dimension (of each tensor, which agree once checked). */
export function samplesIn(x: ModelInput): number {
  return tensorsOf(x)[0]!.shape[0]!;
}

/** `rows` applied to each tensor of x, keeping its form. */
export function mapTensors(x: ModelInput, rows: (t: Tensor) => Tensor): ModelInput {
  return x instanceof Tensor ? rows(x) : x.map(rows);
}

/** `[32,784]`, or `[[32,784], [32,10]]` for a list. */
export function describeTensors(x: ModelInput): string {
  return x instanceof Tensor ? formatShape(x.shape) : `[${x.map((t) => formatShape(t.shape)).join(', ')}]`;
}

/** Frees every tensor of x except those in `kept`. */
export function disposeTensors(x: ModelInput, kept: readonly Tensor[] = []): void {
  dispose(tensorsOf(x).filter((t) => !kept.includes(t)));
}

/**
 * x, checked: a live tensor, or a non-empty list of them, each with a batch dimension, all with
 * as many samples. `alternative` names what else the caller takes (a Dataset), for the error.
 */
export function checkModelInput(caller: string, x: unknown, alternative?: string): ModelInput {
  if (!isTensorOrList(x)) {
    const given = Array.isArray(x) ? (x.length === 0 ? 'an empty list' : 'a list with non-tensors') : typeof x;
    throw new Error(`${caller}: expected x to be a Tensor (a list of Tensors for a model of several inputs)${alternative ? ` or ${alternative}` : ''}, got ${given}`);
  }
  const tensors = tensorsOf(x);
  for (const t of tensors) t.assertUsable(caller);
  if (tensors.some((t) => t.rank === 0)) throw new Error(`${caller}: expected x with a batch dimension, got a scalar`);
  if (tensors.some((t) => t.shape[0] !== tensors[0]!.shape[0])) {
    throw new Error(`${caller}: expected the tensors of x to have the same number of samples, got ${describeTensors(x)}`);
  }
  return x;
}
