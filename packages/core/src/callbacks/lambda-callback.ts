import type { Callback } from './callback.js';

// The declaration merge gives the class every optional hook of Callback.
export interface LambdaCallback extends Callback {}

/**
 * A callback from functions: `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`.
 * (A plain object with hooks is already a Callback; this names it for readers coming from Keras.)
 */
export class LambdaCallback {
  constructor(hooks: Callback) {
    Object.assign(this, hooks);
  }
}
