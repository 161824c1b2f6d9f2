import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digitGridSpec } from '../src/plot/digits.js';
import { learningCurvesSpec } from '../src/plot/learning-curves.js';
import { vegaLiteToSvg } from '../src/plot/render.js';
import { writeChartPng } from '../src/plot/write-png.js';
import { readPngSize } from './png.js';
import { pathFillCounts } from './svg-fills.js';

const dir = mkdtempSync(join(tmpdir(), 'plot-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 4×4 image: a bright diagonal. */
const diagonal = Array.from({ length: 16 }, (_, k) => (Math.floor(k / 4) === k % 4 ? 1 : 0));

describe('plots', () => {
  it('a digit grid is a PNG of the expected size, written without leaving temporary files', async () => {
    const file = join(dir, 'grid.png');
    // 6 images of 4×4 in 3 columns, 40 px per image, gaps of round(4/14) → 1 unit = 10 px:
    // width 3·40 + 2·10 = 140, height 2·40 + 10 = 90 (no title), plus Vega's 5 px padding on
    // each side; the PNG is rendered at 2×.
    await writeChartPng(file, digitGridSpec(Array.from({ length: 6 }, () => ({ pixels: diagonal })), { rows: 4, cols: 4, columns: 3, cellSize: 40 }));
    const { width, height } = readPngSize(file);
    expect(width).toBe(2 * (140 + 10));
    expect(height).toBe(2 * (90 + 10));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('draws one rect per pixel, black for 0 and white for 1', async () => {
    const fills = pathFillCounts(await vegaLiteToSvg(digitGridSpec([{ pixels: diagonal }], { rows: 4, cols: 4, columns: 1 })));
    expect(fills.get('rgb(255, 255, 255)')).toBe(4);
    expect(fills.get('rgb(0, 0, 0)')).toBe(12);
  });

  it('draws an image given a colour scale in it, NaN pixels in its missing colour, beside a grey one, with its legend', async () => {
    const heat = { colours: 'viridis', missing: '#808080', legend: 'heat' };
    // the last column masked: of the diagonal's 4 ones and 12 zeros, 3 and 9 are left
    const masked = diagonal.map((v, k) => (k % 4 === 3 ? NaN : v));
    const svg = await vegaLiteToSvg(digitGridSpec([{ pixels: diagonal }, { pixels: masked, scale: heat }], { rows: 4, cols: 4, columns: 2 }));
    const fills = pathFillCounts(svg);
    expect(fills.get('rgb(255, 255, 255)')).toBe(4);
    expect(fills.get('rgb(0, 0, 0)')).toBe(12);
    expect(fills.get('rgb(253, 231, 37)')).toBe(3); // viridis at 1
    expect(fills.get('rgb(68, 1, 84)')).toBe(9); // viridis at 0
    expect(fills.get('#808080')).toBe(4);
    expect(svg).toMatch(/<text [^>]*>heat<\/text>/);
  });

  it('rejects an image with the wrong number of pixels, naming it', () => {
    expect(() => digitGridSpec([{ pixels: diagonal }, { pixels: [1, 2, 3] }], { rows: 4, cols: 4, columns: 2 })).toThrow(
      'digitGridSpec: image 1 has 3 pixels, expected 4×4 = 16',
    );
  });

  it('learning curves render to a PNG with both panels', async () => {
    const file = join(dir, 'curves.png');
    const epochs = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, accuracy: 0.8 + epoch / 100, valLoss: 0.9 / epoch, valAccuracy: 0.85 + epoch / 100 }));
    const spec = learningCurvesSpec(epochs, [{ progress: 0.5, meanLoss: 1.5, accuracy: 0.6 }]);
    await writeChartPng(file, spec);
    expect(existsSync(file)).toBe(true);
    const { width, height } = readPngSize(file);
    // two 360×260 panels side by side plus axes, legend and title
    expect(width).toBeGreaterThan(2 * 2 * 360);
    expect(height).toBeGreaterThan(2 * 260);
    const svg = await vegaLiteToSvg(spec);
    for (const text of ['Loss', 'Accuracy', 'validation', 'train, running mean within the epoch (logged steps)']) expect(svg).toContain(text);
    expect(svg).not.toContain('NaN');
  });

  it('a run that diverged says so above the loss panel, which has nothing to draw', async () => {
    // --learning-rate 1e30: the loss is NaN from the first steps on, the accuracy stays finite
    const epochs = [1, 2].map((epoch) => ({ epoch, loss: NaN, accuracy: 0.1, valLoss: Infinity, valAccuracy: 0.1 }));
    const svg = await vegaLiteToSvg(learningCurvesSpec(epochs, [{ progress: 0.5, meanLoss: 2.3, accuracy: 0.1 }]));
    expect(svg).toContain('4 of 5 values are NaN or infinite (training diverged) and not drawn');
    expect(svg.match(/aria-roledescription="subtitle"/g)).toHaveLength(1); // the accuracy panel has no note
  });
});
