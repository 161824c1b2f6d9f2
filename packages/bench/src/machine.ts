/** The machine a run measures on, read in Node (the browser run's page is on the same machine). */
import { cpus, loadavg, totalmem } from 'node:os';
import type { Machine } from './results.js';

export function machine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpus: cores.length,
    totalMemoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    loadAverageStart: loadavg()[0]!,
    loadAverageEnd: NaN,
  };
}

/** The 1-minute load average now, for `loadAverageEnd`. */
export function loadAverageNow(): number {
  return loadavg()[0]!;
}
