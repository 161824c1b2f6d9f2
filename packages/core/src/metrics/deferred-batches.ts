import { dispose, keep, tidy } from '../engine/memory.js';
import { concat } from '../ops/concat.js';
import { reshape } from '../ops/reshape.js';
import { stopGradient } from '../ops/stop-gradient.js';
import { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType } from '../types.js';

/** What a metric computes from one batch on the device: tensors, and the numbers and nulls that go with them. */
export type Batch = Record<string, Tensor | number | null>;

/** The values the batches' tensors hold, read from the device. */
export type ReadValues = Map<Tensor, DataArray>;

const tensorsIn = (batch: Batch): Tensor[] => Object.values(batch).filter((v): v is Tensor => v instanceof Tensor);

/**
 * The batches a metric computes on the device, and how their values reach its state on the host.
 * Read at once, a batch is read and added when it comes. While reads are deferred
 * (Metric.deferReads, for the steps of one execution), batches wait on the device and are read
 * together by `settle`, one read per dtype, oldest first.
 */
export class DeferredBatches<B extends Batch> {
  readonly #pending: B[] = [];

  /** `add` puts a batch, its tensors' values read, into the metric's state. */
  constructor(private readonly add: (batch: B, read: ReadValues) => void) {}

  /** Takes the batch `make` computes (inside tidy, which frees what else it makes). */
  take(deferred: boolean, make: () => B): void {
    if (!deferred) {
      // Batches left on the device come first, so the state adds up in the order the batches came.
      this.settle();
      tidy(() => {
        const batch = make();
        this.add(batch, readTogether(tensorsIn(batch)));
      });
      return;
    }
    // stopGradient's copies are the metric's own, never a tensor the caller holds.
    const batch = tidy(() => Object.fromEntries(Object.entries(make()).map(([key, v]) => [key, v instanceof Tensor ? stopGradient(v) : v])) as B);
    tensorsIn(batch).forEach((t) => keep(t));
    this.#pending.push(batch);
  }

  /** Reads the batches left on the device into the state, and frees them. */
  settle(): void {
    const pending = this.#pending.splice(0);
    if (pending.length === 0) return;
    try {
      const read = readTogether(pending.flatMap(tensorsIn));
      for (const batch of pending) this.add(batch, read);
    } finally {
      dispose(pending.flatMap(tensorsIn));
    }
  }

  /** Frees the batches left on the device without reading them (the state starts afresh). */
  discard(): void {
    dispose(this.#pending.splice(0).flatMap(tensorsIn));
  }
}

/**
 * The values of `tensors` with one read per dtype, so one wait on the device (or two) rather
 * than one per tensor: those of a dtype are joined on the device and read at once.
 */
function readTogether(tensors: readonly Tensor[]): ReadValues {
  const byDtype = new Map<DType, Tensor[]>();
  for (const t of tensors) byDtype.set(t.dtype, [...(byDtype.get(t.dtype) ?? []), t]);
  const read: ReadValues = new Map();
  for (const group of byDtype.values()) {
    if (group.length === 1) {
      read.set(group[0]!, group[0]!.dataSync());
      continue;
    }
    const joined = tidy(() => concat(group.map((t) => reshape(t, [-1]))));
    const all = joined.dataSync();
    joined.dispose();
    let offset = 0;
    for (const t of group) read.set(t, all.subarray(offset, (offset += t.size)));
  }
  return read;
}
