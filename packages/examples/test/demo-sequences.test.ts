// demo:sequences on made-up digits (the real run is `npm run demo:sequences`): the column
// sequences and their padding, the step positions, both readers giving a padded sequence what
// their layers give it unpadded, the attention picture's images, and a run that learns and draws.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import '@perceptron/backend-naive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionImage, attentionPictureSpec, sequenceImage, type AttentionSample } from '../src/demos/attention-picture.js';
import { columnSequences, IMAGE_SIDE, PADDING } from '../src/demos/column-sequences.js';
import { attentionReader, attentionWeightsModel, lstmReader, runSequencesDemo, sequenceSteps, stepPositions } from '../src/demos/sequences.js';
import { vegaLiteToSvg } from '../src/plot/render.js';
import { inkBands } from './ink-bands.js';
import { readPngSize } from './png.js';
import { pathFillCounts } from './svg-fills.js';

const IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;

beforeAll(async () => {
  await pc.setBackend('naive');
});

describe('columnSequences', () => {
  it('reads each image column by column from its first inked column, then pads with PADDING', () => {
    const split = inkBands(3, 5);
    const sequences = columnSequences(split);
    expect(Array.from(sequences.lengths)).toEqual([2, 7, 12]);
    expect(sequences.y).toEqual(split.y);
    const third = sequences.x.subarray(2 * IMAGE_SIZE, 3 * IMAGE_SIZE); // ink in columns 7–18
    for (let step = 0; step < IMAGE_SIDE; step++) {
      for (let row = 0; row < IMAGE_SIDE; row++) {
        const expected = step >= 12 ? PADDING : row >= 4 && row < 24 ? (row + 7 + step) / 64 : 0;
        expect(third[step * IMAGE_SIDE + row]).toBeCloseTo(expected, 6);
      }
    }
  });

  it('keeps a blank column between inked ones as data, and makes a blank image all padding', () => {
    const x = new Float32Array(2 * IMAGE_SIZE);
    x[IMAGE_SIDE * 10 + 2] = 1; // image 0: ink in columns 2 and 6 only
    x[IMAGE_SIDE * 11 + 6] = 0.5;
    const sequences = columnSequences({ x, y: new Int32Array(2), count: 2, features: IMAGE_SIZE });
    expect(Array.from(sequences.lengths)).toEqual([5, 0]);
    expect(sequences.x[2 * IMAGE_SIDE + 10]).toBe(0); // step 2 = column 4: blank, not padding
    expect(sequences.x[4 * IMAGE_SIDE + 11]).toBe(0.5);
    expect(sequences.x[5 * IMAGE_SIDE]).toBe(PADDING);
    expect(sequences.x.subarray(IMAGE_SIZE).every((v) => v === PADDING)).toBe(true);
  });

  it('refuses anything but 28×28 images, naming what it got', () => {
    expect(() => columnSequences({ x: new Float32Array(10), y: new Int32Array(1), count: 1, features: 10 })).toThrow('columnSequences: expected 28×28 images (784 features), got 10 features');
  });
});

describe('stepPositions', () => {
  it('numbers the data steps 1, 2, … and gives padding 0', () => {
    const sequences = columnSequences(inkBands(2));
    const positions = pc.tidy(() => stepPositions(sequenceSteps(pc.tensor(sequences.x, [2, IMAGE_SIZE]))));
    expect(positions.dtype).toBe('int32');
    const rows = positions.arraySync() as number[][];
    rows.forEach((row, i) => expect(row).toEqual(Array.from({ length: IMAGE_SIDE }, (_, step) => (step < sequences.lengths[i]! ? step + 1 : 0))));
    positions.dispose();
  });
});

describe('the readers skip the padding', () => {
  const sequences = columnSequences(inkBands(3));

  /** Sample i's steps as the model takes them, [1, 28, 28], and its data steps alone, [1, length, 28]. */
  function paddedAndUnpadded(i: number): [pc.Tensor, pc.Tensor] {
    const padded = sequenceSteps(pc.tensor(sequences.x.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), [1, IMAGE_SIZE]));
    return [padded, pc.slice(padded, [0, 0, 0], [1, sequences.lengths[i]!, IMAGE_SIDE])];
  }

  const maxDifference = (a: pc.Tensor, b: pc.Tensor): number => pc.tidy(() => pc.max(pc.abs(pc.sub(a, b))).dataSync()[0]!);

  it('the LSTM reader gives a padded sequence what its LSTM and classifier give the unpadded one', () => {
    pc.setSeed(3);
    const model = lstmReader();
    for (let i = 0; i < 3; i++) {
      const difference = pc.tidy(() => {
        const [padded, unpadded] = paddedAndUnpadded(i);
        const direct = model.getLayer('digits').apply(model.getLayer('reader').apply(unpadded)) as pc.Tensor;
        return maxDifference(model.predict(padded) as pc.Tensor, direct);
      });
      expect(difference).toBeLessThan(1e-6);
    }
    model.dispose();
  });

  it('the attention reader gives a padded sequence what its layers give the unpadded one, and puts no weight on padding', () => {
    pc.setSeed(4);
    const model = attentionReader();
    const layer = (name: string) => (t: pc.Tensor | pc.Tensor[]) => model.getLayer(name).apply(t) as pc.Tensor;
    for (let i = 0; i < 3; i++) {
      const length = sequences.lengths[i]!;
      const [difference, paddingWeight] = pc.tidy(() => {
        const [padded, unpadded] = paddedAndUnpadded(i);
        const positions = pc.reshape(pc.range(1, length + 1, 1, 'int32'), [1, length]);
        const tokens = layer('tokens')([layer('column_features')(unpadded), layer('position_features')(positions)]);
        const [attended] = model.getLayer('self_attention').apply([tokens, tokens]) as pc.Tensor[];
        const features = layer('step_features')(layer('normalized')(layer('residual')([tokens, attended!])));
        const direct = layer('digits')(pc.mean(features, 1));
        const inputs = [padded, stepPositions(padded)];
        const weights = attentionWeightsModel(model).predict(inputs) as pc.Tensor; // [1, heads, 28, 28]
        const onPadding = pc.sum(pc.slice(weights, [0, 0, 0, length], [1, -1, length, -1]));
        return [maxDifference(model.predict(inputs) as pc.Tensor, direct), onPadding.dataSync()[0]!];
      });
      expect(difference).toBeLessThan(1e-6);
      expect(paddingWeight).toBe(0);
    }
    model.dispose();
  });
});

describe('the attention picture', () => {
  /** A 3-step sequence, steps valued 10·step + row / 100, and weights 1 + query + key / 10 everywhere (padding too). */
  const sample: AttentionSample = {
    length: 3,
    steps: Float32Array.from({ length: IMAGE_SIZE }, (_, k) => (Math.floor(k / IMAGE_SIDE) < 3 ? Math.floor(k / IMAGE_SIDE) / 10 + (k % IMAGE_SIDE) / 100 : PADDING)),
    weights: Float32Array.from({ length: IMAGE_SIZE }, (_, k) => 1 + Math.floor(k / IMAGE_SIDE) + (k % IMAGE_SIDE) / 10),
    label: 1,
    predicted: 1,
  };

  it('draws the sequence back as an image: step t is column t, padding NaN', () => {
    const image = sequenceImage(sample);
    expect(image[5 * IMAGE_SIDE + 2]).toBeCloseTo(0.2 + 0.05, 6); // row 5, step 2
    expect(image[5 * IMAGE_SIDE + 3]).toBeNaN();
    expect(image[27 * IMAGE_SIDE + 27]).toBeNaN();
  });

  it('scales the weights between data steps to their largest and leaves the padding NaN', () => {
    const image = attentionImage(sample);
    const largest = 1 + 2 + 0.2;
    expect(image[2 * IMAGE_SIDE + 2]).toBeCloseTo(1, 6);
    expect(image[1 * IMAGE_SIDE + 0]).toBeCloseTo(2 / largest, 6);
    expect(image[1 * IMAGE_SIDE + 3]).toBeNaN();
    expect(image[3 * IMAGE_SIDE + 1]).toBeNaN();
  });

  it('draws the digit in grey and its weights in colour, the padding of both in one grey apart from them', async () => {
    const fills = [...pathFillCounts(await vegaLiteToSvg(attentionPictureSpec([sample])))];
    const isGrey = (fill: string) => /^rgb\((\d+), \1, \1\)$/.test(fill);
    const isColour = (fill: string) => fill.startsWith('rgb(') && !isGrey(fill);
    const count = (test: (fill: string) => boolean) => fills.reduce((sum, [fill, n]) => sum + (test(fill) ? n : 0), 0);
    expect(count(isGrey)).toBe(3 * IMAGE_SIDE); // the digit's 3 data columns
    expect(count(isColour)).toBe(3 * 3); // the weights between its 3 data steps, the largest viridis' yellow
    expect(fills).toContainEqual(['rgb(253, 231, 37)', 1]);
    // the padding colour (written as given, where the scales' colours are rgb()): the digit's 25
    // padding columns and the weights' 28² − 3² padding cells
    expect(fills).toContainEqual(['#474747', 25 * IMAGE_SIDE + IMAGE_SIZE - 9]);
  });
});

describe('runSequencesDemo', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'demo-sequences-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains both readers on bands told apart by their width: the loss falls, the test set is learnt, the attention is drawn, nothing leaks', async () => {
    const arrays = { train: inkBands(60), validation: inkBands(6), test: inkBands(6, 10) };
    const before = pc.memory().numTensors;
    const lines: string[] = [];
    const result = await runSequencesDemo({ epochs: 10, batchSize: 6, seed: 7, out }, (line) => lines.push(line), arrays);
    for (const reader of [result.lstm, result.attention]) {
      expect(reader.trainingLoss).toHaveLength(10);
      expect(reader.trainingLoss[9]).toBeLessThan(reader.trainingLoss[0]! / 4);
      expect(reader.testAccuracy).toBe(1);
    }
    expect(lines[0]).toBe('The training digits read column by column are 2 to 12 steps long, padded to 28.\nMean steps per digit: 0: 2.0, 1: 7.0, 2: 12.0\n');
    expect(lines).toContain(`Wrote ${join(out, 'attention.png')}`);
    const { width, height } = readPngSize(join(out, 'attention.png'));
    expect(width).toBeGreaterThan(height); // six samples, two per line: three lines of four images
    expect(pc.memory().numTensors).toBe(before);
  });
});
