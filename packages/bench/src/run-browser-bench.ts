/**
 * One browser run, driven from Node: serves the page (browser/serve.ts), opens it in headless
 * Chromium, runs its cells and wraps them in the Node run's BenchResults, so that report.ts,
 * chart.ts and write-results.ts treat both runs alike.
 */
import { launchChromium } from '@perceptron/conformance/browser/chromium';
import { READY } from '../browser/page-api.js';
import { serveBenchPage } from '../browser/serve.js';
import { UsageError, type BenchOptions } from './args.js';
import { loadAverageNow, machine } from './machine.js';
import type { Log } from './progress.js';
import { SCHEMA_VERSION, type BenchResults } from './results.js';

/** How long the page may take to load (Vite pre-bundles tfjs on its first start). */
const PAGE_LOAD_MS = 120_000;

/** Chrome's performance.memory is rounded to coarse buckets unless asked for precise figures. */
const CHROMIUM_EXTRA_ARGS = ['--enable-precise-memory-info'];

export async function runBrowserBench(options: BenchOptions, log: Log): Promise<BenchResults> {
  const startedAt = new Date();
  const host = machine();
  log('serving the benchmark page');
  const server = await serveBenchPage();
  try {
    const browser = await launchChromium(CHROMIUM_EXTRA_ARGS);
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // tfjs reports a backend it could not set up on the console, before the cell's error says less.
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') log(`page ${message.type()}: ${message.text()}`);
      });
      await page.exposeFunction('benchLog', (line: string) => log(line));
      log(`opening ${server.url} in Chromium ${browser.version()}`);
      await page.goto(server.url);
      await page.waitForFunction((ready) => document.getElementById('status')?.textContent === ready, READY, { timeout: PAGE_LOAD_MS })
        .catch((error: Error) => {
          throw new Error(`the benchmark page did not load: ${pageErrors.join('; ') || error.message}`);
        });
      const outcome = await page.evaluate((o) => window.runBrowserBench(o), options);
      if (!outcome.ok) throw new UsageError(outcome.usageError);
      const { subjects, notes, training, predict, userAgent, webglRenderer } = outcome.results;
      const finishedAt = new Date();
      return {
        schema: SCHEMA_VERSION,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
        machine: { ...host, loadAverageEnd: loadAverageNow(), browser: { name: `Chromium ${browser.version()}`, userAgent, webglRenderer } },
        options,
        parts: options.only,
        subjects,
        notes,
        training,
        predict,
        dispatch: [],
        matMul: [],
      };
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}
