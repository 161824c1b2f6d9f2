import type { Backend } from '../backend/backend.js';
import { trackTensor, untrackTensor, newTensorId } from '../engine/engine.js';
import type { DataArray, DType, NestedArray, Shape } from '../types.js';
import { bytesPerElement } from '../util/dtype.js';
import { formatShape, sizeOf } from '../util/shape.js';

/**
 * The values a tape keeps for playing an op back. Several tapes may hold one tensor; when the
 * user disposes it while it is held, ownership passes to an internal copy with the same id and
 * storage, so the gradient can still run and the storage is freed once the last tape lets go.
 */
export class SavedTensor {
  holders = 0;
  constructor(public tensor: Tensor) {}
}

/**
 * An immutable n-dimensional array living on one backend. Create tensors with `tensor`,
 * `zeros`, ... and ops; free them with `dispose` or let `tidy` do it.
 */
export class Tensor {
  readonly id: number;
  readonly size: number;
  /** The backend's storage handle. Internal: use ops and `data()` instead. */
  handle: unknown;
  /** Set by `keep`: survives every enclosing `tidy`. */
  kept = false;
  /** Set while a tape holds this tensor for its gradient. Internal. */
  saved: SavedTensor | null = null;
  /** True for the copy that carries a tape's values after the user let go of the original. */
  private internalCopy = false;
  protected disposed = false;

  constructor(
    handle: unknown,
    readonly shape: Shape,
    readonly dtype: DType,
    /** The backend that owns `handle`. */
    readonly backend: Backend,
    options: { id?: number; inScope?: boolean } = {},
  ) {
    this.handle = handle;
    this.size = sizeOf(shape);
    this.id = options.id ?? newTensorId();
    trackTensor(this, this.size * bytesPerElement(dtype), options.inScope ?? true);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** True for `Variable`s, which tapes watch automatically when trainable. */
  get isVariable(): boolean {
    return false;
  }

  /** Throws if the tensor can no longer be used; `context` names the op or method. */
  assertUsable(context: string): void {
    if (this.disposed) {
      throw new Error(`${context}: tensor ${this.id} (shape ${formatShape(this.shape)}, ${this.dtype}) has been disposed`);
    }
  }

  /** The values, row-major, as a typed array the caller owns. Blocks on GPU backends. */
  dataSync(): DataArray {
    this.assertUsable('dataSync');
    return this.backend.read(this);
  }

  /** The values, row-major, without blocking the thread. */
  data(): Promise<DataArray> {
    this.assertUsable('data');
    return this.backend.readAsync(this);
  }

  /** The values as nested arrays (numbers; 0/1 for bool). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** Frees the tensor's storage. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    untrackTensor(this, this.size * bytesPerElement(this.dtype));
    if (!this.handOverToTape()) this.backend.disposeHandle(this.handle);
  }

  /**
   * If a tape still holds these values, moves the current storage to an internal copy with the
   * same id (so outer tapes still see the same tensor) and returns true; the caller must then
   * not free the storage.
   */
  protected handOverToTape(): boolean {
    const saved = this.saved;
    this.saved = null;
    if (!saved || saved.holders === 0) return false;
    const copy = new Tensor(this.handle, this.shape, this.dtype, this.backend, { id: this.id, inScope: false });
    copy.internalCopy = true;
    copy.saved = saved;
    saved.tensor = copy;
    return true;
  }

  /** Called by the tape when it no longer needs this tensor's values. */
  releasedByTape(): void {
    this.saved = null;
    if (this.internalCopy) this.dispose();
  }

  toString(): string {
    const values = this.disposed ? '<disposed>' : JSON.stringify(this.arraySync());
    return `Tensor(${values}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

/** Lets a tape keep `tensor` alive for its gradient. */
export function holdTensor(tensor: Tensor): SavedTensor {
  const saved = tensor.saved ?? (tensor.saved = new SavedTensor(tensor));
  saved.holders++;
  return saved;
}

/** The tape no longer needs the values; frees them if the user disposed the tensor already. */
export function releaseTensor(saved: SavedTensor): void {
  saved.holders--;
  if (saved.holders === 0) saved.tensor.releasedByTape();
}

function nest(values: DataArray, shape: Shape): NestedArray {
  if (shape.length === 0) return values[0]!;
  const build = (offset: number, dim: number): NestedArray[] => {
    const size = shape[dim]!;
    if (dim === shape.length - 1) return Array.from(values.subarray(offset, offset + size));
    const stride = sizeOf(shape.slice(dim + 1));
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, dim + 1));
  };
  return build(0, 0);
}
