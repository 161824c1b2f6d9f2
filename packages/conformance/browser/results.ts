// What the conformance page reports back to the Node test: plain JSON, one entry per case.

/** The backends the suite promises in a browser, in the order the page runs them. */
export const BROWSER_BACKENDS = ['simd', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu', 'naive'] as const;

/** Largest error against the float64 oracle over a case's compared values. */
export interface MaxError {
  abs: number;
  rel: number;
}

export interface BrowserCaseResult {
  id: string;
  op: string;
  pass: boolean;
  /** One line per check (forward, each gradient), "ok" or why it failed. */
  messages: string[];
  forward: MaxError | null;
  gradient: MaxError | null;
}

export interface BrowserBackendRun {
  backend: string;
  /** Null when the backend ran; otherwise why it could not (then `results` is empty). */
  skipped: string | null;
  floatPrecision: number | null;
  seconds: number;
  results: BrowserCaseResult[];
}

/** What the page measured about WebGL before running the cases. */
export interface WebglPrecision {
  /** tfjs's flags, read after tfjs-webgl initialised. */
  tfjsFlags: Record<string, number | boolean | string>;
  /** The GL renderer string (SwiftShader under the test's flags). */
  renderer: string;
  /** getShaderPrecisionFormat(FRAGMENT_SHADER, HIGH_FLOAT): mantissa bits and exponent range. */
  fragmentHighp: { precision: number; rangeMin: number; rangeMax: number };
  /** Mantissa bits a value keeps through a tfjs-webgl op: the largest k with 1 + 2^-k ≠ 1 read back. */
  measuredMantissaBits: number;
  /** Unit roundoff that follows, 2^-(bits + 1); WebGL bounds are multiples of it. */
  unitRoundoff: number;
  /** The backend's own floatPrecision (16 when tfjs stores half floats). */
  floatPrecision: number;
}

export interface BrowserConformanceReport {
  userAgent: string;
  webgl: WebglPrecision | { unavailable: string };
  runs: BrowserBackendRun[];
}

/** simd with helper threads in the page: a product large enough to share, run until a helper took part. */
export interface SimdThreadsReport {
  crossOriginIsolated: boolean;
  threads: number;
  threadsAtWork: number;
  tasksByHelpers: number;
  /** The product's values equal one thread's, bit for bit. */
  sameAsOneThread: boolean;
}

/** disposeBackend on one backend in the page: an exact product before, and after on a fresh instance. */
export interface DisposeReport {
  backend: string;
  /** The product equalled its closed form before disposing. */
  before: boolean;
  /** setBackend made a new instance after disposeBackend. */
  fresh: boolean;
  /** The new instance's product equalled the closed form. */
  after: boolean;
  /** simd only: the threads its instance computed on before disposeBackend, and after (1 once its helper Workers ended). */
  simdThreads: [before: number, after: number] | null;
  /** Why disposing or re-creating failed, if it did. */
  error: string | null;
}

declare global {
  interface Window {
    /** Set by the conformance page (browser/main.ts) once it has loaded. */
    runConformance: () => Promise<BrowserConformanceReport>;
    simdThreads: () => Promise<SimdThreadsReport>;
    disposeInPage: () => Promise<DisposeReport[]>;
  }
}
