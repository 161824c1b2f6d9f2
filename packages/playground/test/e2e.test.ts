// The playground end to end in headless Chromium: bad settings refused, the lab's MLP trained
// on tfjs-webgl, a drawn "1" read back, ONNX downloaded and opened again, a lost WebGL context
// survived.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '@perceptron/conformance/browser/chromium';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'test-output');
const missing = chromiumMissingReason();

const state = (page: Page) => page.evaluate(() => document.body.dataset.state);
const waitForState = (page: Page, states: string[], timeout: number) =>
  page.waitForFunction((s) => s.includes(document.body.dataset.state ?? ''), states, { timeout });

async function fill(page: Page, settings: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(settings)) await page.fill(`input[name=${name}]`, value);
}

/** Draws a "1" (one vertical stroke down the middle of the pad) and returns the digit the page reads. */
async function drawOne(page: Page): Promise<string | null> {
  await page.click('#clear');
  await page.evaluate(() => delete document.getElementById('prediction')!.dataset.predicted);
  const pad = (await page.locator('#pad').boundingBox())!;
  await page.mouse.move(pad.x + pad.width * 0.52, pad.y + pad.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(pad.x + pad.width * (0.52 - i * 0.002), pad.y + pad.height * (0.15 + i * 0.035));
  await page.mouse.up();
  await page.waitForFunction(() => document.getElementById('prediction')!.dataset.predicted !== undefined, null, { timeout: 10_000 });
  return page.getAttribute('#prediction', 'data-predicted');
}

if (missing !== null) {
  it('playground e2e skipped: chromium not found', () => {
    console.log(`playground e2e skipped: ${missing}`);
    expect(missing).toContain('chromium not found');
  });
} else {
  describe('the playground in headless Chromium', () => {
    let server: ViteDevServer | null = null;
    let browser: Browser | null = null;
    let page: Page;

    beforeAll(async () => {
      mkdirSync(output, { recursive: true });
      server = await createServer({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', server: { hmr: false, watch: null } });
      await server.listen();
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1200, height: 1100 }, acceptDownloads: true });
      await page.goto(server.resolvedUrls!.local[0]!);
      await waitForState(page, ['idle'], 60_000);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('offers every backend this browser can run, simd and tfjs-webgl included, the fastest chosen', async () => {
      const enabled = await page.$$eval('input[name=backend]:not([disabled])', (inputs) => inputs.map((i) => (i as HTMLInputElement).value));
      expect(enabled).toEqual(['simd', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu', 'naive']);
      expect(await page.isChecked('input[value=simd]')).toBe(true);
    });

    it('refuses empty or invalid settings with a message next to each field', async () => {
      await fill(page, { epochs: '', learningRate: '-1', hidden: '16,x' });
      await page.click('#train');
      expect(await state(page)).toBe('failed');
      const message = (field: string) => page.textContent(`.error[data-for=${field}]`);
      expect(await message('epochs')).toBe('required');
      expect(await message('learningRate')).toBe('must be in (0, 1], got -1');
      expect(await message('hidden')).toBe('each size must be a whole number, got "x"');
      expect(await message('batchSize')).toBe('');
    });

    it('trains one epoch on 10,000 images on tfjs-webgl to ≥ 0.85 validation accuracy, and reads a drawn 1', async () => {
      // The lab's defaults except a learning rate of 0.003, so one short epoch lands well above 0.85.
      await fill(page, { epochs: '1', batchSize: '32', learningRate: '0.003', hidden: '16, 32', trainImages: '10000' });
      await page.check('input[value=tfjs-webgl]');
      await page.click('#train');
      await page.waitForFunction(() => /batch \d+\/313/.test(document.getElementById('progress')!.textContent!), null, { timeout: 60_000 });
      await waitForState(page, ['trained', 'failed'], 150_000);
      const summary = await page.textContent('#progress');
      expect(await state(page), summary!).toBe('trained');
      const accuracy = Number(await page.getAttribute('#progress', 'data-val-accuracy'));
      console.log(`playground e2e: ${summary}`);
      expect(accuracy).toBeGreaterThanOrEqual(0.85);

      // The grid: 40 test digits, the wrong ones (and only they) marked.
      const cells = await page.$$eval('.digit', (figs) => figs.map((f) => ({ label: (f as HTMLElement).dataset.label, predicted: (f as HTMLElement).dataset.predicted, wrong: f.classList.contains('wrong') })));
      expect(cells).toHaveLength(40);
      for (const c of cells) expect(c.wrong).toBe(c.label !== c.predicted);
      expect(cells.filter((c) => !c.wrong).length / cells.length).toBeGreaterThanOrEqual(0.75);

      expect(await drawOne(page), await page.textContent('#prediction') ?? '').toBe('1');

      await page.screenshot({ path: join(output, 'playground.png'), fullPage: true });
    }, 200_000);

    it('downloads the trained model as ONNX', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-onnx')]);
      const file = join(output, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).toBe('mnist-mlp.onnx');
      // At least the float32 weights: 784·16 + 16 + 16·32 + 32 + 32·10 + 10 values.
      expect(statSync(file).size).toBeGreaterThan(4 * (784 * 16 + 16 + 16 * 32 + 32 + 32 * 10 + 10));
    });

    it('opens the downloaded model again: tested on the 10,000 test images, the same predictions, a drawn 1 read', async () => {
      const grid = () => page.$$eval('.digit', (figs) => figs.map((f) => (f as HTMLElement).dataset.predicted));
      const trained = await grid();
      await page.setInputFiles('#onnx-file', join(output, 'mnist-mlp.onnx'));
      await waitForState(page, ['opened', 'failed'], 120_000);
      const summary = await page.textContent('#progress');
      expect(await state(page), summary!).toBe('opened');
      console.log(`playground e2e (opened): ${summary}`);
      expect(summary).toMatch(/^mnist-mlp\.onnx on tfjs-webgl: test accuracy 0\.\d{4} on 10000 images$/);
      expect(Number(await page.getAttribute('#progress', 'data-test-accuracy'))).toBeGreaterThanOrEqual(0.85);
      expect(await grid()).toEqual(trained);
      expect(await drawOne(page), await page.textContent('#prediction') ?? '').toBe('1');
      // It is a file already: only a model trained here is offered for download.
      expect(await page.isDisabled('#download-onnx')).toBe(true);
      await page.screenshot({ path: join(output, 'playground-opened.png'), fullPage: true });
    }, 150_000);

    it('refuses a file that is not an ONNX model, saying why, and keeps reading digits with the model it had', async () => {
      await page.setInputFiles('#onnx-file', { name: 'notes.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
      await waitForState(page, ['failed'], 30_000);
      expect(await page.textContent('#progress')).toMatch(/^Could not open notes\.onnx: notes\.onnx is not a valid ONNX model: /);
      expect(await drawOne(page), await page.textContent('#prediction') ?? '').toBe('1');
    });

    it('stops with a message, not a frozen page, when the WebGL context is lost mid-training; training again starts tfjs-webgl on a new context', async () => {
      await page.click('#train');
      await page.waitForFunction(() => /batch \d+\/313/.test(document.getElementById('progress')!.textContent!), null, { timeout: 60_000 });
      expect(await page.evaluate(() => (window as unknown as { loseWebglContexts(): number }).loseWebglContexts())).toBeGreaterThan(0);
      await waitForState(page, ['failed', 'trained'], 30_000);
      expect(await page.textContent('#progress')).toContain('Training stopped: the WebGL context was lost');
      expect(await page.textContent('#progress')).toContain('Train again to start tfjs-webgl on a new context, or pick another backend.');
      // The lost backend was freed, and is still offered.
      const initialized = () => page.evaluate(() => (window as unknown as { initializedBackends(): string[] }).initializedBackends());
      expect(await initialized()).toEqual([]);
      expect(await page.isEnabled('input[value=tfjs-webgl]')).toBe(true);

      await fill(page, { trainImages: '2000' });
      await page.click('#train');
      await waitForState(page, ['trained', 'failed'], 120_000);
      const summary = await page.textContent('#progress');
      expect(await state(page), summary!).toBe('trained');
      expect(summary).toMatch(/^tfjs-webgl: validation accuracy /);
      console.log(`playground e2e (tfjs-webgl on a new context, 2,000 images): ${summary}`);
      // A lost context reads back zeros: a model that learned was computed on a live one.
      expect(Number(await page.getAttribute('#progress', 'data-val-accuracy'))).toBeGreaterThanOrEqual(0.6);
      expect(await initialized()).toEqual(['tfjs-webgl']);
      await fill(page, { trainImages: '10000' });
    }, 200_000);

    it('trains on simd (WebAssembly SIMD, on Web Workers too: the page is cross-origin isolated) to ≥ 0.85 validation accuracy', async () => {
      await page.check('input[value=simd]');
      await page.click('#train');
      await waitForState(page, ['trained', 'failed'], 120_000);
      const summary = await page.textContent('#progress');
      expect(await state(page), summary!).toBe('trained');
      console.log(`playground e2e: ${summary}`);
      expect(Number(await page.getAttribute('#progress', 'data-val-accuracy'))).toBeGreaterThanOrEqual(0.85);
      // Moving from tfjs-webgl to simd freed tfjs-webgl: nothing of the earlier runs held on to it.
      expect(await page.evaluate(() => (window as unknown as { initializedBackends(): string[] }).initializedBackends())).toEqual(['simd']);
    }, 150_000);

    it("trains demo:cnn's small CNN on simd to ≥ 0.9 validation accuracy, reads a drawn 1 and downloads it as ONNX", async () => {
      await page.selectOption('select[name=model]', 'cnn');
      // The hidden sizes are the MLP's alone.
      expect(await page.isDisabled('input[name=hidden]')).toBe(true);
      await page.check('input[value=simd]');
      await page.click('#train');
      await waitForState(page, ['trained', 'failed'], 150_000);
      const summary = await page.textContent('#progress');
      expect(await state(page), summary!).toBe('trained');
      console.log(`playground e2e (CNN): ${summary}`);
      // The page is cross-origin isolated: simd computes on Web Workers too, one per core beyond the first (up to 3).
      expect(summary).toMatch(/^simd \([2-4] threads\): /);
      expect(Number(await page.getAttribute('#progress', 'data-val-accuracy'))).toBeGreaterThanOrEqual(0.9);
      expect(await drawOne(page), await page.textContent('#prediction') ?? '').toBe('1');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-onnx')]);
      const file = join(output, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).toBe('mnist-cnn.onnx');
      // At least its 7,018 float32 weights.
      expect(statSync(file).size).toBeGreaterThan(4 * 7018);
      await page.screenshot({ path: join(output, 'playground-cnn.png'), fullPage: true });
    }, 200_000);
  });
}
