import { tidy } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { materialize, release } from './element.js';
import { type Stream, Wait } from './stream.js';

/** A predicate's answer: a boolean, or a bool scalar tensor as tf.data's predicates return. */
function truth(answer: unknown): boolean {
  if (typeof answer === 'boolean') return answer;
  if (answer instanceof Tensor && answer.dtype === 'bool' && answer.rank === 0) return answer.dataSync()[0] !== 0;
  const given = answer instanceof Tensor ? `a ${answer.dtype} tensor of shape ${formatShape(answer.shape)}` : describeValue(answer);
  throw new Error(`Dataset.filter: predicate must return a boolean or a bool scalar tensor, got ${given}`);
}

/** The items `predicate` accepts, unchanged; the others are dropped and freed. */
export function* filterItems<T>(input: Stream, predicate: (element: T) => unknown): Stream {
  for (const item of input) {
    if (item instanceof Wait) {
      yield item;
      continue;
    }
    const element = materialize(item);
    let accepted = false;
    try {
      // Inside `tidy`, so tensors the predicate makes (its answer included) are freed.
      accepted = tidy('Dataset.filter', () => truth(predicate(element.value as T)));
    } finally {
      // A lazy row was uploaded for the predicate alone: the row goes on, still lazy, so
      // `batch` can copy it straight from the source arrays.
      if (element !== item) release(element);
      if (!accepted) release(item);
    }
    if (accepted) yield item;
  }
}
