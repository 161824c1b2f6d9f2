/**
 * Where memory figures come from, chosen once for the place the benchmark runs: Node's
 * process.memoryUsage(), or in a page Chrome's performance.memory (the JS heap only: a page cannot
 * see its process's resident set or its WASM/GPU memory), or nothing (zeros; the report says so).
 */

/** Bytes, as MemorySampler keeps them. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
}

export type MemorySource = 'process.memoryUsage' | 'performance.memory' | 'none';

/** Chrome's non-standard heap figures. */
interface ChromePerformanceMemory {
  usedJSHeapSize: number;
}

function chromeMemory(): ChromePerformanceMemory | undefined {
  return (performance as { memory?: ChromePerformanceMemory }).memory;
}

/** Node's process, looked up on globalThis: a page has none. */
function nodeProcess(): { memoryUsage(): MemoryReading } | undefined {
  const candidate = (globalThis as { process?: { memoryUsage?: () => MemoryReading } }).process;
  return typeof candidate?.memoryUsage === 'function' ? candidate as { memoryUsage(): MemoryReading } : undefined;
}

export const memorySource: MemorySource = nodeProcess() ? 'process.memoryUsage' : chromeMemory() ? 'performance.memory' : 'none';

export function readMemory(): MemoryReading {
  switch (memorySource) {
    case 'process.memoryUsage': return nodeProcess()!.memoryUsage();
    case 'performance.memory': return { rss: 0, heapUsed: chromeMemory()!.usedJSHeapSize, external: 0 };
    case 'none': return { rss: 0, heapUsed: 0, external: 0 };
  }
}
