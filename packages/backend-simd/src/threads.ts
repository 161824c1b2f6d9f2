import { browserHelperHost, nodeHelperHost, type WorkerThreadsModule } from './kernels/helper-hosts.js';
import type { HelperHost } from './kernels/helper-threads.js';

/** The environment variable that sets the simd backend's thread count (a whole number ≥ 1). */
export const THREADS_VARIABLE = 'PERCEPTRON_SIMD_THREADS';

/** More threads than this rarely pay for a dense layer's products; a bigger machine can ask for more. */
const MAX_DEFAULT_THREADS = 4;

/** How many threads compute large products and convolutions (this one included), and where the others come from. */
export interface ThreadSetup {
  readonly count: number;
  readonly host: HelperHost | null;
}

function checkedCount(value: unknown, source: string): number {
  const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new RangeError(`simd backend: ${source} must be a whole number of threads ≥ 1, got ${JSON.stringify(value)}`);
  }
  return count;
}

/** Node's modules are only looked for in Node: a page would log a failed fetch for each. */
const inNode = typeof globalThis.process?.versions?.node === 'string';

// Node's modules are imported by a computed name: bundlers for the browser leave them alone.
async function nodeModule<M>(name: string): Promise<M | null> {
  try {
    return (await import(/* @vite-ignore */ name)) as M;
  } catch {
    return null;
  }
}

/**
 * Where helper threads come from: Node's `node:worker_threads`, or in a cross-origin isolated
 * page its Web Workers; null without them or without SharedArrayBuffer.
 */
async function helperHost(): Promise<HelperHost | null> {
  if (typeof SharedArrayBuffer !== 'function') return null;
  if (inNode) {
    const workerThreads = await nodeModule<WorkerThreadsModule>('node:worker_threads');
    return workerThreads && nodeHelperHost(workerThreads);
  }
  return globalThis.crossOriginIsolated === true && typeof Worker === 'function' ? browserHelperHost() : null;
}

/** The cores Node or the browser reports. */
async function cores(): Promise<number> {
  if (!inNode) return globalThis.navigator?.hardwareConcurrency ?? 1;
  return (await nodeModule<{ availableParallelism(): number }>('node:os'))?.availableParallelism() ?? 1;
}

/**
 * The thread count: `requested` if given, else `PERCEPTRON_SIMD_THREADS` if set, else this
 * machine's cores up to MAX_DEFAULT_THREADS. Helper threads need SharedArrayBuffer and Node's
 * worker threads or a cross-origin isolated page's Web Workers; without them the count is 1.
 */
export async function threadSetup(requested?: number): Promise<ThreadSetup> {
  const fromEnvironment = globalThis.process?.env?.[THREADS_VARIABLE];
  let count: number | null = null;
  if (requested !== undefined) count = checkedCount(requested, 'the threads option');
  else if (fromEnvironment !== undefined && fromEnvironment !== '') count = checkedCount(fromEnvironment, THREADS_VARIABLE);
  const host = await helperHost();
  if (!host) return { count: 1, host: null };
  return { count: count ?? Math.min(await cores(), MAX_DEFAULT_THREADS), host };
}
