import type { Callback } from '@perceptron/core';

/**
 * Counts training steps and their time, from the first batch of an epoch to its last: the
 * validation pass after each epoch is left out, so ms/step compares across validation sizes.
 */
export function stepTimer(): { callback: Callback; msPerStep(): number } {
  let [epochStart, lastBatchEnd, totalMs, steps] = [0, 0, 0, 0];
  return {
    callback: {
      onEpochBegin: () => {
        epochStart = performance.now();
      },
      onBatchEnd: () => {
        steps++;
        lastBatchEnd = performance.now();
      },
      onEpochEnd: () => {
        totalMs += lastBatchEnd - epochStart;
      },
    },
    msPerStep: () => totalMs / steps,
  };
}
