/** Repeated timings of one call, each sample long enough for the clock to resolve it. */
import { summarize, type Summary } from './stats.js';

export interface SampleOptions {
  samples: number;
  /** Each sample runs the call enough times to last at least this long. */
  minSeconds: number;
}

export interface Timed {
  /** Seconds per call, one value per sample. */
  perCall: Summary;
  /** Calls per sample. */
  calls: number;
}

/** Runs `run` `calls` times; awaits only when it returns a promise, so sync calls pay no microtask. */
async function timeCalls(run: () => unknown, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const result = run();
    if (result instanceof Promise) await result;
  }
  return (performance.now() - start) / 1000;
}

/**
 * Doubles the calls per sample until one sample lasts minSeconds / 2 (this is also the warm-up),
 * then takes `samples` samples of that many calls.
 */
export async function timeSamples(run: () => unknown, options: SampleOptions): Promise<Timed> {
  let calls = 1;
  let elapsed = await timeCalls(run, calls);
  while (elapsed < options.minSeconds / 2) {
    calls *= 2;
    elapsed = await timeCalls(run, calls);
  }
  if (elapsed < options.minSeconds) calls = Math.ceil((calls * options.minSeconds) / elapsed);
  const perCall: number[] = [];
  for (let i = 0; i < options.samples; i++) perCall.push((await timeCalls(run, calls)) / calls);
  return { perCall: summarize(perCall), calls };
}
