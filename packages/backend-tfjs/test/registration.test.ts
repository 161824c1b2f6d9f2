import { existsSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendRegistration } from '@perceptron/core';

// Capture the registrations instead of touching core's global registry; the rest of core (the
// int32 formulas the kernels share) stays itself.
const registerBackend = vi.hoisted(() => vi.fn<(name: string, registration: BackendRegistration) => void>());
vi.mock('@perceptron/core', async (importOriginal) => ({ ...(await importOriginal<typeof import('@perceptron/core')>()), registerBackend }));

describe('importing the package', () => {
  it('registers the three backends without initialising any tfjs backend', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('../src/index.js');
    const registered = Object.fromEntries(registerBackend.mock.calls.map(([name, r]) => [name, r]));
    expect(Object.keys(registered).sort()).toEqual(['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl']);
    expect(registered['tfjs-cpu']!.priority).toBe(2);
    expect(registered['tfjs-wasm']!.priority).toBe(3);
    expect(registered['tfjs-webgl']!.priority).toBe(4);
    expect(tf.engine().registry['wasm']).toBeUndefined();
    expect(tf.engine().registry['webgl']).toBeUndefined();
  });

  it('reports cpu and wasm available and webgl unavailable in Node, with a reason', async () => {
    await import('../src/index.js');
    const reason = (name: string) => registerBackend.mock.calls.find(([n]) => n === name)![1].unavailableReason!();
    expect(reason('tfjs-cpu')).toBeNull();
    expect(reason('tfjs-wasm')).toBeNull();
    expect(reason('tfjs-webgl')).toBe('WebGL needs a browser: no document/WebGL2RenderingContext in Node.js');
  });

  it('creates a working backend through its registration, without tfjs-cpu\'s tfjs-node banner', async () => {
    await import('../src/index.js');
    const warn = vi.spyOn(console, 'warn');
    const cpu = await registerBackend.mock.calls.find(([n]) => n === 'tfjs-cpu')![1].create();
    expect(cpu.name).toBe('tfjs-cpu');
    const x = { handle: cpu.upload(new Int32Array([4, -2]), [2], 'int32'), shape: [2], dtype: 'int32' } as const;
    const y = { handle: cpu.neg(x), shape: [2], dtype: 'int32' } as const;
    expect(Array.from(cpu.read(y))).toEqual([-4, 2]);
    expect(warn.mock.calls.flat().join('\n')).not.toMatch(/tfjs-node/);
    warn.mockRestore();
    cpu.disposeHandle(x.handle);
    cpu.disposeHandle(y.handle);
  });
});

describe('wasm paths', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it("default to the installed package's dist folder in Node", async () => {
    const { wasmPathPrefix } = await import('../src/wasm-paths.js');
    const prefix = await wasmPathPrefix();
    expect(prefix).toMatch(/@tensorflow[/\\]tfjs-backend-wasm[/\\]dist\/$/);
    expect(existsSync(`${prefix}tfjs-backend-wasm.wasm`)).toBe(true);
    expect(existsSync(`${prefix}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });

  it('use the configured prefix, which can no longer change once used', async () => {
    const { setTfjsWasmPaths, wasmPathPrefix } = await import('../src/wasm-paths.js');
    setTfjsWasmPaths('/assets/tfjs/');
    expect(await wasmPathPrefix()).toBe('/assets/tfjs/');
    expect(() => setTfjsWasmPaths('/elsewhere/')).toThrow(/before setBackend\('tfjs-wasm'\)/);
  });
});
