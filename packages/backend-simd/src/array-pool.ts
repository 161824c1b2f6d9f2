import type { NaiveHandle } from '@perceptron/backend-naive';

/** Arrays shorter than this (256 KB) are left to the garbage collector: pooling them did not pay. */
const MIN_LENGTH = 65536;
/** At most this many free arrays of one length, and this many bytes in all, wait in the pool. */
const MAX_PER_LENGTH = 8;
const MAX_BYTES = 256 * 1024 * 1024;

/**
 * Large float32 arrays of disposed tensors, handed to the next kernel output of the same length.
 *
 * A training step allocates the same large arrays every time (a wide layer's gradients, Adam's
 * new weights and moments: ~12 MB a step for the 784-512-512-10 MLP). Left to V8, that churn
 * triggers a mark-compact every few steps, whose concurrent marking also takes the core the
 * helper threads compute on. Reused, the arrays stop being garbage.
 *
 * An array is free once every tensor holding it is disposed. Tensors share an array only
 * through `reshape` (naive storage: "handles are never written after a kernel returns them,
 * so two tensors may share one"), so `shared` counts those extra owners and `release`, called
 * from `disposeHandle`, frees the array when the last one goes. Kernels take arrays with
 * `float32` only for outputs they overwrite completely: a pooled array holds old values.
 */
export class ArrayPool {
  // Weak: an array whose tensors are dropped undisposed must still be garbage-collectable.
  private readonly extraOwners = new WeakMap<NaiveHandle, number>();
  private readonly free = new Map<number, Float32Array[]>();
  private freeBytes = 0;

  /** A float32 array of `length` values with arbitrary contents, for an output written in full. */
  float32(length: number): Float32Array {
    const reused = length >= MIN_LENGTH ? this.free.get(length)?.pop() : undefined;
    if (!reused) return new Float32Array(length);
    this.freeBytes -= reused.byteLength;
    return reused;
  }

  /** One more tensor holds `handle` (reshape gave it out again). */
  shared(handle: NaiveHandle): void {
    if (handle.length >= MIN_LENGTH) this.extraOwners.set(handle, (this.extraOwners.get(handle) ?? 0) + 1);
  }

  /** A tensor holding `handle` was disposed: the array is free once no other tensor holds it. */
  release(handle: NaiveHandle): void {
    if (handle.length < MIN_LENGTH) return;
    const extra = this.extraOwners.get(handle);
    if (extra !== undefined) {
      if (extra === 1) this.extraOwners.delete(handle);
      else this.extraOwners.set(handle, extra - 1);
      return;
    }
    // Only whole arrays: a view into a larger buffer would hand out memory someone else owns.
    if (!(handle instanceof Float32Array) || handle.byteLength !== handle.buffer.byteLength) return;
    if (this.freeBytes + handle.byteLength > MAX_BYTES) return;
    const list = this.free.get(handle.length) ?? [];
    // A second release of the same array would give it to two outputs.
    if (list.length >= MAX_PER_LENGTH || list.includes(handle)) return;
    list.push(handle);
    this.free.set(handle.length, list);
    this.freeBytes += handle.byteLength;
  }

  /** Arrays waiting in the pool (for tests). */
  get stats(): { freeArrays: number; freeBytes: number } {
    let freeArrays = 0;
    for (const list of this.free.values()) freeArrays += list.length;
    return { freeArrays, freeBytes: this.freeBytes };
  }
}
