import { describe, expect, it } from 'vitest';
import { SIDE, toMnist, type Gray } from '../src/preprocess.js';

/** A w×h black image with the given rectangle filled white. */
function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Gray {
  const data = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 1;
  return { width: w, height: h, data };
}

function centreOfMass(img: Float32Array): { x: number; y: number; mass: number } {
  let mass = 0, x = 0, y = 0;
  img.forEach((v, i) => {
    mass += v; x += v * ((i % SIDE) + 0.5); y += v * (Math.floor(i / SIDE) + 0.5);
  });
  return { x: x / mass, y: y / mass, mass };
}

describe('toMnist (bounding box → 20×20 keeping the aspect ratio → centred by mass in 28×28)', () => {
  it('gives null for an empty drawing', () => {
    expect(toMnist(rect(280, 280, 0, 0, 0, 0))).toBeNull();
  });

  it('scales a 100×200 block in a corner to 10×20 white pixels centred at (14, 14)', () => {
    const out = toMnist(rect(280, 280, 10, 30, 110, 230))!;
    expect(out).toHaveLength(784);
    const { x, y, mass } = centreOfMass(out);
    expect(mass).toBeCloseTo(10 * 20, 4); // every target pixel averages pure white
    expect([x, y]).toEqual([14, 14]);
    expect(Math.max(...out)).toBeCloseTo(1, 6);
  });

  it('anti-aliases: a block 1.5 target pixels wide leaves a half-grey column', () => {
    // 30×200 source → scale 0.1 → 3×20 target; the source column 15..30 is white.
    const img = rect(280, 280, 0, 0, 30, 200);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 15; x++) img.data[y * 280 + x] = 0.5;
    const out = toMnist(img)!;
    const row = Array.from(out.subarray(10 * SIDE, 11 * SIDE)).filter((v) => v > 0);
    expect(row.map((v) => +v.toFixed(4))).toEqual([0.5, 0.75, 1]);
  });
});
