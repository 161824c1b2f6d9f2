import { describe, expect, it } from 'vitest';
import { tidy } from '../src/index.js';

describe('tidy given an async function', () => {
  it('throws at once, and the rejected promise it dropped does not also surface as unhandled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      expect(() => tidy('step', (async () => { throw new Error('async boom'); }) as never)).toThrow('step: the function returned a Promise; tidy only works with synchronous functions');
      // Unhandled rejections are reported once the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
