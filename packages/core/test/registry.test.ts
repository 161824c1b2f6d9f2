import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/backend.js';
import { disposeBackend, getBackend, getBackendName, listBackends, registerBackend, setBackend } from '../src/backend/registry.js';
import { Tensor } from '../src/tensor/tensor.js';

// Registry behaviour needs no kernels: a bare object stands in for a backend.
const fakeBackend = (name: string) => ({ name, floatPrecision: 32, disposeHandle() {} }) as unknown as Backend;

/** A registration that counts the backends it creates and their dispose calls, and can refuse to be disposed. */
function countingRegistration(name: string) {
  const counts = { created: 0, disposed: 0, refuse: false };
  registerBackend(name, {
    create: () => {
      counts.created++;
      return Object.assign(fakeBackend(name), {
        dispose() {
          if (counts.refuse) throw new Error('still busy');
          counts.disposed++;
        },
      });
    },
  });
  return counts;
}

/** A one-element tensor on `backend`, as an op's output would be. */
const tensorOn = (backend: Backend) => new Tensor(null, [1], 'float32', backend, { inScope: false });

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

  describe('disposeBackend', () => {
    it('refuses while tensors live on the backend, naming how many, and leaves it active and undisposed', async () => {
      const counts = countingRegistration('test-held');
      const backend = await setBackend('test-held');
      const held = [tensorOn(backend), tensorOn(backend)];
      expect(() => disposeBackend('test-held')).toThrow(
        "disposeBackend: 2 tensors (variables included) still live on backend 'test-held': dispose them (or the models holding them) first",
      );
      expect(counts.disposed).toBe(0);
      expect(getBackend()).toBe(backend);
      held[0]!.dispose();
      expect(() => disposeBackend('test-held')).toThrow("1 tensor (variables included) still live on backend 'test-held'");
      held[1]!.dispose();
      disposeBackend('test-held');
      expect(counts.disposed).toBe(1);
    });

    it('leaves no backend active after disposing the active one, and setBackend creates it afresh', async () => {
      const counts = countingRegistration('test-fresh');
      const first = await setBackend('test-fresh');
      disposeBackend('test-fresh');
      expect(getBackendName()).toBeNull();
      expect(() => getBackend()).toThrow('No backend is set: call await setBackend(name) first');
      expect(listBackends().find((b) => b.name === 'test-fresh')?.initialized).toBe(false);
      const second = await setBackend('test-fresh');
      expect(second).not.toBe(first);
      expect(counts).toEqual({ created: 2, disposed: 1, refuse: false });
      // Tensors of one instance do not count against the next.
      tensorOn(second).dispose();
      disposeBackend('test-fresh');
      expect(counts.disposed).toBe(2);
    });

    it('keeps another backend active when disposing an inactive one', async () => {
      const counts = countingRegistration('test-inactive');
      await setBackend('test-inactive');
      const other = await setBackend('test-low');
      disposeBackend('test-inactive');
      expect(counts.disposed).toBe(1);
      expect(getBackend()).toBe(other);
    });

    it('does nothing for a backend never created, and names an unknown one', () => {
      const counts = countingRegistration('test-unused');
      disposeBackend('test-unused');
      expect(counts).toEqual({ created: 0, disposed: 0, refuse: false });
      expect(() => disposeBackend('no-such-backend')).toThrow(/disposeBackend: unknown backend 'no-such-backend'/);
    });

    it('refuses while the backend is initialising', async () => {
      let resolve!: (b: Backend) => void;
      registerBackend('test-initialising', { create: () => new Promise<Backend>((r) => (resolve = r)) });
      const pending = setBackend('test-initialising');
      expect(() => disposeBackend('test-initialising')).toThrow(
        "disposeBackend: backend 'test-initialising' is still initialising: await setBackend('test-initialising') first",
      );
      resolve(fakeBackend('test-initialising'));
      await pending;
      disposeBackend('test-initialising');
      expect(getBackendName()).toBeNull();
    });

    it("passes on the backend's refusal with its reason, leaving it registered, created and active", async () => {
      const counts = countingRegistration('test-refusing');
      const backend = await setBackend('test-refusing');
      counts.refuse = true;
      expect(() => disposeBackend('test-refusing')).toThrow("disposeBackend: backend 'test-refusing' refused to be disposed: still busy");
      expect(getBackend()).toBe(backend);
      counts.refuse = false;
      disposeBackend('test-refusing');
      expect(counts.disposed).toBe(1);
    });
  });
});
