import type { RandomGenerator } from '../random/generator.js';
import { release, type Item } from './element.js';

/**
 * TensorFlow's streaming shuffle: fill a buffer with `bufferSize` elements, then repeatedly
 * yield a uniformly chosen buffered element and put the next input element in its slot; once
 * the input runs out, drain the buffer the same way. An element can therefore come out at most
 * `bufferSize - 1` places earlier than it went in, and `bufferSize` ≥ the dataset size gives a
 * uniform permutation.
 */
export function* shuffleItems(input: Iterator<Item>, bufferSize: number, random: RandomGenerator): Generator<Item> {
  const buffer: Item[] = [];
  let next: IteratorResult<Item> = { done: true, value: undefined };
  try {
    next = input.next();
    while (!next.done && buffer.length < bufferSize) {
      buffer.push(next.value);
      next = input.next();
    }
    while (buffer.length > 0) {
      const i = random.nextInt(buffer.length);
      const chosen = buffer[i];
      if (!next.done) {
        buffer[i] = next.value;
        next = input.next();
      } else {
        buffer[i] = buffer[buffer.length - 1];
        buffer.pop();
      }
      yield chosen;
    }
  } finally {
    // Reached early only when the consumer stops: the buffered elements are nobody's but ours.
    for (const item of buffer) release(item);
    if (!next.done) release(next.value);
    input.return?.();
  }
}
