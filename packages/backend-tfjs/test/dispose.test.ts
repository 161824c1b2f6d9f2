import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend } from '../src/init.js';
import { NODE_BACKENDS } from './backends.js';

describe.each(NODE_BACKENDS)('disposing the tfjs %s adapter', (tfName) => {
  it("frees tfjs's backend and registers its factory again, so that the next adapter gets a fresh one", async () => {
    const first = await createTfjsBackend(`tfjs-${tfName}`, tfName);
    const tfjsBackend = tf.engine().findBackend(tfName);
    const { priority } = tf.engine().registryFactory[tfName]!;
    first.dispose();
    expect(tf.engine().registry[tfName]).toBeUndefined();
    expect(tf.engine().registryFactory[tfName]?.priority).toBe(priority);

    const second = await createTfjsBackend(`tfjs-${tfName}`, tfName);
    expect(tf.engine().findBackend(tfName)).not.toBe(tfjsBackend);
    const x = { handle: second.upload(new Float32Array([1, -2, 3]), [3], 'float32'), shape: [3], dtype: 'float32' } as const;
    const y = { handle: second.relu(x), shape: [3], dtype: 'float32' } as const;
    expect(Array.from(second.read(y))).toEqual([1, 0, 3]);
    second.disposeHandle(x.handle);
    second.disposeHandle(y.handle);
    second.dispose();
  });

  it('refuses, freeing nothing, while tfjs code outside the adapter holds a tensor on that backend', async () => {
    const adapter = await createTfjsBackend(`tfjs-${tfName}`, tfName);
    const tfjsBackend = tf.engine().findBackend(tfName);
    const outside = tf.tensor([1, 2]);
    expect(() => adapter.dispose()).toThrow(`tfjs's '${tfName}' backend still holds 1 tensor, made by tfjs code outside Perceptron`);
    expect(tf.engine().findBackend(tfName)).toBe(tfjsBackend);
    const still = { handle: adapter.upload(new Int32Array([5]), [1], 'int32'), shape: [1], dtype: 'int32' } as const;
    expect(Array.from(adapter.read(still))).toEqual([5]);
    adapter.disposeHandle(still.handle);
    outside.dispose();
  });
});
