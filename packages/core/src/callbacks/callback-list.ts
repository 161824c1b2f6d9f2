import type { Callback, Logs, TrainingParams } from './callback.js';

type Hook = {
  [K in keyof Callback]-?: NonNullable<Callback[K]> extends (...args: infer A) => infer R
    ? (R extends void | Promise<void> ? (A extends [] | [Logs?] | [number, Logs?] ? K : never) : never)
    : never;
}[keyof Callback];

/**
 * The callbacks of one `fit` / `evaluate` / `predict` call. Each hook runs on every callback in
 * order, awaiting any Promise before the next callback sees the event.
 */
export class CallbackList {
  readonly callbacks: Callback[];

  constructor(callbacks: Iterable<Callback> = [], options: { model?: unknown; params?: TrainingParams } = {}) {
    this.callbacks = [...callbacks];
    for (const [i, c] of this.callbacks.entries()) {
      if (c === null || typeof c !== 'object') throw new Error(`CallbackList: callback ${i} is ${c === null ? 'null' : typeof c}; expected an object with hooks`);
    }
    if (options.model !== undefined) this.setModel(options.model);
    if (options.params !== undefined) this.setParams(options.params);
  }

  append(callback: Callback): void {
    this.callbacks.push(callback);
  }

  setModel(model: unknown): void {
    for (const c of this.callbacks) c.setModel?.(model);
  }

  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams?.(params);
  }

  onTrainBegin(logs?: Logs): Promise<void> { return this.run('onTrainBegin', logs); }
  onTrainEnd(logs?: Logs): Promise<void> { return this.run('onTrainEnd', logs); }
  onEpochBegin(epoch: number, logs?: Logs): Promise<void> { return this.run('onEpochBegin', epoch, logs); }
  onEpochEnd(epoch: number, logs?: Logs): Promise<void> { return this.run('onEpochEnd', epoch, logs); }
  onBatchBegin(batch: number, logs?: Logs): Promise<void> { return this.run('onBatchBegin', batch, logs); }
  onBatchEnd(batch: number, logs?: Logs): Promise<void> { return this.run('onBatchEnd', batch, logs); }
  onTestBegin(logs?: Logs): Promise<void> { return this.run('onTestBegin', logs); }
  onTestBatchBegin(batch: number, logs?: Logs): Promise<void> { return this.run('onTestBatchBegin', batch, logs); }
  onTestBatchEnd(batch: number, logs?: Logs): Promise<void> { return this.run('onTestBatchEnd', batch, logs); }
  onTestEnd(logs?: Logs): Promise<void> { return this.run('onTestEnd', logs); }
  onPredictBegin(logs?: Logs): Promise<void> { return this.run('onPredictBegin', logs); }
  onPredictBatchBegin(batch: number, logs?: Logs): Promise<void> { return this.run('onPredictBatchBegin', batch, logs); }
  onPredictBatchEnd(batch: number, logs?: Logs): Promise<void> { return this.run('onPredictBatchEnd', batch, logs); }
  onPredictEnd(logs?: Logs): Promise<void> { return this.run('onPredictEnd', logs); }

  private async run(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
      if (fn) await fn.apply(c, args);
    }
  }
}
