import { listBackends, type Backend } from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { NaiveBackend } from '../src/index.js';
import { backend, expectValues, input } from './helpers.js';

describe('storage', () => {
  it('names itself and computes in float32', () => {
    expect(backend.name).toBe('naive');
    expect(backend.floatPrecision).toBe(32);
  });

  it('upload copies, so the caller may reuse its array', () => {
    const values = new Float32Array([1, 2, 3]);
    const handle = backend.upload(values, [3], 'float32');
    values[0] = 99;
    expectValues(handle, [1, 2, 3]);
  });

  it('upload stores each dtype in its own array type', () => {
    expectValues(backend.upload(new Int32Array([-4, 5]), [2], 'int32'), [-4, 5], 'int32');
    expectValues(backend.upload(new Uint8Array([1, 0]), [2], 'bool'), [1, 0], 'bool');
  });

  it('read and readAsync return copies the caller owns', async () => {
    const x = input([1, 2], [2]);
    const synchronous = backend.read(x);
    synchronous[0] = 99;
    const asynchronous = await backend.readAsync(x);
    asynchronous[1] = 99;
    expectValues(backend.read(x), [1, 2]);
    expect(Array.from(synchronous)).toEqual([99, 2]);
    expect(Array.from(asynchronous)).toEqual([1, 99]);
  });

  it('disposeHandle accepts a handle and leaves other tensors intact', () => {
    const x = input([1, 2], [2]);
    const shared = backend.reshape(x, [1, 2]);
    backend.disposeHandle(x.handle);
    expectValues(shared, [1, 2]);
  });

  it('leaves the fused kernels to core', () => {
    const asBackend: Backend<unknown> = backend;
    expect(asBackend.softmax).toBeUndefined();
    expect(asBackend.logSoftmax).toBeUndefined();
    expect(asBackend.fusedMatMul).toBeUndefined();
  });

  it('registers itself with core on import, at priority 1', () => {
    const entry = listBackends().find((b) => b.name === 'naive');
    expect(entry).toMatchObject({ priority: 1, available: true });
    expect(new NaiveBackend().name).toBe('naive');
  });
});
