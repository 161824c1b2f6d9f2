import type { Callback, Logs } from './callback.js';

/** Records every epoch's logs; `fit` returns it. Reusing one History across fits appends. */
export class History implements Callback {
  /** Each log key's value per epoch, in epoch order. */
  readonly history: Record<string, number[]> = {};
  /** The (0-based) epochs recorded by the latest fit. */
  epoch: number[] = [];

  onTrainBegin(): void {
    this.epoch = [];
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
