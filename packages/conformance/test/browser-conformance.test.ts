// The conformance table in headless Chromium: every case on simd, tfjs-webgl, tfjs-wasm, tfjs-cpu
// and naive inside a page served by Vite, each reported back here as its own test.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '../browser/chromium.js';
import { WEBGL_KNOWN_DEVIATIONS } from '../browser/known-deviations.js';
import { writeBrowserReport } from '../browser/report-file.js';
import { BROWSER_BACKENDS, type BrowserCaseResult, type BrowserConformanceReport, type DisposeReport, type SimdThreadsReport } from '../browser/results.js';
import { serveConformancePage, type PageServer } from '../browser/serve.js';
import { CASES } from '../src/index.js';
import { backendIt, reportTally } from './support/harness.js';

const missing = chromiumMissingReason();

// An entry whose case was renamed or removed would excuse nothing while looking like it does.
it('every known WebGL deviation names a case of the table', () => {
  const ids = new Set(CASES.map((c) => c.id));
  expect(Object.keys(WEBGL_KNOWN_DEVIATIONS).filter((id) => !ids.has(id))).toEqual([]);
});

if (missing !== null) {
  it('browser conformance skipped: chromium not found', () => {
    console.log(`browser conformance skipped: ${missing}`);
    expect(missing).toContain('chromium not found');
  });
} else {
  describe('conformance in headless Chromium', () => {
    let server: PageServer | null = null;
    let browser: Browser | null = null;
    let report: BrowserConformanceReport;
    let simdThreads: SimdThreadsReport;
    let disposed: DisposeReport[];

    beforeAll(async () => {
      server = await serveConformancePage();
      browser = await launchChromium();
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(server.url);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 60_000 })
        .catch((error: Error) => {
          throw new Error(`the conformance page did not load: ${pageErrors.join('; ') || error.message}`);
        });
      report = await page.evaluate(() => window.runConformance());
      await writeBrowserReport(report);
      simdThreads = await page.evaluate(() => window.simdThreads());
      disposed = await page.evaluate(() => window.disposeInPage());
      // The page runs the whole table (about 820 cases) on five backends: some 140 s on an idle
      // two-core machine; twice that under load.
    }, 480_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('measured WebGL precision agrees with what tfjs reports', () => {
      expect('unavailable' in report.webgl, JSON.stringify(report.webgl)).toBe(false);
      if ('unavailable' in report.webgl) return;
      const { tfjsFlags, measuredMantissaBits, floatPrecision, fragmentHighp } = report.webgl;
      console.log(`WebGL: ${report.webgl.renderer}; WEBGL_VERSION=${tfjsFlags.WEBGL_VERSION}, WEBGL_RENDER_FLOAT32_ENABLED=${tfjsFlags.WEBGL_RENDER_FLOAT32_ENABLED}, highp mantissa ${fragmentHighp.precision} bits, measured ${measuredMantissaBits} bits (floatPrecision ${floatPrecision})`);
      // Float32 textures keep 23 mantissa bits, float16 ones 10; the backend must say which.
      expect(measuredMantissaBits).toBe(tfjsFlags.WEBGL_RENDER_FLOAT32_ENABLED ? 23 : 10);
      expect(floatPrecision).toBe(measuredMantissaBits === 23 ? 32 : 16);
    });

    it('simd runs large products on a helper Web Worker in the cross-origin isolated page, bit for bit as on one thread', () => {
      console.log(`simd in Chromium: ${JSON.stringify(simdThreads)}`);
      expect(simdThreads).toMatchObject({ crossOriginIsolated: true, threads: 2, threadsAtWork: 2, sameAsOneThread: true });
      expect(simdThreads.tasksByHelpers).toBeGreaterThan(0);
    });

    it('disposeBackend frees each backend in the page (simd ends its helper Workers); setBackend makes a fresh one with exact products', () => {
      expect(disposed).toEqual(BROWSER_BACKENDS.map((backend) => ({
        backend, before: true, fresh: true, after: true, simdThreads: backend === 'simd' ? [2, 1] : null, error: null,
      })));
    });

    for (const backend of BROWSER_BACKENDS) {
      const name = `${backend} (chromium)`;
      const resultOf = (id: string): BrowserCaseResult => {
        const run = report.runs.find((r) => r.backend === backend)!;
        expect(run.skipped, `${backend} did not run in Chromium`).toBeNull();
        const found = run.results.find((r) => r.id === id);
        expect(found, `the page reported no result for ${id}`).toBeDefined();
        return found!;
      };
      for (const c of CASES) {
        const known = backend === 'tfjs-webgl' ? WEBGL_KNOWN_DEVIATIONS[c.id] : undefined;
        if (known) {
          backendIt(name, `${c.id} — known WebGL deviation: ${known.why}`, () => {
            const result = resultOf(c.id);
            expect(result.pass, 'it passes now: remove it from browser/known-deviations.ts').toBe(false);
            for (const m of result.messages.filter((m) => !m.endsWith(': ok'))) expect(m).toContain(known.failure);
          });
        } else {
          backendIt(name, c.id, () => {
            const result = resultOf(c.id);
            expect(result.pass, result.messages.join('\n')).toBe(true);
          });
        }
      }
    }
  });
}

reportTally('browser');
