import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/backend.js';
import { getBackend, listBackends, registerBackend, setBackend } from '../src/backend/registry.js';

// Registry behaviour needs no kernels: a bare object stands in for a backend.
const fakeBackend = (name: string) => ({ name, floatPrecision: 32 }) as unknown as Backend;

describe('backend registry', () => {
  it('lists backends by priority with availability and the reason for unavailable ones', () => {
    registerBackend('test-low', { create: () => fakeBackend('test-low'), priority: -10 });
    registerBackend('test-missing', { create: () => fakeBackend('test-missing'), priority: -5, unavailableReason: () => 'needs a GPU' });
    const listed = listBackends().filter((b) => b.name.startsWith('test-'));
    expect(listed.map((b) => [b.name, b.available, b.reason])).toEqual([
      ['test-missing', false, 'needs a GPU'],
      ['test-low', true, null],
    ]);
  });

  it('rejects an unknown backend, listing the registered ones', async () => {
    await expect(setBackend('no-such-backend')).rejects.toThrow(/unknown backend 'no-such-backend'. Registered backends: .*test-low/);
  });

  it('refuses an unavailable backend with its reason', async () => {
    await expect(setBackend('test-missing')).rejects.toThrow("backend 'test-missing' is not available here: needs a GPU");
  });

  it('makes ops wait for an async backend: getBackend throws until setBackend resolves', async () => {
    let resolve!: (b: Backend) => void;
    registerBackend('test-slow', { create: () => new Promise<Backend>((r) => (resolve = r)) });
    const pending = setBackend('test-slow');
    expect(() => getBackend()).toThrow("Backend 'test-slow' is still initialising: await setBackend('test-slow') before running ops");
    resolve(fakeBackend('test-slow'));
    await pending;
    expect(getBackend().name).toBe('test-slow');
  });
});
