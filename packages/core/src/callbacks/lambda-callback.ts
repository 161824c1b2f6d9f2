import type { Callback } from './callback.js';

/**
 * A callback from functions: `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`.
 * (A plain object with hooks is already a Callback; this names it for readers coming from Keras.)
 * The instance carries exactly the hooks it was given, so it is typed as a Callback.
 */
export const LambdaCallback = class LambdaCallback {
  constructor(hooks: Callback) {
    Object.assign(this, hooks);
  }
} as new (hooks: Callback) => Callback;
