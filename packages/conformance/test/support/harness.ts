import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setBackend, writeFileAtomic } from '@perceptron/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AVAILABLE, UNAVAILABLE } from '../../src/backends.js';

interface Tally {
  passed: number;
  failed: number;
  skipped: string | null;
}

const tally = new Map<string, Tally>();

function entry(backend: string): Tally {
  let t = tally.get(backend);
  if (!t) tally.set(backend, (t = { passed: 0, failed: 0, skipped: null }));
  return t;
}

/** A test on `backend` that counts towards the per-backend summary. */
export function backendIt(backend: string, title: string, body: () => unknown, timeout?: number): void {
  it(title, async () => {
    try {
      await body();
      entry(backend).passed++;
    } catch (error) {
      entry(backend).failed++;
      throw error;
    }
  }, timeout);
}

/**
 * One describe per available backend, made active before each of its tests, and for each
 * backend that cannot run here one test named after it and its reason (never a silent skip).
 */
export function forEachBackend(suite: string, body: (backend: string) => void): void {
  for (const info of AVAILABLE) {
    describe(`${suite} on ${info.name}`, () => {
      beforeEach(async () => {
        await setBackend(info.name);
      });
      body(info.name);
    });
  }
  for (const info of UNAVAILABLE) {
    it(`${suite}: ${info.name} skipped: ${info.reason}`, () => {
      entry(info.name).skipped = info.reason;
      expect(info.reason).toBeTruthy();
    });
  }
}

/**
 * At the end of the file: logs passed/failed/skipped per backend and writes them to
 * test-results/conformance/<suite>.json (temp file + rename, so readers never see half a file).
 */
export function reportTally(suite: string): void {
  afterAll(async () => {
    const rows = [...tally.entries()].map(([backend, t]) => ({ backend, ...t }));
    const lines = rows.map((r) => r.skipped !== null
      ? `  ${r.backend.padEnd(16)} skipped: ${r.skipped}`
      : `  ${r.backend.padEnd(16)} passed ${String(r.passed).padStart(4)}  failed ${String(r.failed).padStart(4)}`);
    console.log(`conformance ${suite}:\n${lines.join('\n')}`);
    const dir = join(dirname(fileURLToPath(import.meta.url)), '../../test-results/conformance');
    await writeFileAtomic(join(dir, `${suite}.json`), `${JSON.stringify(rows, null, 2)}\n`);
  });
}
