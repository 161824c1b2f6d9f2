import { tidy } from '../engine/memory.js';
import { zeros } from '../ops/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { inDryRun } from './dry-run.js';

/** What a stateful recurrent layer tells its CarriedStates about itself. */
export interface CarrierOf {
  /** How errors name the layer: `LSTM 'encoder'`. */
  readonly label: () => string;
  /** The layer's name, which names the states' Variables (`encoder/state_h`). */
  readonly name: string;
  /** The states' names, in the order the layer takes them ([h, c]). */
  readonly names: () => readonly string[];
  /** The states' shapes for batches of `batch`, or null while the layer cannot tell (unbuilt). */
  readonly shapesFor: (batch: number) => Shape[] | null;
}

/**
 * The states a stateful recurrent layer (Keras's `stateful: true`) carries from one call to the
 * next: each call starts from the final states of the call before, sample i of a batch from
 * sample i of the batch before, so the batch size is fixed (by the batch the layer is declared or
 * applied to symbolically, else by its first call). They live in non-trainable Variables the
 * layer owns, outside its weights as in Keras 3 and tfjs-layers (not saved, not loaded): tidy
 * never frees them, and a tape never watches them, so no gradient flows into the call before.
 * A dry run (see dry-run.ts) neither reads nor moves them.
 */
export class CarriedStates {
  #batch: number | null = null;
  #states: Variable[] | null = null;

  constructor(private readonly layer: CarrierOf) {}

  /** The fixed batch size, or null until a call or a declared shape fixes it. */
  get batch(): number | null {
    return this.#batch;
  }

  /** The states the next call starts from, or null before the first call (it starts from zeros). */
  get states(): readonly Variable[] | null {
    return this.#states;
  }

  /** Fixes the batch size at `batch` (null: unknown, nothing to fix); throws if another one is fixed. `seen` tells where `batch` comes from. */
  fixBatch(batch: number | null, seen: string): void {
    if (batch === null) return;
    if (this.#batch === null) this.#batch = batch;
    if (batch !== this.#batch) {
      throw new Error(
        `${this.layer.label()}: stateful, so its batch size is fixed at ${this.#batch} (sample i of a batch continues sample i of the batch before), got ${seen} of batch size ${batch}; `
        + `give it batches of ${this.#batch} (fit, evaluate and predict with batchSize ${this.#batch} on a sample count that is a multiple of it)`,
      );
    }
  }

  /**
   * At the start of a call on a batch of `batch`: the states to start from (zeros at the first
   * call), or null in a dry run, when the call neither reads nor stores them.
   */
  begin(batch: number): readonly Tensor[] | null {
    if (inDryRun()) return null;
    this.fixBatch(batch, 'inputs');
    this.#states ??= this.#zeros(this.#shapes()!);
    return this.#states;
  }

  /** At the end of a call that `begin` started (not null): its final states become the next call's. */
  store(states: readonly Tensor[]): void {
    this.#states!.forEach((v, i) => v.assign(states[i]!));
  }

  /**
   * Back to zeros, or to `values` (one tensor per state, each of its shape), which the next call
   * starts from. Given values need the layer's batch size, and its state shapes, to be known.
   */
  reset(values?: Tensor | readonly Tensor[]): void {
    const label = `${this.layer.label()}.resetStates`;
    if (values === undefined) {
      this.#states?.forEach((v) => tidy(() => void v.assign(zeros(v.shape, v.dtype))));
      return;
    }
    const list = values instanceof Tensor ? [values] : [...values];
    const names = this.layer.names();
    const shapes = this.#shapes();
    if (!shapes) throw new Error(`${label}: the layer's batch size and state shapes are not known yet; call it on a batch (or declare its batch size) before giving it states`);
    if (list.length !== names.length || !list.every((s) => s instanceof Tensor)) {
      throw new Error(`${label}: expected ${names.length} state tensor${names.length === 1 ? '' : 's'} (${names.join(', ')}), got ${list.length === names.length ? 'a value that is not a tensor' : list.length}`);
    }
    list.forEach((s, i) => {
      s.assertUsable(label);
      if (!shapesEqual(s.shape, shapes[i]!) || s.dtype !== 'float32') {
        throw new Error(`${label}: expected state ${names[i]} as a float32 tensor of shape ${formatShape(shapes[i]!)}, got ${s.dtype} ${formatShape(s.shape)}`);
      }
    });
    this.#states ??= this.#zeros(shapes);
    this.store(list);
  }

  /** Frees the states; the layer's next call starts from zeros again. */
  dispose(): void {
    this.#states?.forEach((v) => v.dispose());
    this.#states = null;
  }

  #shapes(): Shape[] | null {
    return this.#batch === null ? null : this.layer.shapesFor(this.#batch);
  }

  #zeros(shapes: readonly Shape[]): Variable[] {
    const names = this.layer.names();
    return shapes.map((shape, i) => {
      const value = tidy(() => zeros(shape));
      try {
        return new Variable(value, { name: `${this.layer.name}/state_${names[i]!.replace(/ /g, '_')}`, trainable: false });
      } finally {
        value.dispose();
      }
    });
  }
}

/** A layer's carried states, or the error `caller` gets on a layer that is not stateful. */
export function statefulOnly(carried: CarriedStates | null, label: string, caller = 'resetStates'): CarriedStates {
  if (!carried) throw new Error(`${label}.${caller}: the layer is not stateful, so it keeps no states between calls; build it with stateful: true`);
  return carried;
}
