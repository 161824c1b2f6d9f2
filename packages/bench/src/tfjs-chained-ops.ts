/**
 * The chained tensor methods that tfjs-layers' Orthogonal initializer calls
 * (`r.flatten().stridedSlice(…)`, `.sign()`, `.transpose()`, `.reshape()`): the default
 * recurrent initializer of its LSTM. The `@tensorflow/tfjs` package registers chained methods for
 * its users (register_all_chained_ops); with tfjs-core and tfjs-layers alone, as here, nothing
 * does, and building an LSTM fails with "rMat.flatten is not a function". Registering these
 * keeps tfjs's default initializer, the same as ours, rather than swapping it on both sides.
 * Each calls the op it names, as tfjs's own registration does.
 */
import * as tf from '@tensorflow/tfjs-core';

const CHAINED = {
  flatten(this: tf.Tensor): tf.Tensor {
    return tf.reshape(this, [this.size]);
  },
  reshape(this: tf.Tensor, shape: number[]): tf.Tensor {
    return tf.reshape(this, shape);
  },
  stridedSlice(this: tf.Tensor, begin: number[], end: number[], strides?: number[]): tf.Tensor {
    return tf.stridedSlice(this, begin, end, strides);
  },
  sign(this: tf.Tensor): tf.Tensor {
    return tf.sign(this);
  },
  transpose(this: tf.Tensor, perm?: number[]): tf.Tensor {
    return tf.transpose(this, perm);
  },
};

/** Adds the methods above to tfjs's Tensor where nothing has defined them; idempotent. */
export function registerChainedOpsForLayers(): void {
  const prototype = tf.Tensor.prototype as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(CHAINED)) {
    if (prototype[name] === undefined) prototype[name] = method;
  }
}
