import '@perceptron/backend-naive';
import { describe, expect, it } from 'vitest';
import { PLAIN_BACKEND, PlainJsDriver } from '../src/plain-js-driver.js';
import { slowCellsNote, slowReason } from '../src/slow-cells.js';
import { getBackend, listBackends, setBackend } from '@perceptron/core';
import type { SimdBackend } from '@perceptron/backend-simd';
import { SIMD_ONE_THREAD, driverFor, registerBackends, selectSubjects } from '../src/subjects.js';

describe('selectSubjects', () => {
  it('puts the plain JS loop between our backends and tfjs, whatever --backends names', () => {
    const subjects = selectSubjects({ backends: ['naive'], stacks: ['tfjs', 'plain-js', 'perceptron'] });
    expect(subjects.map((s) => `${s.stack}/${s.backend}`)).toEqual(['perceptron/naive', `plain-js/${PLAIN_BACKEND}`]);
    expect(driverFor(subjects[1]!)).toBeInstanceOf(PlainJsDriver);
  });

  it('leaves the plain loop out unless its stack is asked for', () => {
    expect(selectSubjects({ backends: ['naive'], stacks: ['perceptron'] }).map((s) => s.stack)).toEqual(['perceptron']);
  });
});

describe('registerBackends', () => {
  it('registers simd-1-thread just below simd: the same backend on one thread, for a side-by-side row', async () => {
    const { simdThreads } = await registerBackends();
    await registerBackends();
    const names = listBackends().map((b) => b.name);
    expect(names.indexOf(SIMD_ONE_THREAD)).toBe(names.indexOf('simd') + 1);
    await setBackend(SIMD_ONE_THREAD);
    expect((getBackend() as SimdBackend).threads).toBe(1);
    await setBackend('simd');
    expect((getBackend() as SimdBackend).threads).toBe(simdThreads);
  });
});

describe('slowReason', () => {
  it('skips the wide MLP on the slow JS backends and the plain loop, nothing else', () => {
    expect(slowReason('wide', { stack: 'plain-js', backend: PLAIN_BACKEND }, 'train')).toBe('the wide MLP on the plain JS loop takes minutes per epoch; run with --all to include it');
    expect(slowReason('wide', { stack: 'perceptron', backend: 'naive' }, 'train')).toMatch(/^the wide MLP on naive takes minutes/);
    expect(slowReason('wide', { stack: 'tfjs', backend: 'tfjs-cpu' }, 'train')).toMatch(/^the wide MLP on tfjs-cpu takes minutes/);
    expect(slowReason('wide', { stack: 'tfjs', backend: 'tfjs-wasm' }, 'train')).toBeNull();
    expect(slowReason('lab', { stack: 'plain-js', backend: PLAIN_BACKEND }, 'train')).toBeNull();
  });

  it('skips the sequence LSTM on naive and tfjs-cpu for both stacks, not on simd or tfjs-wasm', () => {
    expect(slowReason('sequence', { stack: 'perceptron', backend: 'naive' }, 'train')).toBe('the sequence LSTM on naive takes minutes per epoch; run with --all to include it');
    expect(slowReason('sequence', { stack: 'tfjs', backend: 'tfjs-cpu' }, 'train')).toMatch(/^the sequence LSTM on tfjs-cpu takes minutes/);
    expect(slowReason('sequence', { stack: 'perceptron', backend: 'simd' }, 'train')).toBeNull();
    expect(slowReason('sequence', { stack: 'tfjs', backend: 'tfjs-wasm' }, 'train')).toBeNull();
    // The loop cannot build an LSTM at all; that reason is the driver's (plain-js-driver.ts), not a slow one.
    expect(slowReason('sequence', { stack: 'plain-js', backend: PLAIN_BACKEND }, 'train')).toBeNull();
  });

  it('skips predict with the LSTM and the CNN on naive and tfjs-cpu, and predict with the MLPs nowhere', () => {
    expect(slowReason('separable', { stack: 'perceptron', backend: 'naive' }, 'predict')).toBe(
      'predict with the separable CNN on naive takes 12–40 s per pass over the test images; run with --all to include it',
    );
    expect(slowReason('sequence', { stack: 'tfjs', backend: 'tfjs-cpu' }, 'predict')).toMatch(/^predict with the sequence LSTM on tfjs-cpu takes 12–40 s/);
    // Training the CNN on tfjs-wasm is slow, predicting with it is not.
    expect(slowReason('separable', { stack: 'perceptron', backend: 'tfjs-wasm' }, 'predict')).toBeNull();
    expect(slowReason('separable', { stack: 'perceptron', backend: 'tfjs-wasm' }, 'train')).not.toBeNull();
    expect(slowReason('wide', { stack: 'tfjs', backend: 'tfjs-cpu' }, 'predict')).toBeNull();
    expect(slowReason('wide', { stack: 'plain-js', backend: PLAIN_BACKEND }, 'predict')).toBeNull();
  });
});

describe('slowCellsNote', () => {
  it('names the slow cells of the selected workloads for training, and of every workload for predict', () => {
    expect(slowCellsNote(['lab'], 'train')).toBeNull();
    expect(slowCellsNote(['lab', 'sequence'], 'train')).toBe(
      'Training skipped by default (minutes per epoch, ~15–30 min per cell with repeats): the sequence LSTM on naive and tfjs-cpu. Run with --all to include them.',
    );
    expect(slowCellsNote(['lab', 'wide', 'sequence', 'separable'], 'predict')).toBe(
      'Predict skipped by default (12–40 s per pass, 1–3 min per cell with repeats): the sequence LSTM on naive and tfjs-cpu; the separable CNN on naive and tfjs-cpu. Run with --all to include them.',
    );
  });
});
