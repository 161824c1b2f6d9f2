import type { RandomGenerator } from '../random/generator.js';
import { release, type Item } from './element.js';
import { type Stream, Wait } from './stream.js';

/**
 * TensorFlow's streaming shuffle: fill a buffer with `bufferSize` elements, then repeatedly
 * yield a uniformly chosen buffered element and put the next input element in its slot; once
 * the input runs out, drain the buffer the same way. An element can therefore come out at most
 * `bufferSize - 1` places earlier than it went in, and `bufferSize` ≥ the dataset size gives a
 * uniform permutation.
 */
export function* shuffleItems(input: Stream, bufferSize: number, random: RandomGenerator): Stream {
  // Every element is either in the buffer or handed downstream, never in between, so the
  // finally block frees exactly what is ours whether the consumer stops or the input throws.
  const buffer: Item[] = [];
  try {
    for (const item of input) {
      if (item instanceof Wait) {
        yield item;
        continue;
      }
      if (buffer.length < bufferSize) {
        buffer.push(item);
        continue;
      }
      const i = random.nextInt(bufferSize);
      const chosen = buffer[i]!;
      buffer[i] = item;
      yield chosen;
    }
    while (buffer.length > 0) {
      const i = random.nextInt(buffer.length);
      const chosen = buffer[i]!;
      buffer[i] = buffer[buffer.length - 1]!;
      buffer.pop();
      yield chosen;
    }
  } finally {
    for (const item of buffer) release(item);
  }
}
