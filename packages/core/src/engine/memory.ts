import { Tensor } from '../tensor/tensor.js';
import { ENGINE } from './engine.js';
import { isPlainObject } from '../util/plain-object.js';

/** Anything that may hold tensors: a tensor, or arrays and plain objects of them. */
export type TensorContainer = Tensor | null | undefined | void | number | string | boolean
  | readonly TensorContainer[] | { readonly [key: string]: TensorContainer };

/** Calls `visit` on every tensor inside `container`. */
export function forEachTensor(container: unknown, visit: (t: Tensor) => void): void {
  if (container instanceof Tensor) visit(container);
  else if (Array.isArray(container)) for (const item of container) forEachTensor(item, visit);
  else if (isPlainObject(container)) {
    for (const item of Object.values(container)) forEachTensor(item, visit);
  }
}

/**
 * Runs `fn` and disposes every tensor it created, except those it returns (which move to the
 * enclosing scope) and those passed to `keep`. Variables are never disposed by tidy. `fn` must
 * be synchronous.
 */
export function tidy<T extends TensorContainer>(fn: () => T): T;
export function tidy<T extends TensorContainer>(name: string, fn: () => T): T;
export function tidy<T extends TensorContainer>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const fn = typeof nameOrFn === 'function' ? nameOrFn : maybeFn;
  const name = typeof nameOrFn === 'string' ? nameOrFn : 'tidy';
  if (typeof fn !== 'function') throw new Error(`${name}: expected a function, got ${typeof fn}`);
  const scope: Tensor[] = [];
  ENGINE.scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) {
      // The caller gets this error instead; the promise's own rejection must not also end the process.
      result.catch(() => {});
      throw new Error(`${name}: the function returned a Promise; tidy only works with synchronous functions`);
    }
  } catch (error) {
    ENGINE.scopes.pop();
    for (const t of scope) if (!t.kept) t.dispose();
    throw error;
  }
  ENGINE.scopes.pop();
  const returned = new Set<Tensor>();
  forEachTensor(result, (t) => returned.add(t));
  const parent = ENGINE.scopes[ENGINE.scopes.length - 1];
  for (const t of scope) {
    if (t.isDisposed || t.kept) continue;
    if (returned.has(t)) parent?.push(t);
    else t.dispose();
  }
  return result;
}

/**
 * Runs `fn` with no tidy scope active, so what it creates belongs to the caller alone, whatever
 * scopes surround the call: a layer's `build` makes state that lives as long as the layer, even
 * when the layer is first built inside a tidy (or inside its parent's `apply`).
 */
export function outsideScopes<T>(fn: () => T): T {
  const active = ENGINE.scopes.splice(0);
  try {
    return fn();
  } finally {
    ENGINE.scopes.push(...active);
  }
}

/** Keeps `tensor` alive through every enclosing `tidy`. */
export function keep<T extends Tensor>(tensor: T): T {
  tensor.kept = true;
  return tensor;
}

/** Disposes every tensor in `container`. */
export function dispose(container: TensorContainer): void {
  forEachTensor(container, (t) => t.dispose());
}

export interface MemoryInfo {
  /** Live tensors, variables included, on every backend. */
  numTensors: number;
  /** Bytes held by live tensors (4 per float32/int32 element, 1 per bool). */
  numBytes: number;
}

/** How many tensors are alive (variables included) and the bytes they hold, on every backend: what a `tidy` that frees everything leaves unchanged. */
export function memory(): MemoryInfo {
  return { numTensors: ENGINE.numTensors, numBytes: ENGINE.numBytes };
}
