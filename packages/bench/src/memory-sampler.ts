/**
 * Peak memory during one workload, as memory-probe.ts reads it where the benchmark runs. A timer
 * samples every few milliseconds, but it only fires when the workload yields to the event loop
 * (tfjs-layers' fit does every ~125 ms); loops that never yield call `sample()` themselves.
 */
import { backgroundInterval } from './background-timer.js';
import { readMemory } from './memory-probe.js';

export interface MemoryPeak {
  /** Resident set size when the workload started, MB. */
  rssStartMB: number;
  rssPeakMB: number;
  heapUsedPeakMB: number;
  /** Memory outside the JS heap (typed-array buffers, WASM memory), MB. */
  externalPeakMB: number;
  samples: number;
}

const MB = 1024 * 1024;
const INTERVAL_MS = 10;

export class MemorySampler {
  readonly #start = readMemory();
  #rss = this.#start.rss;
  #heapUsed = this.#start.heapUsed;
  #external = this.#start.external;
  #samples = 1;
  readonly #stopTimer = backgroundInterval(() => this.sample(), INTERVAL_MS);

  sample(): void {
    const now = readMemory();
    this.#rss = Math.max(this.#rss, now.rss);
    this.#heapUsed = Math.max(this.#heapUsed, now.heapUsed);
    this.#external = Math.max(this.#external, now.external);
    this.#samples++;
  }

  /** Stops the timer and returns the peaks, including one last sample. */
  stop(): MemoryPeak {
    this.#stopTimer();
    this.sample();
    const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
    return {
      rssStartMB: mb(this.#start.rss),
      rssPeakMB: mb(this.#rss),
      heapUsedPeakMB: mb(this.#heapUsed),
      externalPeakMB: mb(this.#external),
      samples: this.#samples,
    };
  }
}

/** Runs `work` with a sampler and returns its result and the peaks. */
export async function withMemory<T>(work: (sampler: MemorySampler) => Promise<T> | T): Promise<{ result: T; memory: MemoryPeak }> {
  // With --expose-gc, start each workload from a collected heap so peaks are its own.
  (globalThis as { gc?: () => void }).gc?.();
  const sampler = new MemorySampler();
  let result: T;
  try {
    result = await work(sampler);
  } catch (error) {
    sampler.stop();
    throw error;
  }
  return { result, memory: sampler.stop() };
}
