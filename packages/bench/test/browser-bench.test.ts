// A tiny browser run in headless Chromium: every stack × backend the page offers trains and
// predicts with the lab MLP and the separable CNN for a step or two, or is reported as skipped
// with its reason; then the same JSON, markdown and PNG as the Node run are written. No timing is
// asserted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumMissingReason } from '@perceptron/conformance/browser/chromium';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBrowserArgs } from '../src/browser-args.js';
import type { BenchResults } from '../src/results.js';
import { runBrowserBench } from '../src/run-browser-bench.js';
import { writeResults } from '../src/write-results.js';

const missing = chromiumMissingReason();

/** What the page runs without --backends: Perceptron on each of these, tfjs-layers on the tfjs ones. */
const PERCEPTRON_BACKENDS = ['simd', 'simd-1-thread', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'];
const TFJS_BACKENDS = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'];

if (missing !== null) {
  it('browser bench skipped: chromium not found', () => {
    console.log(`browser bench skipped: ${missing}`);
    expect(missing).toContain('chromium not found');
  });
} else {
  describe('a tiny browser run in headless Chromium', () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-browser-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('trains and predicts on every backend of the page, skips with reasons, and writes JSON, markdown and PNG', async () => {
      const options = parseBrowserArgs(['--quick', '--steps', '2', '--repeats', '1', '--predict-images', '40', '--only', 'lab,separable', '--out', out]);
      const lines: string[] = [];
      const results = await runBrowserBench(options, (line) => lines.push(line));
      const files = await writeResults(results, out);

      expect(results.machine.browser).toMatchObject({ name: expect.stringMatching(/^Chromium \d/), userAgent: expect.stringContaining('Chrome/') });
      expect(results.machine.browser!.webglRenderer).not.toBe('');
      const pairs = (rows: readonly { stack: string; backend: string }[]) => rows.map((r) => `${r.stack}/${r.backend}`).sort();
      const expected = [...PERCEPTRON_BACKENDS.map((b) => `perceptron/${b}`), ...TFJS_BACKENDS.map((b) => `tfjs/${b}`)].sort();
      expect(pairs(results.subjects)).toEqual(expected);
      expect(results.subjects.every((s) => s.available), JSON.stringify(results.subjects)).toBe(true);

      for (const [part, rows] of [['training', results.training], ['predict', results.predict]] as const) {
        for (const model of ['lab', 'separable']) {
          const cells = rows.filter((r) => r.model === model);
          expect(pairs(cells), `${part} ${model}`).toEqual(expected);
          for (const cell of cells) {
            expect(cell.status === 'ok' || (cell.status === 'skipped' && cell.reason.length > 0), `${part} ${model} ${cell.stack}/${cell.backend}: ${JSON.stringify(cell)}`).toBe(true);
          }
          const webgl = cells.find((c) => c.stack === 'perceptron' && c.backend === 'tfjs-webgl');
          expect(webgl?.status, `${part} ${model} on Perceptron tfjs-webgl`).toBe('ok');
        }
      }
      expect(results.training.find((t) => t.model === 'separable' && t.stack === 'tfjs' && t.backend === 'tfjs-wasm'))
        .toMatchObject({ status: 'skipped', reason: expect.stringContaining('tfjs registers no Conv2DBackpropFilter') });
      const lab = results.training.find((t) => t.model === 'lab' && t.stack === 'perceptron' && t.backend === 'tfjs-webgl')!;
      if (lab.status !== 'ok') throw new Error(lab.reason);
      expect(lab).toMatchObject({ steps: 2, images: 64, batchSize: 32 });
      expect(Number.isFinite(lab.finalLoss)).toBe(true);
      // Chrome's performance.memory: the JS heap is measured, the process's RSS cannot be.
      expect(lab.memory.heapUsedPeakMB).toBeGreaterThan(0);
      expect(lab.memory.rssPeakMB).toBe(0);

      const saved = JSON.parse(readFileSync(files.latestJson, 'utf8')) as BenchResults;
      expect(saved.training).toHaveLength(results.training.length);
      const markdown = readFileSync(files.markdown, 'utf8');
      expect(markdown).toContain(`Machine: ${results.machine.cpuModel}`);
      expect(markdown).toContain(results.machine.browser!.name);
      expect(markdown).toContain('### Training: separable CNN');
      expect(markdown).toContain('### predict: 40 test images');
      // The page is cross-origin isolated, so simd has helper Web Workers there (one per core beyond the first, up to 3).
      expect(markdown).toMatch(/simd computes the rows of large matrix products and the images of large convolutions on [2-4] threads \(Web Workers: the page is served cross-origin isolated\)/);
      // A PNG starts with its 8-byte signature.
      expect([...readFileSync(files.png).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(lines.some((line) => line.includes('lab · perceptron/tfjs-webgl · warm-up epoch'))).toBe(true);
    }, 90_000);
  });
}
