import { tidy } from '../engine/memory.js';
import { div } from '../ops/arithmetic.js';
import type { Regularizer } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

/**
 * Numbers the outermost layer calls (the losses a forward pass adds belong to its number), holds
 * the losses added during the outermost call in progress (each nested call hands them out of its
 * scope), and says whether any layer has ever had a regularizer or added a loss: until one has,
 * `losses` is [] without walking the layers, which keeps a training step that uses none free of
 * the cost.
 */
const CALLS: { next: number; current: number; added: Tensor[]; anyLosses: boolean } = { next: 1, current: 0, added: [], anyLosses: false };

/** Starts a forward pass: an outermost call gets a new number. */
export function beginCall(outermost: boolean): void {
  if (outermost) CALLS.current = CALLS.next++;
}

/** Ends a forward pass: after the outermost call, its losses have been handed out. */
export function endCall(outermost: boolean): void {
  if (outermost) CALLS.added = [];
}

/** The losses added so far in the outermost call in progress, which a nested call's scope must keep. */
export function lossesOfCall(): Tensor[] {
  return CALLS.added;
}

/** Whether any layer has ever had a regularizer or added a loss (until then every `losses` is []). */
export function anyLosses(): boolean {
  return CALLS.anyLosses;
}

/**
 * One layer's extra losses, as Keras's `layer.losses` holds them: what `addLoss` got during the
 * layer's latest call, and the regularizers of its weights.
 */
export class LayerLosses {
  readonly #weightRegularizers = new Map<Variable, Regularizer>();
  /** What `add` was given during the outermost call numbered `#addedInCall`. */
  #added: Tensor[] = [];
  #addedInCall = 0;
  /** The outermost call the layer last ran in. */
  #lastCall = 0;

  /** The layer runs in the current forward pass. */
  called(): void {
    this.#lastCall = CALLS.current;
  }

  regularize(weight: Variable, regularizer: Regularizer): void {
    this.#weightRegularizers.set(weight, regularizer);
    CALLS.anyLosses = true;
  }

  /**
   * A loss of the layer's latest call; the first one added under a new call replaces those of
   * the call before.
   */
  add(loss: Tensor): void {
    if (this.#addedInCall !== this.#lastCall) {
      this.#added = [];
      this.#addedInCall = this.#lastCall;
    }
    this.#added.push(loss);
    CALLS.added.push(loss);
    CALLS.anyLosses = true;
  }

  /** The losses added during the layer's latest call, as long as those tensors live. */
  get added(): Tensor[] {
    return this.#addedInCall === this.#lastCall ? this.#added.filter((t) => !t.isDisposed) : [];
  }

  /** The penalty of each regularized weight among `trainable`, computed now. */
  penalties(trainable: ReadonlySet<Variable>): Tensor[] {
    return [...this.#weightRegularizers].filter(([weight]) => trainable.has(weight)).map(([weight, regularizer]) => regularizer.call(weight));
  }
}

/**
 * An activity regularizer's penalty on `output`, per sample (divided by the batch size) as
 * current Keras computes it, so its strength does not grow with the batch.
 */
export function activityPenalty(regularizer: Regularizer, output: Tensor): Tensor {
  return tidy(() => {
    const penalty = regularizer.call(output);
    const batch = output.rank > 0 ? output.shape[0]! : 1;
    return batch > 0 ? div(penalty, batch) : penalty;
  });
}
