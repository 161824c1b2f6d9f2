import type { Logs } from '../callbacks/index.js';
import { dispose } from '../engine/memory.js';
import type { Batch } from './batches.js';
import type { CompiledState } from './compiled-state.js';

/** The batch hooks of one pass: fit's training batch hooks, or the test ones. */
export interface ExecutionHooks {
  /** Before an execution's first step, given that step's index. */
  begin(step: number): Promise<void>;
  /** After an execution's last step, given that step's index and its logs. */
  end(step: number, logs: Logs): Promise<void>;
  /** Asked after each execution: true ends the pass (fit's model.stopTraining). */
  stop?(): boolean;
}

/**
 * One pass of `step` over `batches`, `perExecution` steps at a time (compile's
 * stepsPerExecution), as Keras 3 runs them: the hooks run once per execution, and within one the
 * steps leave their losses and metrics on the device (CompiledState.deferReads), read when it
 * ends. Returns how many steps ran and the logs of the last.
 */
export async function runExecutions(compiled: CompiledState, batches: AsyncIterable<Batch>, perExecution: number, step: (batch: Batch) => Logs, hooks: ExecutionHooks): Promise<{ steps: number; logs: Logs }> {
  const deferring = perExecution > 1;
  let steps = 0;
  let logs: Logs = {};
  const endExecution = async (): Promise<void> => {
    if (deferring) {
      compiled.deferReads(false);
      // Read now: the next execution moves the running values on.
      logs = { ...logs };
    }
    await hooks.end(steps - 1, logs);
  };
  try {
    for await (const batch of batches) {
      try {
        if (steps % perExecution === 0) {
          await hooks.begin(steps);
          if (deferring) compiled.deferReads(true);
        }
        logs = step(batch);
      } finally {
        dispose(batch);
      }
      steps++;
      if (steps % perExecution === 0) {
        await endExecution();
        if (hooks.stop?.()) break;
      }
    }
    if (steps % perExecution !== 0) await endExecution();
  } finally {
    // A step that threw leaves the values of the steps before it to be read.
    if (deferring) compiled.deferReads(false);
  }
  return { steps, logs };
}
