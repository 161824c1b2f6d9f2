import { spawnSync } from 'node:child_process';
import * as workerThreads from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimdBackend, THREADS_VARIABLE } from '../src/index.js';
import { K_BLOCK, multiply, type Product } from '../src/kernels/matmul.js';
import { nodeHelperHost } from '../src/kernels/helper-hosts.js';
import { WasmKernels } from '../src/kernels/wasm-module.js';
import { outsideSumBound, randomFloats, referenceProduct } from './support.js';

const alone = await WasmKernels.create(1);
const shared = await WasmKernels.create(3, nodeHelperHost(workerThreads));

/** Runs one large product, then waits (up to 10 s) until both helpers are ready. */
async function startHelpers(kernels: WasmKernels): Promise<void> {
  multiply(kernels, product(64, 256, 256, false, false, false));
  const deadline = Date.now() + 10_000;
  while (kernels.threadsAtWork < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(kernels.threadsAtWork).toBe(3);
}

function product(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, withBias: boolean): Product {
  return {
    m, k, n,
    a: randomFloats(m * k, m + 3 * k), aOffset: 0, transposeA,
    b: randomFloats(k * n, n + 5 * k), bOffset: 0, transposeB,
    bias: withBias ? randomFloats(n, n) : null, relu: withBias, out: new Float32Array(m * n), outOffset: 0,
  };
}

describe('products shared with helper threads', () => {
  // Rows off the 4-row blocks and the chunks, the wide MLP's products, and an inner dimension
  // summed in blocks.
  const SIZES: [m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, withBias: boolean][] = [
    [128, 784, 512, false, false, true], [784, 128, 512, true, false, false], [128, 512, 784, false, true, false],
    [203, 333, 95, true, true, true], [41, 2 * K_BLOCK + 5, 64, false, false, true],
  ];

  it('equal the single-threaded product bit for bit', async () => {
    await startHelpers(shared);
    for (const [m, k, n, transposeA, transposeB, withBias] of SIZES) {
      const mine = product(m, k, n, transposeA, transposeB, withBias);
      const single = { ...mine, out: new Float32Array(m * n) };
      multiply(shared, mine);
      multiply(alone, single);
      expect(Buffer.from(mine.out.buffer).equals(Buffer.from(single.out.buffer)), `${m}×${k}×${n}`).toBe(true);
      if (!withBias) {
        expect(outsideSumBound(mine.out, referenceProduct(mine.a, mine.b, m, k, n, transposeA, transposeB), k)).toEqual([]);
      }
    }
  });

  it('are computed partly by the helpers, and right', async () => {
    await startHelpers(shared);
    // The calling thread takes chunks too, and on a busy machine it may take all of one
    // product's before a helper wakes: so ask again, for up to 10 s.
    const tasksBefore = shared.tasksByHelpers;
    const mine = product(128, 784, 512, false, true, true);
    const deadline = Date.now() + 10_000;
    while (shared.tasksByHelpers === tasksBefore && Date.now() < deadline) {
      multiply(shared, mine);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(shared.tasksByHelpers).toBeGreaterThan(tasksBefore);
    const single = { ...mine, out: new Float32Array(mine.out.length) };
    multiply(alone, single);
    expect(Buffer.from(mine.out.buffer).equals(Buffer.from(single.out.buffer))).toBe(true);
  });

  it('small products stay on the calling thread', async () => {
    await startHelpers(shared);
    const tasksBefore = shared.tasksByHelpers;
    multiply(shared, product(32, 784, 16, false, false, true));
    expect(shared.tasksByHelpers).toBe(tasksBefore);
  });

  it('a product that traps reports the error after every task has stopped, and the next product is right', async () => {
    await startHelpers(shared);
    const far = 2 ** 31 - 64;
    const outOfBounds = Array.from({ length: shared.tasksPerJob }, () => [far, far, far, 32, 512, 32, 0, 0, 0]);
    // The calling thread's own trap, or the helpers' report if they claimed every task.
    expect(() => shared.runTasks('gemm', outOfBounds)).toThrow(/memory access out of bounds|a helper thread failed/);
    const mine = product(128, 300, 200, false, false, true);
    const single = { ...mine, out: new Float32Array(128 * 200) };
    multiply(shared, mine);
    multiply(alone, single);
    expect(Buffer.from(mine.out.buffer).equals(Buffer.from(single.out.buffer))).toBe(true);
  });
});

it('a threaded backend starts its helpers on the first large product, not on small ones', async () => {
  const backend = await SimdBackend.create({ threads: 2 });
  const operand = (rows: number, columns: number) => ({ handle: randomFloats(rows * columns, rows + columns), shape: [1, rows, columns], dtype: 'float32' as const });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
  // The lab's products (32×784×16 and its gradients) and its predict batches (1000×784×16:
  // large, but 15 multiply-adds per value copied) stay with the plain kernels.
  backend.matMul(operand(32, 784), operand(784, 16), false, false);
  backend.matMul(operand(784, 32), operand(32, 16), true, false);
  backend.matMul(operand(1000, 784), operand(784, 16), false, false);
  await settle();
  expect(backend.threadsAtWork).toBe(1);
  backend.matMul(operand(128, 784), operand(784, 512), false, false);
  const deadline = Date.now() + 10_000;
  while (backend.threadsAtWork < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(backend.threadsAtWork).toBe(2);
});

describe('the thread count', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is the threads option, else PERCEPTRON_SIMD_THREADS, else the cores (at most 4)', async () => {
    expect((await SimdBackend.create({ threads: 3 })).threads).toBe(3);
    expect(await SimdBackend.threadCount({ threads: 3 })).toBe(3);
    vi.stubEnv(THREADS_VARIABLE, '1');
    expect((await SimdBackend.create()).threads).toBe(1);
    vi.stubEnv(THREADS_VARIABLE, '');
    const { availableParallelism } = await import('node:os');
    expect((await SimdBackend.create()).threads).toBe(Math.min(availableParallelism(), 4));
    expect(await SimdBackend.threadCount()).toBe(Math.min(availableParallelism(), 4));
  });

  it('rejects a count that is not a whole number ≥ 1, naming where it came from', async () => {
    await expect(SimdBackend.create({ threads: 0 })).rejects.toThrow('simd backend: the threads option must be a whole number of threads ≥ 1, got 0');
    await expect(SimdBackend.create({ threads: 1.5 })).rejects.toThrow('got 1.5');
    vi.stubEnv(THREADS_VARIABLE, 'two');
    await expect(SimdBackend.create()).rejects.toThrow(`simd backend: ${THREADS_VARIABLE} must be a whole number of threads ≥ 1, got "two"`);
  });
});

it('helper threads do not keep a process alive', () => {
  const script = `
    const { SimdBackend } = await import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)});
    const backend = await SimdBackend.create({ threads: 2 });
    const a = { handle: new Float32Array(256 * 256).fill(1), shape: [1, 256, 256], dtype: 'float32' };
    backend.matMul(a, a, false, false);
    while (backend.threadsAtWork < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    console.log(backend.matMul(a, a, false, false)[0]);
  `;
  const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8', timeout: 30_000,
  });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('256');
  expect(run.status).toBe(0);
});

it("dispose ends the helper threads, and the backend's products then run on one thread, still bit for bit", async () => {
  const started: workerThreads.Worker[] = [];
  class RecordedWorker extends workerThreads.Worker {
    constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  const kernels = await WasmKernels.create(3, nodeHelperHost({ Worker: RecordedWorker }));
  await startHelpers(kernels);
  expect(started).toHaveLength(2);
  const exited = started.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  kernels.stopHelpers();
  await Promise.all(exited);
  expect(kernels.threadsAtWork).toBe(1);
  const mine = product(128, 784, 512, false, false, true);
  const single = { ...mine, out: new Float32Array(mine.out.length) };
  multiply(kernels, mine);
  multiply(alone, single);
  expect(Buffer.from(mine.out.buffer).equals(Buffer.from(single.out.buffer))).toBe(true);
});
