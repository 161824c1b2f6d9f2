import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackend } from '../src/tfjs-backend.js';
import { NODE_BACKENDS, backendFor } from './backends.js';
import { ABSENT_KERNELS, CASES } from './cases.js';
import { upload } from './helpers.js';

describe.each(NODE_BACKENDS)('tfjs %s leaks no tfjs tensor', (tfName) => {
  let backend: TfjsBackend;
  beforeAll(async () => {
    backend = await backendFor(tfName);
  });

  it('when every kernel runs and every handle is disposed', () => {
    // Activate the adapter's tfjs backend first: tf.memory() asks the active one.
    backend.disposeHandle(backend.upload(new Float32Array(1), [1], 'float32'));
    const start = tf.memory().numTensors;
    for (const { title, inputs, run } of CASES.filter((c) => !ABSENT_KERNELS[tfName].includes(c.kernel))) {
      const xs = inputs.map((v) => upload(backend, v));
      const out = run(backend, xs);
      // A kernel returning its input would have it disposed twice by core.
      expect(xs.some((x) => x.handle === out), `${title} returned an input handle`).toBe(false);
      for (const t of [out, ...xs.map((x) => x.handle)]) backend.disposeHandle(t);
      expect(tf.memory().numTensors, `${title} leaked`).toBe(start);
    }
  });
});
