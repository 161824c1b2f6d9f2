// The browser run's report on disk (test-results/browser/conformance.json, not committed), so
// `npm run parity` can add the tfjs-webgl column measured in Chromium.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@perceptron/core';
import type { BrowserConformanceReport } from './results.js';

export const BROWSER_REPORT_FILE = join(dirname(fileURLToPath(import.meta.url)), '../test-results/browser/conformance.json');

// JSON has no Infinity or NaN (a failed comparison's error); keep them as strings.
const NON_FINITE = new Set(['Infinity', '-Infinity', 'NaN']);

export async function writeBrowserReport(report: BrowserConformanceReport): Promise<void> {
  const text = JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 1);
  await writeFileAtomic(BROWSER_REPORT_FILE, `${text}\n`);
}

/** The last browser run's report, or null when none was written. */
export function readBrowserReport(): BrowserConformanceReport | null {
  let text: string;
  try {
    text = readFileSync(BROWSER_REPORT_FILE, 'utf8');
  } catch {
    return null;
  }
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && NON_FINITE.has(value) ? Number(value) : value)) as BrowserConformanceReport;
}
