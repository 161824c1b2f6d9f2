import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { pad } from './pad.js';

/**
 * tf.signal.frame: the last axis of `signal` cut into frames of `frameLength` samples starting
 * every `frameStep`, giving [..., frames, frameLength]. Without padEnd only whole frames are
 * kept (1 + ⌊(samples − frameLength) / frameStep⌋, or none); with it, every start before the
 * end makes a frame (⌈samples / frameStep⌉), the missing samples being `padValue`. tfjs takes a
 * 1-D signal; leading axes are batch axes here, as TensorFlow's default axis −1 has them.
 * A gather of the (padded) signal, so overlapping frames add their gradients.
 */
export function frame(signal: TensorLike, frameLength: number, frameStep: number, padEnd = false, padValue = 0): Tensor {
  return withTensors('frame', [signal], (t) => {
    if (t.rank < 1) throw new Error(`frame: expected a signal of rank >= 1 (samples on the last axis), got shape ${formatShape(t.shape)}`);
    refuseBool('frame', t.dtype);
    for (const [name, v] of [['frameLength', frameLength], ['frameStep', frameStep]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`frame: ${name} must be a positive integer, got ${v}`);
    }
    if (typeof padValue !== 'number' || (t.dtype === 'int32' && !Number.isInteger(padValue))) {
      throw new Error(`frame: padValue must be a number (an integer for an int32 signal), got ${JSON.stringify(padValue)} for a ${t.dtype} signal`);
    }
    const samples = t.shape[t.rank - 1]!;
    const count = padEnd ? Math.ceil(samples / frameStep) : samples < frameLength ? 0 : 1 + Math.floor((samples - frameLength) / frameStep);
    const needed = count === 0 ? 0 : (count - 1) * frameStep + frameLength;
    const indices = new Int32Array(count * frameLength);
    for (let f = 0; f < count; f++) {
      for (let k = 0; k < frameLength; k++) indices[f * frameLength + k] = f * frameStep + k;
    }
    return tidy(() => {
      const padded = needed > samples ? pad(t, t.shape.map((_, i) => (i === t.rank - 1 ? [0, needed - samples] : [0, 0])), padValue) : t;
      return gather(padded, tensor(indices, [count, frameLength], 'int32'), t.rank - 1);
    });
  });
}
