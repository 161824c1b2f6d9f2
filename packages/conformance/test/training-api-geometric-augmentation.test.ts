// Keras 3's RandomShear, RandomPerspective, RandomGaussianBlur, RandomErasing and
// RandomElasticTransform against float64 computations written here: a pinned shear's sample
// positions (x + sx·y, y + sy·x), its sign recovered per image, sampled bilinearly; a
// perspective map recovered from images whose channels are their own column and row, checked to
// fix the top-left corner, to move the others within ±scale/2 and to give every pixel; blur
// against a plain convolution with Keras's kernel, zero beyond the edges, and σ recovered from a
// blurred point; erasing's rectangle and fill; the elastic displacements, read off position
// images, by their spread α·σ·‖w‖ and the neighbour correlation of blurred noise, every pixel
// read bilinearly where they point. Each draws per image and by chance as Keras does, repeats
// with a seed, passes images through at inference, passes gradients to the pixels, trains in a
// model leaking nothing, survives a save, reads Keras 3 descriptions and names bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { ndarray, transform } from '../src/reference/index.js';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

/** [batch, height, width, channels]. */
type Shape4 = readonly [number, number, number, number];

const record = errorRecorder('geometric augmentation');

const at = ([, height, width, channels]: Shape4, b: number, y: number, x: number, c: number): number => ((b * height + y) * width + x) * channels + c;

/** Image b's channel c read at (sx, sy) in float64: bilinear between the four pixels around it, `fill` outside the pixel centres. */
function sample(values: readonly number[], shape: Shape4, b: number, sx: number, sy: number, c: number, fill: number): number {
  const [, height, width] = shape;
  if (!(sx >= 0 && sx <= width - 1 && sy >= 0 && sy <= height - 1)) return fill;
  const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
  const [x1, y1] = [Math.min(x0 + 1, width - 1), Math.min(y0 + 1, height - 1)];
  const [fx, fy] = [sx - x0, sy - y0];
  const v = (y: number, x: number) => values[at(shape, b, y, x, c)]!;
  return (1 - fy) * ((1 - fx) * v(y0, x0) + fx * v(y0, x1)) + fy * ((1 - fx) * v(y1, x0) + fx * v(y1, x1));
}

/** Image b warped in float64: output (x, y) reads `position(x, y)`. */
function warped(values: readonly number[], shape: Shape4, b: number, position: (x: number, y: number) => [number, number], fill: number): number[] {
  const [, height, width, channels] = shape;
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = position(x, y);
      for (let c = 0; c < channels; c++) out.push(sample(values, shape, b, sx, sy, c, fill));
    }
  }
  return out;
}

/** The images of a [batch, ...] result, one list each. */
const imagesOf = (values: ArrayLike<number>, batch: number): number[][] => {
  const size = values.length / batch;
  return Array.from({ length: batch }, (_, b) => Array.from(values).slice(b * size, (b + 1) * size));
};

const maxError = (got: readonly number[], want: readonly number[]): number => want.reduce((m, v, i) => Math.max(m, Math.abs(got[i]! - v)), 0);

/** The solution of the square system `a`·x = `rhs` in float64 (Gaussian elimination with partial pivoting). */
function solve(a: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const m = a.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    const pivot = m.slice(col).reduce((best, row, i) => (Math.abs(row[col]!) > Math.abs(m[best]![col]!) ? col + i : best), col);
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (m[r]![n]! - m[r]!.slice(r + 1, n).reduce((s, v, i) => s + v * x[r + 1 + i]!, 0)) / m[r]![r]!;
  return x;
}

/**
 * The projective map [a0..a7] fitted by least squares to sample positions: output (x, y) read
 * input (X, Y), so a0x + a1y + a2 − a6xX − a7yX = X, and likewise for Y.
 */
function fitProjective(points: readonly (readonly [number, number, number, number])[]): number[] {
  const normal = Array.from({ length: 8 }, () => Array<number>(8).fill(0));
  const rhs = Array<number>(8).fill(0);
  for (const [x, y, X, Y] of points) {
    for (const [row, target] of [[[x, y, 1, 0, 0, 0, -x * X, -y * X], X], [[0, 0, 0, x, y, 1, -x * Y, -y * Y], Y]] as const) {
      row.forEach((ri, i) => {
        rhs[i]! += ri * target;
        row.forEach((rj, j) => { normal[i]![j]! += ri * rj; });
      });
    }
  }
  return solve(normal, rhs);
}

/** Where the map [a0..a7] takes (x, y). */
const project = (a: readonly number[], x: number, y: number): [number, number] => {
  const k = a[6]! * x + a[7]! * y + 1;
  return [(a[0]! * x + a[1]! * y + a[2]!) / k, (a[3]! * x + a[4]! * y + a[5]!) / k];
};

/** Keras's Gaussian taps in float64. */
const taps = (size: number, sigma: number): number[] => {
  const raw = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - (size - 1) / 2) / sigma) ** 2));
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
};

/** Image b convolved in float64 with the kernel rows ⊗ columns, zero beyond the edges, then clipped to [low, high]. */
function blurred(values: readonly number[], shape: Shape4, b: number, rows: readonly number[], columns: readonly number[], [low, high]: readonly [number, number]): number[] {
  const [, height, width, channels] = shape;
  const [ry, rx] = [(rows.length - 1) / 2, (columns.length - 1) / 2];
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        rows.forEach((wy, i) => columns.forEach((wx, j) => {
          const [yy, xx] = [y + i - ry, x + j - rx];
          if (yy >= 0 && yy < height && xx >= 0 && xx < width) s += wy * wx * values[at(shape, b, yy, xx, c)]!;
        }));
        out.push(Math.min(high, Math.max(low, s)));
      }
    }
  }
  return out;
}

/** The tape's gradient of Σ g·layer(x) w.r.t. x while training, with the output. */
function outputAndGradient(layer: pc.Layer, x: pc.Tensor, g: readonly number[]): { output: number[]; dx: number[] } {
  const [y, dx] = pc.tidy(() => {
    const tape = new pc.GradientTape();
    tape.watch(x);
    const output = tape.record(() => layer.apply(x, { training: true }) as pc.Tensor);
    const loss = tape.record(() => pc.sum(pc.mul(output, pc.tensor(g, output.shape))));
    return [output, tape.gradient(loss, x)!];
  });
  const result = { output: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
  pc.dispose([y, dx]);
  return result;
}

/** Images whose channel 0 is their column, channel 1 their row and channel 2 `values`: a bilinear read of them gives its own position. */
function positionImages(batch: number, height: number, width: number, seed: number): { shape: Shape4; values: number[] } {
  const noise = draws(batch * height * width, seed, -1, 1);
  const values: number[] = [];
  for (let p = 0; p < batch * height * width; p++) values.push(p % width, Math.floor(p / width) % height, noise[p]!);
  return { shape: [batch, height, width, 3], values };
}

for (const backend of MODEL_BACKENDS) {
  describe(`geometric augmentation layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(7);
    });

    it('RandomShear pinned to sx = 0.25, sy = 0.5 reads (x + sx·y, y + sy·x), both negated together by chance per image; a seed repeats; inference passes through', () => {
      const shape: Shape4 = [16, 5, 6, 2];
      const values = draws(16 * 60, 1, -1, 1);
      const x = pc.tensor(values, shape);
      const run = () => pc.tidy(() => new pc.RandomShear([0.25, 0.25], [0.5, 0.5], { fillMode: 'constant', fillValue: -5, seed: 4 }).apply(x, { training: true }) as pc.Tensor);
      const [y, again] = [run(), run()];
      const signs = imagesOf(y.dataSync(), 16).map((got, b) => {
        // Factors exact in float32, so the positions the layer computes are these, edges included.
        const [plus, minus] = [1, -1].map((s) => warped(values, shape, b, (c, r) => [c + s * 0.25 * r, r + s * 0.5 * c], -5));
        const sign = maxError(got, plus!) < maxError(got, minus!) ? 1 : -1;
        const want = sign === 1 ? plus! : minus!;
        record('RandomShear pinned', got, want);
        expectClose(got, want, 1e-5, 1e-6);
        return sign;
      });
      expect(signs.filter((s) => s === 1).length, 'images sheared +').toBeGreaterThan(2);
      expect(signs.filter((s) => s === -1).length, 'images sheared −').toBeGreaterThan(2);
      expect(Array.from(again.dataSync())).toEqual(Array.from(y.dataSync()));
      // The default fillMode, 'reflect', against the float64 transform oracle, one image [h, w, c].
      const one = pc.tensor(values.slice(0, 60), shape.slice(1));
      const reflected = pc.tidy(() => new pc.RandomShear([0.5, 0.5], [0, 0], { seed: 2 }).apply(one, { training: true }) as pc.Tensor);
      expect(reflected.shape).toEqual([5, 6, 2]);
      const candidates = [0.5, -0.5].map((s) => transform(ndarray([1, 5, 6, 2], values.slice(0, 60)), [[1, s, 0, 0, 1, 0, 0, 0]], { interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0, outputShape: null }).data);
      const got = Array.from(reflected.dataSync());
      const want = Array.from(candidates.reduce((best, c) => (maxError(got, Array.from(c)) < maxError(got, Array.from(best)) ? c : best)));
      record('RandomShear reflect', got, want);
      expectClose(got, want, 1e-5, 1e-6);
      const passed = pc.tidy(() => new pc.RandomShear(0.3, 0.3).apply(x) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(x.dataSync()));
      pc.dispose([x, y, again, one, reflected, passed]);
    });

    it('RandomPerspective warps by the projective map that fixes the top-left corner and moves the others within ±scale/2 of each coordinate', () => {
      const { shape, values } = positionImages(6, 7, 9, 2);
      const x = pc.tensor(values, shape);
      const y = pc.tidy(() => new pc.RandomPerspective([1, 1], { scale: 0.4, fillValue: -100, seed: 5 }).apply(x, { training: true }) as pc.Tensor);
      const [, height, width] = shape;
      const corners = [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]] as const;
      const maps = imagesOf(y.dataSync(), 6).map((got, b) => {
        // Inside pixels read their own sample position from channels 0 and 1.
        const points: [number, number, number, number][] = [];
        for (let p = 0; p < height * width; p++) if (got[3 * p]! !== -100) points.push([p % width, Math.floor(p / width), got[3 * p]!, got[3 * p + 1]!]);
        expect(points.length, 'pixels inside').toBeGreaterThan(20);
        const map = fitProjective(points);
        // The moved corners are where the map takes back to the corners: solve map(u, v) = corner.
        for (const [cx, cy] of corners) {
          const [u, v] = solve([[map[0]! - cx * map[6]!, map[1]! - cx * map[7]!], [map[3]! - cy * map[6]!, map[4]! - cy * map[7]!]], [cx - map[2]!, cy - map[5]!]);
          if (cx === 0) expect(Math.abs(u!), 'a left corner keeps x = 0').toBeLessThan(1e-3);
          else expect(Math.abs(u! / cx - 1), `corner (${cx}, ${cy}) x moved by at most scale/2`).toBeLessThanOrEqual(0.2 + 1e-4);
          if (cy === 0) expect(Math.abs(v!), 'a top corner keeps y = 0').toBeLessThan(1e-3);
          else expect(Math.abs(v! / cy - 1), `corner (${cx}, ${cy}) y moved by at most scale/2`).toBeLessThanOrEqual(0.2 + 1e-4);
        }
        // Every pixel: the float64 bilinear read at the map's position, or the fill outside;
        // the two may disagree on inside and outside only within 1e-3 of the edge.
        const want = warped(values, shape, b, (c, r) => project(map, c, r), -100);
        for (let p = 0; p < height * width; p++) {
          const [sx, sy] = project(map, p % width, Math.floor(p / width));
          const edge = Math.min(Math.abs(sx), Math.abs(sy), Math.abs(sx - width + 1), Math.abs(sy - height + 1)) < 1e-3;
          const pixel = [0, 1, 2].map((c) => got[3 * p + c]!);
          const expected = [0, 1, 2].map((c) => want[3 * p + c]!);
          if (edge && (pixel[0] === -100) !== (expected[0] === -100)) continue;
          record('RandomPerspective', pixel, expected);
          expectClose(pixel, expected, 1e-4, 1e-4);
        }
        return map;
      });
      // Each image its own map, not the identity.
      expect(new Set(maps.map((m) => m.map((v) => v.toFixed(3)).join())).size).toBe(6);
      for (const m of maps) expect(Math.max(...m.map((v, i) => Math.abs(v - [1, 0, 0, 0, 1, 0, 0, 0][i]!)))).toBeGreaterThan(1e-3);
      pc.dispose([x, y]);
    });

    it('RandomElasticTransform reads at (x + α·dx, y + α·dy): α = 0.1·s·size, the fields σ-scaled normal noise blurred with σ = 0.05·s·size, by their spread and smoothness', () => {
      const { shape, values } = positionImages(16, 20, 20, 4);
      const x = pc.tensor(values, shape);
      const y = pc.tidy(() => new pc.RandomElasticTransform([1, 1], { scale: [1, 1], fillMode: 'constant', fillValue: -1000, valueRange: [-1000, 1000], seed: 3 }).apply(x, { training: true }) as pc.Tensor);
      // s = 1 on 20 × 20: α = 2, σ = 1 over int(6σ) | 1 = 7 taps. Away from the edges (3 pixels)
      // a displacement is α·σ·Σ w·z over the 2-D kernel w of normal z: its spread is α·σ·‖w‖.
      const t = taps(7, 1);
      const norm2 = t.reduce((acc, v) => acc + v * v, 0);
      const spread = 2 * 1 * norm2;
      // Neighbours share all but the edge taps: their correlation along a row is Σ t_i t_{i+1} / Σ t_i².
      const correlation = t.slice(1).reduce((acc, v, i) => acc + v * t[i]!, 0) / norm2;
      const [shifts, pairs]: [number[], [number, number][]] = [[], []];
      const fields = imagesOf(y.dataSync(), 16).map((got, b) => {
        const shift = (r: number, c: number): [number, number] => [got[3 * (r * 20 + c)]! - c, got[3 * (r * 20 + c) + 1]! - r];
        for (let r = 3; r < 17; r++) {
          for (let c = 3; c < 17; c++) {
            if (got[3 * (r * 20 + c)] === -1000) continue;
            shifts.push(...shift(r, c));
            if (c < 16 && got[3 * (r * 20 + c + 1)] !== -1000) pairs.push([shift(r, c)[0], shift(r, c + 1)[0]], [shift(r, c)[1], shift(r, c + 1)[1]]);
          }
        }
        // Channel 2 read at the same points, bilinearly.
        const want: number[] = [];
        const kept: number[] = [];
        for (let p = 0; p < 400; p++) {
          if (got[3 * p] === -1000) continue;
          want.push(sample(values, shape, b, got[3 * p]!, got[3 * p + 1]!, 2, -1000));
          kept.push(got[3 * p + 2]!);
        }
        record('RandomElasticTransform', kept, want);
        expectClose(kept, want, 1e-4, 1e-4);
        return got.join();
      });
      expect(new Set(fields).size).toBe(16);
      const rms = Math.sqrt(shifts.reduce((acc, v) => acc + v * v, 0) / shifts.length);
      expect(Math.abs(rms / spread - 1), `spread ${rms} against ${spread}`).toBeLessThan(0.12);
      const mean = (vs: readonly number[]) => vs.reduce((acc, v) => acc + v, 0) / vs.length;
      const [a, c] = [pairs.map(([u]) => u), pairs.map(([, v]) => v)];
      const [ma, mc] = [mean(a), mean(c)];
      const cov = mean(a.map((v, i) => (v - ma) * (c[i]! - mc)));
      const rho = cov / Math.sqrt(mean(a.map((v) => (v - ma) ** 2)) * mean(c.map((v) => (v - mc) ** 2)));
      expect(Math.abs(rho - correlation), `neighbour correlation ${rho} against ${correlation}`).toBeLessThan(0.08);
      // The two fields are drawn apart: a pixel's dx and dy are uncorrelated.
      const [dx, dy] = [shifts.filter((_, i) => i % 2 === 0), shifts.filter((_, i) => i % 2 === 1)];
      const crossed = mean(dx.map((v, i) => v * dy[i]!)) / Math.sqrt(mean(dx.map((v) => v * v)) * mean(dy.map((v) => v * v)));
      expect(Math.abs(crossed), `dx, dy correlation ${crossed}`).toBeLessThan(0.15);
      pc.dispose([x, y]);
    });

    it('RandomPerspective, RandomGaussianBlur, RandomErasing and RandomElasticTransform act on each image by chance: a number f draws the probability from [0, f]', () => {
      const shape: Shape4 = [40, 4, 4, 1];
      const values = draws(40 * 16, 3, 0.2, 0.8);
      const x = pc.tensor(values, shape);
      const changed = (layer: pc.Layer) => {
        const y = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
        const count = imagesOf(y.dataSync(), 40).filter((got, b) => got.some((v, i) => v !== values[b * 16 + i])).length;
        y.dispose();
        return count;
      };
      const layers = (factor: pc.Factor): pc.Layer[] => [
        new pc.RandomPerspective(factor, { seed: 1 }), new pc.RandomGaussianBlur(factor, { valueRange: [0, 1], seed: 2 }), new pc.RandomErasing(factor, { fillValue: 0, valueRange: [0, 1], scale: [0.3, 0.3], seed: 3 }),
        new pc.RandomElasticTransform(factor, { scale: [1, 1], valueRange: [0, 1], seed: 4 }),
      ];
      for (const layer of layers(1)) {
        // About half: p uniform in [0, 1], then a uniform draw below it.
        expect(changed(layer), `${layer.name} with factor 1`).toBeGreaterThan(10);
        expect(changed(layer), `${layer.name} with factor 1`).toBeLessThan(30);
      }
      for (const layer of layers([1, 1])) expect(changed(layer), `${layer.name} with factor [1, 1]`).toBe(40);
      for (const layer of layers(0)) expect(changed(layer), `${layer.name} with factor 0`).toBe(0);
      x.dispose();
    });

    it("RandomGaussianBlur with a fixed σ is the plain convolution with Keras's kernel, zero beyond the edges, then clipped; per image σ within the range", () => {
      const shape: Shape4 = [3, 6, 7, 2];
      const values = draws(3 * 84, 4, 0, 255);
      const x = pc.tensor(values, shape);
      for (const [kernelSize, sigma] of [[5, 1.3], [[3, 5], 0.8]] as const) {
        const y = pc.tidy(() => new pc.RandomGaussianBlur([1, 1], { kernelSize, sigma, seed: 1 }).apply(x, { training: true }) as pc.Tensor);
        const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
        imagesOf(y.dataSync(), 3).forEach((got, b) => {
          const want = blurred(values, shape, b, taps(kh, sigma + 1e-6), taps(kw, sigma + 1e-6), [0, 255]);
          record('RandomGaussianBlur', got, want);
          expectClose(got, want, 1e-5, 1e-4);
        });
        y.dispose();
      }
      // Clipping: values past [0, 1] come back inside even where nothing is blurred.
      const wide = pc.tensor(values.map((v) => v / 100 - 1), shape);
      const clipped = pc.tidy(() => new pc.RandomGaussianBlur(0, { valueRange: [0, 1] }).apply(wide, { training: true }) as pc.Tensor);
      expect(Array.from(clipped.dataSync())).toEqual(values.map((v) => Math.fround(Math.min(1, Math.max(0, Math.fround(v / 100 - 1))))));
      // σ per image from a blurred point: the taps' ratio next to the centre is exp(−1/(2σ²)).
      const point = Array.from({ length: 12 * 49 }, (_, i) => (i % 49 === 24 ? 100 : 0));
      const points = pc.tensor(point, [12, 7, 7, 1]);
      const layer = new pc.RandomGaussianBlur([1, 1], { kernelSize: 5, sigma: [0.5, 1.5], seed: 3 });
      const spread = pc.tidy(() => layer.apply(points, { training: true }) as pc.Tensor);
      const sigmas = imagesOf(spread.dataSync(), 12).map((got, b) => {
        const sigma = Math.sqrt(-0.5 / Math.log(got[24 + 1]! / got[24]!));
        const want = blurred(point, [12, 7, 7, 1], b, taps(5, sigma), taps(5, sigma), [0, 255]);
        record('RandomGaussianBlur recovered σ', got, want);
        expectClose(got, want, 1e-4, 1e-4);
        return sigma;
      });
      for (const s of sigmas) expect(s >= 0.5 - 1e-4 && s <= 1.5 + 1e-4, `σ ${s} in [0.5, 1.5]`).toBe(true);
      expect(new Set(sigmas.map((s) => s.toFixed(4))).size).toBe(12);
      expect(Math.min(...sigmas)).toBeLessThan(0.75);
      expect(Math.max(...sigmas)).toBeGreaterThan(1.25);
      const passed = pc.tidy(() => layer.apply(wide) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(wide.dataSync()));
      pc.dispose([x, wide, clipped, points, spread, passed]);
    });

    it('RandomErasing fills a rectangle of √s_w·width by √s_h·height pixels placed where it fits, with a constant, one value per channel, or clipped noise', () => {
      const shape: Shape4 = [12, 8, 12, 3];
      const values = draws(12 * 288, 5, 0.5, 1);
      const x = pc.tensor(values, shape);
      const rectangleOf = (got: readonly number[], b: number, isFill: (v: number, c: number) => boolean) => {
        const erased: [number, number][] = [];
        for (let r = 0; r < 8; r++) {
          for (let c = 0; c < 12; c++) {
            const pixel = [0, 1, 2].map((k) => got[(r * 12 + c) * 3 + k]!);
            if (pixel.every((v, k) => isFill(v, k))) erased.push([r, c]);
            else expect(pixel, `image ${b} pixel (${r}, ${c}) kept`).toEqual([0, 1, 2].map((k) => values[at(shape, b, r, c, k)]!));
          }
        }
        const rows = [...new Set(erased.map(([r]) => r))];
        const columns = [...new Set(erased.map(([, c]) => c))];
        // A whole rectangle: every (row, column) pair of its rows and columns, contiguous.
        expect(erased.length).toBe(rows.length * columns.length);
        expect(Math.max(...rows) - Math.min(...rows) + 1).toBe(rows.length);
        expect(Math.max(...columns) - Math.min(...columns) + 1).toBe(columns.length);
        return [rows.length, columns.length];
      };
      // scale [0.25, 0.25]: sides √0.25·12 = 6 columns and √0.25·8 = 4 rows, wherever they fall.
      const fixed = pc.tidy(() => new pc.RandomErasing([1, 1], { scale: [0.25, 0.25], fillValue: 0.25, valueRange: [0, 1], seed: 6 }).apply(x, { training: true }) as pc.Tensor);
      const places = new Set<string>();
      imagesOf(fixed.dataSync(), 12).forEach((got, b) => {
        expect(rectangleOf(got, b, (v) => v === 0.25)).toEqual([4, 6]);
        places.add(String(got.indexOf(0.25)));
      });
      expect(places.size, 'rectangles at different places').toBeGreaterThan(4);
      // A range of scales: sides between ⌊√0.1·n⌋ and ⌈√0.5·n⌉; one fill per channel.
      const ranged = pc.tidy(() => new pc.RandomErasing([1, 1], { scale: [0.1, 0.5], fillValue: [0.1, 0.2, 0.3], valueRange: [0, 1], seed: 7 }).apply(x, { training: true }) as pc.Tensor);
      const sizes = imagesOf(ranged.dataSync(), 12).map((got, b) => rectangleOf(got, b, (v, c) => v === Math.fround([0.1, 0.2, 0.3][c]!)));
      for (const [rows, columns] of sizes) {
        expect(rows! >= Math.floor(Math.sqrt(0.1) * 8) && rows! <= Math.ceil(Math.sqrt(0.5) * 8), `rows ${rows}`).toBe(true);
        expect(columns! >= Math.floor(Math.sqrt(0.1) * 12) && columns! <= Math.ceil(Math.sqrt(0.5) * 12), `columns ${columns}`).toBe(true);
      }
      expect(new Set(sizes.map((s) => s.join())).size).toBeGreaterThan(3);
      // Noise: normal draws times valueRange's high, clipped to the range, so some at each end.
      const noisy = pc.tidy(() => new pc.RandomErasing([1, 1], { scale: [0.25, 0.25], valueRange: [0.5, 1], seed: 8 }).apply(x, { training: true }) as pc.Tensor);
      const changed = Array.from(noisy.dataSync()).filter((v, i) => v !== values[i]);
      expect(changed.length).toBeGreaterThan(12 * 24 * 3 * 0.6);
      expect(changed.every((v) => v >= 0.5 && v <= 1)).toBe(true);
      expect(changed.filter((v) => v === 0.5).length).toBeGreaterThan(100);
      expect(changed.filter((v) => v === 1).length).toBeGreaterThan(50);
      const passed = pc.tidy(() => new pc.RandomErasing([1, 1]).apply(x) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(x.dataSync()));
      pc.dispose([x, fixed, ranged, noisy, passed]);
    });

    it('each layer repeats its draws for a seed and makes others for another seed', () => {
      const x = pc.tensor(draws(4 * 6 * 6 * 2, 10, 0.1, 0.9), [4, 6, 6, 2]);
      const makers: ((seed: number) => pc.Layer)[] = [
        (seed) => new pc.RandomShear(0.3, 0.3, { seed }), (seed) => new pc.RandomPerspective(1, { seed }),
        (seed) => new pc.RandomGaussianBlur(1, { sigma: [0.3, 2], valueRange: [0, 1], seed }), (seed) => new pc.RandomErasing(1, { valueRange: [0, 1], seed }),
        (seed) => new pc.RandomElasticTransform(1, { valueRange: [0, 1], seed }),
      ];
      for (const make of makers) {
        const [a, b, c] = [make(1), make(1), make(2)].map((layer) => pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor));
        expect(Array.from(b!.dataSync()), make(0).constructor.name).toEqual(Array.from(a!.dataSync()));
        expect(Array.from(c!.dataSync()), make(0).constructor.name).not.toEqual(Array.from(a!.dataSync()));
        pc.dispose([a!, b!, c!]);
      }
      x.dispose();
    });

    it('gradients reach the pixels: by finite differences for shear and blur, ⟨dx, x⟩ = ⟨g, y⟩ for the linear perspective and elastic maps, g off the rectangle for erasing', () => {
      const shape: Shape4 = [1, 4, 5, 1];
      const values = draws(20, 6, -1, 1);
      const x = pc.tensor(values, shape);
      const g = draws(20, 7, -1, 1);
      const shear = outputAndGradient(new pc.RandomShear([0.4, 0.4], [0.3, 0.3], { fillMode: 'constant', seed: 3 }), x, g);
      // The factors as the layer's float32 transform holds them.
      const [sx, sy] = [Math.fround(0.4), Math.fround(0.3)];
      const sign = maxError(shear.output, warped(values, shape, 0, (c, r) => [c + sx * r, r + sy * c], 0)) < 1e-5 ? 1 : -1;
      const shearWant = finiteDifferences(values, g, (moved) => warped(moved, shape, 0, (c, r) => [c + sign * sx * r, r + sign * sy * c], 0));
      record('RandomShear gradient', shear.dx, shearWant);
      expectClose(shear.dx, shearWant, 1e-4, 1e-5);
      const blur = outputAndGradient(new pc.RandomGaussianBlur([1, 1], { sigma: 0.9, valueRange: [-10, 10], seed: 1 }), x, g);
      const blurWant = finiteDifferences(values, g, (moved) => blurred(moved, shape, 0, taps(3, 0.9 + 1e-6), taps(3, 0.9 + 1e-6), [-10, 10]));
      record('RandomGaussianBlur gradient', blur.dx, blurWant);
      expectClose(blur.dx, blurWant, 1e-4, 1e-5);
      const perspective = outputAndGradient(new pc.RandomPerspective([1, 1], { scale: 0.5, seed: 4 }), x, g);
      const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
      expect(Math.abs(dot(perspective.dx, values) - dot(g, perspective.output))).toBeLessThan(1e-4);
      expect(perspective.dx.filter((d) => d !== 0).length).toBeGreaterThan(5);
      const elastic = outputAndGradient(new pc.RandomElasticTransform([1, 1], { scale: [1, 1], valueRange: [-10, 10], seed: 5 }), x, g);
      expect(Math.abs(dot(elastic.dx, values) - dot(g, elastic.output))).toBeLessThan(1e-4);
      expect(elastic.dx).not.toEqual(g.map(Math.fround));
      const erasing = outputAndGradient(new pc.RandomErasing([1, 1], { fillValue: 5, valueRange: [0, 10], scale: [0.3, 0.3], seed: 2 }), x, g);
      const kept = g.map((v, i) => (erasing.output[i] === 5 ? 0 : v));
      expect(kept.filter((v) => v === 0).length).toBeGreaterThan(0);
      expect(erasing.dx).toEqual(kept.map(Math.fround));
      x.dispose();
    });

    it('a model with the five layers trains leaking nothing and survives a save; each layer is rebuilt from its config', async () => {
      const x = pc.tensor(draws(2 * 6 * 6 * 3, 8, 0, 1), [2, 6, 6, 3]);
      const layers = [
        new pc.RandomShear(0.2, [0, 0.1], { fillMode: 'wrap', interpolation: 'nearest', seed: 1, name: 'shear' }),
        new pc.RandomPerspective(0.5, { scale: 0.3, fillValue: 0.5, seed: 2, name: 'perspective' }),
        new pc.RandomGaussianBlur([0.2, 0.9], { kernelSize: [3, 5], sigma: [0.4, 1.1], valueRange: [0, 1], seed: 3, name: 'blur' }),
        new pc.RandomErasing(0.7, { scale: 0.2, fillValue: [0.1, 0.2, 0.3], valueRange: [0, 1], seed: 4, name: 'erasing' }),
        new pc.RandomElasticTransform([0.5, 1], { scale: 0.8, interpolation: 'nearest', valueRange: [0, 1], seed: 5, name: 'elastic' }),
      ];
      const model = new pc.Sequential([pc.Input({ shape: [6, 6, 3] }), ...layers, new pc.Flatten(), new pc.Dense(2)]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, layers);
      expect(layers.map((l) => l.getConfig())).toMatchObject([
        { xFactor: [-0.2, 0.2], yFactor: [0, 0.1], fillMode: 'wrap', interpolation: 'nearest', fillValue: 0, seed: 1 },
        { factor: [0, 0.5], scale: 0.3, fillMode: 'constant', fillValue: 0.5, seed: 2 },
        { factor: [0.2, 0.9], kernelSize: [3, 5], sigma: [0.4, 1.1], valueRange: [0, 1], seed: 3 },
        { factor: [0, 0.7], scale: [0, 0.2], fillValue: [0.1, 0.2, 0.3], valueRange: [0, 1], seed: 4 },
        { factor: [0.5, 1], scale: [0, 0.8], interpolation: 'nearest', fillMode: 'reflect', fillValue: 0, valueRange: [0, 1], seed: 5 },
      ]);
      x.dispose();
      model.dispose();
    });
  });
}

describe('geometric augmentation layers', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it('read Keras 3 descriptions of RandomShear, RandomPerspective, RandomGaussianBlur, RandomErasing and RandomElasticTransform', async () => {
    const layers = [
      { className: 'RandomShear', name: 'shear', config: { x_factor: [-0.2, 0.2], y_factor: [0.0, 0.3], interpolation: 'bilinear', fill_mode: 'reflect', fill_value: 0.0, data_format: 'channels_last', seed: 3 } },
      { className: 'RandomPerspective', name: 'perspective', config: { factor: [0.0, 1.0], scale: 0.5, interpolation: 'nearest', fill_value: 0.0, seed: null } },
      { className: 'RandomGaussianBlur', name: 'blur', config: { factor: [0.0, 1.0], kernel_size: [3, 3], sigma: [0.0, 1.0], value_range: [0, 255], data_format: 'channels_last', seed: 4 } },
      { className: 'RandomErasing', name: 'erasing', config: { factor: [0.0, 1.0], scale: [0.02, 0.33], fill_value: null, value_range: [0, 255], data_format: 'channels_last', seed: null } },
      { className: 'RandomElasticTransform', name: 'elastic', config: { factor: [0.0, 1.0], scale: [0.0, 1.0], interpolation: 'bilinear', fill_mode: 'reflect', fill_value: 0.0, value_range: [0, 255], data_format: 'channels_last', seed: 6 } },
    ];
    const model = await pc.loadLayersModel(keras3Files({ inputs: [{ name: 'images', shape: [5, 5, 3] }], layers }));
    expect(model.layers.slice(1).map((l) => l.constructor)).toEqual([pc.RandomShear, pc.RandomPerspective, pc.RandomGaussianBlur, pc.RandomErasing, pc.RandomElasticTransform]);
    expect(model.layers.slice(1).map((l) => l.getConfig())).toMatchObject([
      { xFactor: [-0.2, 0.2], yFactor: [0, 0.3], interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0, seed: 3 },
      { factor: [0, 1], scale: 0.5, interpolation: 'nearest', fillMode: 'constant', fillValue: 0 },
      { factor: [0, 1], kernelSize: [3, 3], sigma: [0, 1], valueRange: [0, 255], seed: 4 },
      { factor: [0, 1], scale: [0.02, 0.33], fillValue: null, valueRange: [0, 255] },
      { factor: [0, 1], scale: [0, 1], interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0, valueRange: [0, 255], seed: 6 },
    ]);
    const x = pc.tensor(draws(2 * 75, 9, 0, 255), [2, 5, 5, 3]);
    const y = model.predict(x) as pc.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    const trained = pc.tidy(() => model.apply(x, { training: true }) as pc.Tensor);
    expect(trained.shape).toEqual([2, 5, 5, 3]);
    pc.dispose([x, y, trained]);
    model.dispose();
  });

  it('name a bad setting', () => {
    expect(() => new pc.RandomShear(1.5)).toThrow('RandomShear: xFactor must be a number in [0, 1] or [lower, upper] with −1 ≤ lower ≤ upper ≤ 1, got 1.5');
    expect(() => new pc.RandomShear(0.1, [0.4, 0.2])).toThrow('RandomShear: yFactor must be a number in [0, 1] or [lower, upper] with −1 ≤ lower ≤ upper ≤ 1, got [0.4,0.2]');
    expect(() => new pc.RandomShear(0.1, 0.1, { fillMode: 'mirror' as never })).toThrow("RandomShear: fillMode must be 'reflect', 'wrap', 'nearest' or 'constant', got \"mirror\"");
    expect(() => new pc.RandomShear({ x_factor: 0.1 } as never)).toThrow("RandomShear: unknown option 'x_factor'");
    expect(() => new pc.RandomPerspective(1.2)).toThrow('RandomPerspective: factor must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got 1.2');
    expect(() => new pc.RandomPerspective(1, { scale: 1.5 })).toThrow('RandomPerspective: scale must be a number in [0, 1], got 1.5');
    expect(() => new pc.RandomPerspective(1, { interpolation: 'cubic' as never })).toThrow("RandomPerspective: interpolation must be 'bilinear' or 'nearest', got \"cubic\"");
    expect(() => new pc.RandomGaussianBlur(1, { kernelSize: 4 })).toThrow('RandomGaussianBlur: kernelSize must be an odd positive integer or [height, width] of them, got 4');
    expect(() => new pc.RandomGaussianBlur(1, { kernelSize: [3, 2] })).toThrow('RandomGaussianBlur: kernelSize must be an odd positive integer or [height, width] of them, got [3,2]');
    expect(() => new pc.RandomGaussianBlur(1, { sigma: 0 })).toThrow('RandomGaussianBlur: sigma must be a positive number or [lower, upper] with 0 ≤ lower ≤ upper, got 0');
    expect(() => new pc.RandomGaussianBlur(1, { sigma: [2, 1] })).toThrow('RandomGaussianBlur: sigma must be a number in [0, Infinity] or [lower, upper] with 0 ≤ lower ≤ upper ≤ Infinity, got [2,1]');
    expect(() => new pc.RandomGaussianBlur(1, { valueRange: [1, 0] })).toThrow('RandomGaussianBlur: valueRange must be [low, high] with finite low < high, got [1,0]');
    expect(() => new pc.RandomErasing(-0.5)).toThrow('RandomErasing: factor must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got -0.5');
    expect(() => new pc.RandomErasing(1, { scale: [0.2, 1.5] })).toThrow('RandomErasing: scale must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got [0.2,1.5]');
    expect(() => new pc.RandomErasing(1, { fillValue: 'gray' as never })).toThrow('RandomErasing: fillValue must be a number, a list of numbers (one per channel) or null (noise), got "gray"');
    expect(() => new pc.RandomElasticTransform(1, { scale: 1.5 })).toThrow('RandomElasticTransform: scale must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got 1.5');
    expect(() => new pc.RandomElasticTransform(1, { fillMode: 'mirror' as never })).toThrow("RandomElasticTransform: fillMode must be 'reflect', 'wrap', 'nearest' or 'constant', got \"mirror\"");
    expect(() => new pc.RandomElasticTransform(1, { valueRange: [0] as never })).toThrow('RandomElasticTransform: valueRange must be [low, high] with finite low < high, got [0]');
    const erasing = new pc.RandomErasing(1, { fillValue: [0, 0], name: 'e' });
    const image = pc.zeros([1, 3, 3, 3]);
    expect(() => erasing.apply(image, { training: true })).toThrow("RandomErasing 'e': fillValue has 2 values but the images have 3 channels, shape [1,3,3,3]");
    expect(() => new pc.RandomGaussianBlur(1, { name: 'b' }).apply(pc.zeros([3, 3]))).toThrow("RandomGaussianBlur 'b': expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape [3,3]");
    image.dispose();
  });
});
