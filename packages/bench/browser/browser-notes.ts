/** The report's notes on a browser run: the shared ones, and what differs from the Node run. */
import type { BenchOptions } from '../src/args.js';
import { memorySource } from '../src/memory-probe.js';
import { PREDICT_NOTE, SHARED_MACHINE_NOTE, TRAINING_NOTE, simdThreadsNote, workloadNotes } from '../src/notes.js';
import { SIMD_ONE_THREAD } from '../src/subjects.js';
import { isModelName } from '../src/workloads.js';

const MEMORY_NOTES = {
  'performance.memory': 'Memory: "peak heap MB" is the page\'s JS heap (Chrome\'s performance.memory.usedJSHeapSize, made precise by --enable-precise-memory-info), sampled during each cell. A page cannot read its process\'s resident set, WASM or GPU memory, so "peak RSS MB" is 0.',
  'process.memoryUsage': 'Memory: peak process RSS and JS heap sampled during each cell.',
  none: 'Memory: this browser offers no performance.memory, so every memory figure is 0.',
} as const;

function webglNote(renderer: string): string {
  return /swiftshader/i.test(renderer)
    ? `tfjs-webgl renders on ${renderer}: WebGL emulated on the CPU (no GPU here), so its figures measure SwiftShader, not a graphics card.`
    : `tfjs-webgl renders on ${renderer}.`;
}

export function browserNotes(options: BenchOptions, trainImages: number, webglRenderer: string, simdThreads: number): string[] {
  return [
    SHARED_MACHINE_NOTE,
    'Browser: every cell runs in one headless Chromium page served by Vite\'s dev server (the sources as esbuild transforms them, not minified), driven from Node by npm run bench:browser; the machine line names the browser.',
    webglNote(webglRenderer),
    simdThreadsNote(simdThreads, simdThreads > 1 ? 'Web Workers: the page is served cross-origin isolated' : 'a page that is not cross-origin isolated has no helper threads', SIMD_ONE_THREAD),
    TRAINING_NOTE,
    PREDICT_NOTE,
    MEMORY_NOTES[memorySource],
    ...workloadNotes(options, trainImages, options.only.filter(isModelName)),
  ];
}
