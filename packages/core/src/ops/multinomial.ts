import { tidy } from '../engine/memory.js';
import { randomUniform } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { minimum } from './arithmetic.js';
import { cast } from './cast.js';
import { greaterEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { cumsum } from './cumsum.js';
import { sum } from './reduce.js';
import { expandDims, reshape } from './reshape.js';
import { softmax } from './softmax.js';

/**
 * tf.multinomial: `numSamples` outcome indices (int32) per row of `logits` [outcomes] or
 * [batch, outcomes], drawn with probabilities softmax(logits), or the rows themselves when
 * `normalized`. Inverse transform sampling, as tfjs's kernel: a uniform draw u from core's
 * seeded generator picks the first outcome whose cumulative probability exceeds it — the count
 * of cumulative probabilities ≤ u, capped at the last outcome for rows summing a little under 1.
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number, normalized = false): Tensor {
  const op = 'multinomial';
  numberArgument(op, 'numSamples', numSamples, POSITIVE_INTEGER);
  return withTensors(op, [logits], (input) => {
    if (input.dtype !== 'float32') throw new Error(`${op}: logits must be float32, got ${input.dtype}`);
    if (input.rank !== 1 && input.rank !== 2) throw new Error(`${op}: logits must be of rank 1 [outcomes] or 2 [batch, outcomes], got shape ${formatShape(input.shape)}`);
    const outcomes = input.shape[input.rank - 1]!;
    if (outcomes < 2) throw new Error(`${op}: expected at least 2 outcomes, got ${outcomes} (logits ${formatShape(input.shape)})`);
    return tidy(() => {
      const rows = reshape(input, [-1, outcomes]);
      const cumulative = expandDims(cumsum(normalized ? rows : softmax(rows), 1), 1);
      const u = randomUniform([rows.shape[0]!, numSamples, 1], 0, 1, 'float32', seed);
      const passed = sum(cast(greaterEqual(u, cumulative), 'int32'), 2);
      const samples = minimum(passed, outcomes - 1);
      return input.rank === 1 ? reshape(samples, [numSamples]) : samples;
    });
  });
}
