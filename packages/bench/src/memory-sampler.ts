/**
 * Peak process memory during one workload. A timer samples every few milliseconds, but it only
 * fires when the workload yields to the event loop (tfjs-layers' fit does every ~125 ms);
 * loops that never yield call `sample()` themselves.
 */

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
  readonly #start = process.memoryUsage();
  #rss = this.#start.rss;
  #heapUsed = this.#start.heapUsed;
  #external = this.#start.external;
  #samples = 1;
  readonly #timer = setInterval(() => this.sample(), INTERVAL_MS);

  constructor() {
    this.#timer.unref();
  }

  sample(): void {
    const now = process.memoryUsage();
    this.#rss = Math.max(this.#rss, now.rss);
    this.#heapUsed = Math.max(this.#heapUsed, now.heapUsed);
    this.#external = Math.max(this.#external, now.external);
    this.#samples++;
  }

  /** Stops the timer and returns the peaks, including one last sample. */
  stop(): MemoryPeak {
    clearInterval(this.#timer);
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
