// demo:augment on made-up digits (the real run is `npm run demo:augment`): the moves stay within
// their ranges (a bar's angle within 10°, a centred block within the shift and zoom), vary from
// image to image, come out the same chunk by chunk as in one call, and a run trains both models,
// prints their accuracies side by side, draws the moves and leaks nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import '@perceptron/backend-naive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitMoves, moveSplit, runAugmentDemo } from '../src/demos/augment.js';
import type { FlatSplit } from '../src/mnist/split.js';
import { inkBands } from './ink-bands.js';
import { readPngSize } from './png.js';

const SIDE = 28;
const CENTRE = (SIDE - 1) / 2;

beforeAll(async () => {
  await pc.setBackend('naive');
});

/** `count` copies of the image whose pixel (row, col) is `ink(row, col)`. */
function copies(count: number, ink: (row: number, col: number) => number): FlatSplit {
  const image = Float32Array.from({ length: SIDE * SIDE }, (_, k) => ink(Math.floor(k / SIDE), k % SIDE));
  const x = new Float32Array(count * image.length);
  for (let i = 0; i < count; i++) x.set(image, i * image.length);
  return { x, y: new Int32Array(count), count, features: image.length };
}

/** Image i's ink: its mass, centroid and the angle of its long axis from the horizontal (degrees, counter-clockwise as drawn), by its moments in float64. */
function inkShape(split: FlatSplit, i: number): { mass: number; row: number; col: number; degrees: number } {
  const pixels = split.x.subarray(i * split.features, (i + 1) * split.features);
  let [mass, row, col] = [0, 0, 0];
  pixels.forEach((v, k) => {
    mass += v;
    row += v * Math.floor(k / SIDE);
    col += v * (k % SIDE);
  });
  [row, col] = [row / mass, col / mass];
  let [rr, cc, rc] = [0, 0, 0];
  pixels.forEach((v, k) => {
    const [dr, dc] = [Math.floor(k / SIDE) - row, (k % SIDE) - col];
    [rr, cc, rc] = [rr + v * dr * dr, cc + v * dc * dc, rc + v * dr * dc];
  });
  // Rows grow downwards, so an axis turned counter-clockwise on screen has a negative row-column moment.
  return { mass, row, col, degrees: (0.5 * Math.atan2(-2 * rc, cc - rr) * 180) / Math.PI };
}

describe('digitMoves', () => {
  it('turns a bar through the centre by at most 10° either way, each image its own angle', () => {
    const bar = copies(64, (row, col) => Number((row === 13 || row === 14) && col >= 6 && col <= 21));
    const moved = moveSplit(bar, digitMoves(5));
    const angles = Array.from({ length: bar.count }, (_, i) => inkShape(moved, i).degrees);
    for (const angle of angles) expect(Math.abs(angle)).toBeLessThan(10.5);
    expect(Math.max(...angles)).toBeGreaterThan(5);
    expect(Math.min(...angles)).toBeLessThan(-5);
  });

  it('keeps a centred block within a whole-pixel shift of at most 3 (10 % of 28, rounded), seen through a zoom of at most 10 %', () => {
    const block = copies(64, (row, col) => Number(row >= 12 && row <= 15 && col >= 12 && col <= 15));
    const moved = moveSplit(block, digitMoves(9));
    const shifts = Array.from({ length: block.count }, (_, i) => {
      const { mass, row, col } = inkShape(moved, i);
      expect(mass).toBeGreaterThan(16 * 0.75);
      // A shift s seen through a zoom z puts the centroid s / z from the centre: 3 / 0.9 = 3.33 at
      // most, give or take the resampling's hundredths; a shift of 4 would be 4 / 1.1 = 3.64 at least.
      for (const offset of [row - CENTRE, col - CENTRE]) expect(Math.abs(offset)).toBeLessThan(3.5);
      return `${Math.round(row - CENTRE)},${Math.round(col - CENTRE)}`;
    });
    expect(new Set(shifts).size).toBeGreaterThan(10);
  });

  it('moves a split chunk by chunk as one call would move it whole', () => {
    const count = 1001;
    const split: FlatSplit = { x: Float32Array.from({ length: count * SIDE * SIDE }, (_, k) => (k % 97) / 97), y: new Int32Array(count), count, features: SIDE * SIDE };
    const inChunks = moveSplit(split, digitMoves(3));
    const whole = pc.tidy(() => {
      let images = pc.tensor(split.x, [count, SIDE, SIDE, 1]);
      for (const move of digitMoves(3)) images = move.apply(images, { training: true }) as pc.Tensor;
      return images;
    });
    expect(inChunks.x).toEqual(whole.dataSync());
    expect(inChunks.y).toBe(split.y);
    whole.dispose();
  });
});

describe('runAugmentDemo', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'demo-augment-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains the network as written and augmented, tests both on the test set and its moved copy, prints them side by side and draws the moves', async () => {
    const arrays = { train: inkBands(60), validation: inkBands(6), test: inkBands(6, 10) };
    const before = pc.memory().numTensors;
    const lines: string[] = [];
    const result = await runAugmentDemo({ epochs: 4, batchSize: 6, seed: 7, out }, (line) => lines.push(line), arrays);
    for (const model of [result.plain, result.augmented]) {
      expect(model.trainingLoss).toHaveLength(4);
      expect(model.trainingLoss[3]).toBeLessThan(model.trainingLoss[0]!);
      expect(model.movedTestAccuracy).toBeGreaterThanOrEqual(0);
      expect(model.movedTestAccuracy).toBeLessThanOrEqual(1);
    }
    const table = lines.slice(lines.findIndex((line) => line.trimStart().startsWith('accuracy')));
    expect(table.slice(0, 3).map((line) => line.split(/\s+/).filter(Boolean))).toEqual([
      ['accuracy', 'test', 'moved', 'test'],
      ['as', 'written', result.plain.testAccuracy.toFixed(4), result.plain.movedTestAccuracy.toFixed(4)],
      ['augmented', result.augmented.testAccuracy.toFixed(4), result.augmented.movedTestAccuracy.toFixed(4)],
    ]);
    expect(lines).toContain(`Wrote ${join(out, 'augmentation.png')}`);
    const { width, height } = readPngSize(join(out, 'augmentation.png'));
    expect(width).toBeGreaterThan(height); // eight digits a line, four lines
    expect(pc.memory().numTensors).toBe(before);
  });
});
