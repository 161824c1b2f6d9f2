import type { Backend } from '../backend/backend.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from './tensor.js';

export interface VariableOptions {
  /** Watched automatically by gradient tapes and updated by optimizers. Default true. */
  trainable?: boolean;
  /** Shown in errors and in saved weights' names. Default: a unique 'Variable_N'. */
  name?: string;
}

let unnamed = 0;

/**
 * A mutable tensor: its values change with `assign`, its identity (id, name) does not.
 * Variables are not owned by `tidy` scopes; free them with `dispose()`.
 */
export class Variable extends Tensor {
  trainable: boolean;
  readonly name: string;

  constructor(initialValue: Tensor, options: VariableOptions = {}) {
    initialValue.assertUsable('Variable');
    super(shareStorage(initialValue), initialValue.shape, initialValue.dtype, initialValue.backend, { inScope: false });
    this.trainable = options.trainable ?? true;
    this.name = options.name ?? `Variable_${unnamed++}`;
  }

  override get isVariable(): boolean {
    return true;
  }

  /** Replaces the values. The new value must have the variable's shape and dtype. */
  assign(value: Tensor): this {
    this.assertUsable(`assign to '${this.name}'`);
    value.assertUsable(`assign to '${this.name}'`);
    if (!shapesEqual(value.shape, this.shape) || value.dtype !== this.dtype) {
      throw new Error(
        `assign to '${this.name}': expected a ${this.dtype} tensor of shape ${formatShape(this.shape)}, got ${value.dtype} ${formatShape(value.shape)}`,
      );
    }
    if (value.backend !== this.backend) {
      throw new Error(`assign to '${this.name}': the value lives on backend '${value.backend.name}', the variable on '${this.backend.name}'`);
    }
    const next = shareStorage(value);
    if (!this.handOverToTape()) this.backend.disposeHandle(this.handle);
    this.handle = next;
    return this;
  }

  override toString(): string {
    return `Variable '${this.name}' (trainable=${this.trainable}): ${super.toString()}`;
  }
}

/** A new handle onto the same values (backends share storage on reshape). */
function shareStorage(tensor: Tensor): unknown {
  const backend: Backend = tensor.backend;
  return backend.reshape(tensor, tensor.shape);
}
