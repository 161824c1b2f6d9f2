import type { WorkerThreadsModule } from './kernels/helper-threads.js';

/** The environment variable that sets the simd backend's thread count (a whole number ≥ 1). */
export const THREADS_VARIABLE = 'PERCEPTRON_SIMD_THREADS';

/** More threads than this rarely pay for a dense layer's products; a bigger machine can ask for more. */
const MAX_DEFAULT_THREADS = 4;

/** How many threads compute large products and convolutions (this one included), and how to start the others. */
export interface ThreadSetup {
  readonly count: number;
  readonly workerThreads: WorkerThreadsModule | null;
}

function checkedCount(value: unknown, source: string): number {
  const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new RangeError(`simd backend: ${source} must be a whole number of threads ≥ 1, got ${JSON.stringify(value)}`);
  }
  return count;
}

// Node's modules are imported by a computed name: bundlers for the browser leave them alone,
// and where they are missing (a browser) the backend runs on one thread.
async function nodeModule<M>(name: string): Promise<M | null> {
  try {
    return (await import(/* @vite-ignore */ name)) as M;
  } catch {
    return null;
  }
}

/**
 * The thread count: `requested` if given, else `PERCEPTRON_SIMD_THREADS` if set, else this
 * machine's cores up to MAX_DEFAULT_THREADS. Helper threads need `node:worker_threads` and
 * SharedArrayBuffer; without them the count is 1.
 */
export async function threadSetup(requested?: number): Promise<ThreadSetup> {
  const fromEnvironment = globalThis.process?.env?.[THREADS_VARIABLE];
  let count: number | null = null;
  if (requested !== undefined) count = checkedCount(requested, 'the threads option');
  else if (fromEnvironment !== undefined && fromEnvironment !== '') count = checkedCount(fromEnvironment, THREADS_VARIABLE);
  const workerThreads = typeof SharedArrayBuffer === 'function' ? await nodeModule<WorkerThreadsModule>('node:worker_threads') : null;
  if (!workerThreads) return { count: 1, workerThreads: null };
  if (count === null) {
    const os = await nodeModule<{ availableParallelism(): number }>('node:os');
    count = Math.min(os?.availableParallelism() ?? 1, MAX_DEFAULT_THREADS);
  }
  return { count, workerThreads };
}
