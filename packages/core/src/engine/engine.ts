import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { GradientTape } from '../tape/gradient-tape.js';

/** One executed op, as `traceOps` reports it. */
export interface OpRecord {
  /** The op's public name, as in errors and on tapes (`matMul`, `conv2d`). */
  readonly name: string;
  /** The op's tensor operands in the order it takes them, literal arguments converted (and freed right after the op). */
  readonly inputs: readonly Tensor[];
  /** The tensor the op returned. */
  readonly output: Tensor;
  /** The op's settings beyond its inputs (axes, perm, padding); `{}` for an op that has none. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Names of the layers whose `apply` was running, outermost first (empty outside layers). */
  readonly layerPath: readonly string[];
}
export type OpObserver = (record: OpRecord) => void;

/**
 * Process-wide engine state: the tidy scopes that own new tensors, the tapes that are
 * recording, and the live-tensor counters behind `memory()`. Kept in one small object so the
 * hot path (creating a tensor, recording an op) touches as little as possible.
 */
class EngineState {
  nextTensorId = 0;
  numTensors = 0;
  numBytes = 0;
  /** Live tensors per backend, so that a backend is disposed only when none lives on it. */
  readonly tensorsOn = new Map<Backend, { live: number }>();
  /** The last backend counted and its count: nearly every tensor is on the same one, and a Map lookup per tensor costs ~5 % of a small op. */
  lastCounted: { backend: Backend; count: { live: number } } | null = null;
  /** Tidy scopes, innermost last; each lists the tensors created while it was innermost. */
  readonly scopes: Tensor[][] = [];
  /** Tapes inside their `record` call, outermost first. */
  readonly tapes: GradientTape[] = [];
  /** Functions told of every op as it runs (see `traceOps`). */
  readonly observers: OpObserver[] = [];
  /** Names of the layers being applied, outermost first, for the ops `traceOps` reports. */
  readonly layerPath: string[] = [];
}

export const ENGINE = new EngineState();

/** Counts a new tensor and hands it to the innermost tidy scope, if any. */
export function trackTensor(tensor: Tensor, bytes: number, inScope: boolean): void {
  ENGINE.numTensors++;
  ENGINE.numBytes += bytes;
  countOn(tensor.backend).live++;
  if (inScope) ENGINE.scopes[ENGINE.scopes.length - 1]?.push(tensor);
}

export function untrackTensor(tensor: Tensor, bytes: number): void {
  ENGINE.numTensors--;
  ENGINE.numBytes -= bytes;
  countOn(tensor.backend).live--;
}

function countOn(backend: Backend): { live: number } {
  const last = ENGINE.lastCounted;
  if (last?.backend === backend) return last.count;
  let count = ENGINE.tensorsOn.get(backend);
  if (!count) ENGINE.tensorsOn.set(backend, (count = { live: 0 }));
  ENGINE.lastCounted = { backend, count };
  return count;
}

/** How many tensors live on `backend`. */
export function liveTensorsOn(backend: Backend): number {
  return ENGINE.tensorsOn.get(backend)?.live ?? 0;
}

/** Drops `backend`'s count: disposeBackend found none live on it. */
export function forgetBackend(backend: Backend): void {
  ENGINE.tensorsOn.delete(backend);
  if (ENGINE.lastCounted?.backend === backend) ENGINE.lastCounted = null;
}

export function newTensorId(): number {
  return ENGINE.nextTensorId++;
}
