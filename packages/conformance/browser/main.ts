// The conformance page: every table case on every backend this browser offers, reported as
// JSON to whoever drives the page (test/browser-conformance.test.ts calls window.runConformance).
import '@perceptron/backend-naive';
import { SimdBackend } from '@perceptron/backend-simd';
import { setTfjsWasmPaths } from '@perceptron/backend-tfjs';
import { disposeBackend, getBackend, listBackends, setBackend } from '@perceptron/core';
import * as tf from '@tensorflow/tfjs-core';
import { CASES, checkForward, checkGradient, exactProductExpected, exactProductOnBackend, webglBoundsFor, type CheckResult, type OpCase } from '../src/index.js';
import { measureWebglPrecision } from './measure-webgl.js';
import { BROWSER_BACKENDS, type BrowserBackendRun, type BrowserCaseResult, type BrowserConformanceReport, type DisposeReport, type MaxError, type SimdThreadsReport, type WebglPrecision } from './results.js';

// The page is served with tfjs-backend-wasm's dist folder as its public directory.
setTfjsWasmPaths(`${location.origin}/`);

function widen(current: MaxError | null, results: CheckResult[]): MaxError | null {
  return results.reduce<MaxError | null>((e, r) => (r.comparison
    ? { abs: Math.max(e?.abs ?? 0, r.comparison.maxAbs), rel: Math.max(e?.rel ?? 0, r.comparison.maxRel) }
    : e), current);
}

function safely(fn: () => CheckResult[]): CheckResult[] {
  try {
    return fn();
  } catch (error) {
    return [{ pass: false, comparison: null, message: `threw: ${(error as Error).message}` }];
  }
}

function runCase(c: OpCase): BrowserCaseResult {
  const forward = safely(() => [checkForward(c, getBackend())]);
  const gradient = safely(() => checkGradient(c, getBackend()));
  const all = [...forward, ...gradient];
  return {
    id: c.id,
    op: c.op,
    pass: all.every((r) => r.pass),
    messages: all.map((r) => r.message),
    forward: widen(null, forward),
    gradient: widen(null, gradient),
  };
}

/** The cases with their WebGL bounds re-derived for the unit roundoff this browser measured. */
function atPrecision(u: number): OpCase[] {
  return CASES.map((c) => (c.tolerance.webgl === null ? c
    : { ...c, tolerance: { ...c.tolerance, webgl: webglBoundsFor(c.tolerance.webgl, u) } }));
}

async function runBackend(name: string, cases: readonly OpCase[]): Promise<BrowserBackendRun> {
  const info = listBackends().find((b) => b.name === name);
  const skipped = !info ? `${name} is not registered` : info.reason;
  if (skipped !== null) return { backend: name, skipped, floatPrecision: null, seconds: 0, results: [] };
  const started = performance.now();
  await setBackend(name);
  const results = cases.map(runCase);
  return { backend: name, skipped: null, floatPrecision: getBackend().floatPrecision, seconds: (performance.now() - started) / 1000, results };
}

async function runConformance(): Promise<BrowserConformanceReport> {
  const status = document.getElementById('status')!;
  let webgl: WebglPrecision | { unavailable: string };
  const webglInfo = listBackends().find((b) => b.name === 'tfjs-webgl');
  if (webglInfo?.available) {
    await setBackend('tfjs-webgl');
    // tfjs-webgl computes small ops on inputs still on the CPU with its CPU kernels; turn that
    // off so every case measures the shaders.
    tf.env().set('WEBGL_CPU_FORWARD', false);
    webgl = measureWebglPrecision();
  } else {
    webgl = { unavailable: webglInfo?.reason ?? 'tfjs-webgl is not registered' };
  }
  const cases = 'unitRoundoff' in webgl ? atPrecision(webgl.unitRoundoff) : CASES;
  const runs: BrowserBackendRun[] = [];
  for (const name of BROWSER_BACKENDS) {
    status.textContent = `running ${name}…`;
    runs.push(await runBackend(name, cases));
  }
  status.textContent = 'done';
  return { userAgent: navigator.userAgent, webgl, runs };
}

/**
 * simd on two threads in this (cross-origin isolated) page: a 128×784 by 784×512 product, large
 * enough to share, repeated until a helper has run some of its tasks (a helper that is ready may
 * still wake late for a job), against one thread's.
 */
async function simdThreads(): Promise<SimdThreadsReport> {
  const [shared, alone] = [await SimdBackend.create({ threads: 2 }), await SimdBackend.create({ threads: 1 })];
  // The backend's matMul takes [batch, rows, columns].
  const operand = (rows: number, columns: number) => ({ handle: Float32Array.from({ length: rows * columns }, (_, i) => Math.sin(i + rows)), shape: [1, rows, columns], dtype: 'float32' as const });
  const [a, b] = [operand(128, 784), operand(784, 512)];
  let product = shared.matMul(a, b, false, false);
  for (const deadline = performance.now() + 10_000; shared.tasksByHelpers === 0 && performance.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    product = shared.matMul(a, b, false, false);
  }
  const expected = alone.matMul(a, b, false, false);
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    threads: shared.threads,
    threadsAtWork: shared.threadsAtWork,
    tasksByHelpers: shared.tasksByHelpers,
    sameAsOneThread: product.length === expected.length && product.every((v, i) => Object.is(v, expected[i])),
  };
}

/**
 * disposeBackend in the page, on each backend the page offers: an exact product, disposeBackend,
 * and the product again on the fresh instance setBackend makes. For simd, how many threads the
 * instance computed on before and after (its helper Workers ended: 1).
 */
async function disposeInPage(): Promise<DisposeReport[]> {
  const expected = exactProductExpected();
  const sameAsExpected = (values: number[]) => values.length === expected.length && values.every((v, i) => v === expected[i]);
  const reports: DisposeReport[] = [];
  for (const name of BROWSER_BACKENDS) {
    if (!listBackends().find((b) => b.name === name)?.available) continue;
    try {
      const first = await setBackend(name);
      const threadsOf = () => (first instanceof SimdBackend ? first.threadsAtWork : null);
      const before = sameAsExpected(exactProductOnBackend());
      const threadsBefore = threadsOf();
      disposeBackend(name);
      const simdThreads: DisposeReport['simdThreads'] = threadsBefore === null ? null : [threadsBefore, threadsOf()!];
      const fresh = (await setBackend(name)) !== first;
      reports.push({ backend: name, before, fresh, after: sameAsExpected(exactProductOnBackend()), simdThreads, error: null });
    } catch (error) {
      reports.push({ backend: name, before: false, fresh: false, after: false, simdThreads: null, error: (error as Error).message });
    }
  }
  return reports;
}

window.runConformance = runConformance;
window.simdThreads = simdThreads;
window.disposeInPage = disposeInPage;
document.getElementById('status')!.textContent = 'ready';
