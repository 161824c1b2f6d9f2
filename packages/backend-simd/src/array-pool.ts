import type { NaiveHandle } from '@perceptron/backend-naive';

/**
 * Arrays of at most 16 floats (64 bytes) are left to V8, which makes them on its heap in ~0.1 µs;
 * a longer one takes ~0.6–1 µs for 17–512 floats and ~4 µs for 50 KB (measured on Node 20).
 */
export const MIN_LENGTH = 17;
/** Where a kernel gets its float32 output arrays (ArrayPool.float32): contents arbitrary, to be written in full. */
export type Float32Source = (length: number) => Float32Array;

/** At most this many free arrays of one length, and this many bytes in all, wait in the pool. */
export const MAX_PER_LENGTH = 64;
const MAX_BYTES = 256 * 1024 * 1024;

/**
 * Float32 arrays of disposed tensors, handed to the next kernel output of the same length.
 *
 * A training step allocates the same arrays every time. The large ones (a wide layer's
 * gradients, Adam's new weights and moments: ~12 MB a step for the 784-512-512-10 MLP), left to
 * V8, trigger a mark-compact every few steps, whose concurrent marking also takes the core the
 * helper threads compute on. The small ones are many (~100 a step for the lab's 784-16-32-10
 * MLP), and each new one costs about a microsecond: reused, the lab trains ~5 % faster. A step
 * holds dozens of arrays of one length at once (every [32, 10] value of the loss), hence the
 * allowance per length.
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
  /** The arrays in `free`: a second release of one must not give it to two outputs. */
  private readonly waiting = new Set<Float32Array>();
  private freeBytes = 0;

  /** A float32 array of `length` values with arbitrary contents, for an output written in full. */
  float32(length: number): Float32Array {
    const reused = length >= MIN_LENGTH ? this.free.get(length)?.pop() : undefined;
    if (!reused) return new Float32Array(length);
    this.waiting.delete(reused);
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
    if (this.freeBytes + handle.byteLength > MAX_BYTES || this.waiting.has(handle)) return;
    const list = this.free.get(handle.length) ?? [];
    if (list.length >= MAX_PER_LENGTH) return;
    list.push(handle);
    this.free.set(handle.length, list);
    this.waiting.add(handle);
    this.freeBytes += handle.byteLength;
  }

  /** Arrays waiting in the pool (for tests). */
  get stats(): { freeArrays: number; freeBytes: number } {
    let freeArrays = 0;
    for (const list of this.free.values()) freeArrays += list.length;
    return { freeArrays, freeBytes: this.freeBytes };
  }
}
