import type { Callback, CallbackList, Logs } from '../callbacks/index.js';
import { checkFinite, limitSteps, toBatchSource, type BatchSource } from './batches.js';
import { callbackListFor } from './default-callbacks.js';
import { runExecutions } from './executions.js';
import type { Model } from './model.js';
import type { ModelTarget, SampleWeight } from './model-input.js';
import { checkOptions } from '../util/options.js';

export interface EvaluateOptions {
  /** Rows per batch for tensor inputs; default 32. */
  batchSize?: number;
  /** 0 silent, 1 progress bar. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Called at each stage of the run (see Callback); a History and, with verbose, a progress bar are added. */
  callbacks?: readonly Callback[];
  /** Batches to evaluate (Keras's steps); required for a dataset that never ends. Default: all. */
  steps?: number;
  /** A weight per sample for tensor inputs, for the loss and compile's weightedMetrics (see fit). */
  sampleWeight?: SampleWeight;
}

const EVALUATE_OPTIONS: Record<keyof EvaluateOptions, true> = { batchSize: true, verbose: true, callbacks: true, steps: true, sampleWeight: true };

/** One pass of testStep over `source`, with the test hooks; the final running logs. */
export async function testLoop(caller: string, model: Model, source: BatchSource, callbacks: CallbackList): Promise<Logs> {
  const compiled = model.requireCompiled(caller);
  model.resetMetrics();
  await callbacks.onTestBegin({});
  const { steps, logs } = await runExecutions(compiled, source.batches(), compiled.spec.stepsPerExecution, (batch) => model.testStep(...batch), {
    begin: (step) => callbacks.onTestBatchBegin(step, {}),
    end: (step, stepLogs) => callbacks.onTestBatchEnd(step, stepLogs),
  });
  if (steps === 0) throw new Error(`${caller}: the data yielded no batches`);
  await callbacks.onTestEnd(logs);
  return logs;
}

export async function runEvaluate(model: Model, x: unknown, y: ModelTarget | undefined, given: EvaluateOptions): Promise<number[]> {
  model.requireCompiled('evaluate');
  const options = checkOptions('evaluate', given, EVALUATE_OPTIONS);
  const all = toBatchSource('evaluate', x, y, options.sampleWeight, options.batchSize ?? 32, false);
  if (options.steps === undefined) checkFinite('evaluate', all, 'steps');
  const source = options.steps === undefined ? all : limitSteps('evaluate: steps', all, options.steps);
  const verbose = options.verbose ?? 1;
  const callbacks = callbackListFor(model, options.callbacks, verbose, null);
  callbacks.setParams({ epochs: 1, steps: source.steps, verbose });
  try {
    const logs = await testLoop('evaluate', model, source, callbacks);
    return model.metricsNames.map((name) => logs[name]!);
  } finally {
    await source.close?.();
  }
}
