// demo:augment: what augmentation buys on MNIST. demo:cnn's network is trained twice from the same
// initial weights: on the digits as written, and behind Keras's augmentation layers, which turn,
// shift and zoom each training digit at random. Both are then tested on the test set and on a copy
// of it moved the same way, once, with a fixed seed. The moves are drawn. Called by
// src/bin/demo-augment.ts.
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { loadMnist } from '../mnist/load-mnist.js';
import { splitMnist, type FlatSplit, type MnistArrays } from '../mnist/split.js';
import { digitGridSpec, type DigitImage } from '../plot/digits.js';
import { writeChartPng } from '../plot/write-png.js';
import { mnistCnn } from './mnist-cnn.js';
import { trainOnMnist, type TrainingDemoResult, type TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';

const SIDE = 28;

/** The moved test set's seed: one copy for every run, whatever --seed trains with. */
export const MOVED_TEST_SEED = 20_261_129;

/** How many test images go through the moves at once, to bound the memory the moves take. */
const CHUNK = 1000;

/**
 * The augmentation: each digit turned by up to 10° either way, shifted by up to 10 % of the side
 * each way and zoomed by up to 10 % in or out, each its own draw. Points moved in from outside
 * the image read 0, MNIST's blank, rather than a reflection of the stroke. The shift is by whole
 * pixels (nearest), so of the three only the turn and the zoom resample, and blur, the strokes.
 * Seeded from `seed`.
 */
export function digitMoves(seed: number): pc.Layer[] {
  const blank = { fillMode: 'constant', fillValue: 0 } as const;
  return [
    new pc.RandomRotation(10 / 360, { ...blank, seed }),
    new pc.RandomTranslation(0.1, 0.1, { ...blank, interpolation: 'nearest', seed: seed + 1 }),
    new pc.RandomZoom(0.1, null, { ...blank, seed: seed + 2 }),
  ];
}

/** `split`'s images, each moved by `moves` as while training. */
export function moveSplit(split: FlatSplit, moves: readonly pc.Layer[]): FlatSplit {
  const x = new Float32Array(split.x.length);
  for (let start = 0; start < split.count; start += CHUNK) {
    const count = Math.min(CHUNK, split.count - start);
    const moved = pc.tidy(() => {
      let images = pc.tensor(split.x.subarray(start * split.features, (start + count) * split.features), [count, SIDE, SIDE, 1]);
      for (const move of moves) images = move.apply(images, { training: true }) as pc.Tensor;
      return images;
    });
    x.set(moved.dataSync(), start * split.features);
    moved.dispose();
  }
  return { ...split, x };
}

/** The first `count` images of `split`, as written, then each moved `times` times: one row each. */
function movesPicture(split: FlatSplit, count: number, times: number, seed: number): DigitImage[] {
  const first = { ...split, x: split.x.subarray(0, count * split.features), count, y: split.y.subarray(0, count) };
  const moves = digitMoves(seed);
  const rows = [first, ...Array.from({ length: times }, () => moveSplit(first, moves))];
  return rows.flatMap((row, r) =>
    Array.from({ length: count }, (_, i) => ({
      pixels: row.x.subarray(i * split.features, (i + 1) * split.features),
      ...(i === 0 ? { caption: r === 0 ? 'as written' : `moves ${r}` } : {}),
    })),
  );
}

export interface AugmentDemoResult {
  plain: TrainingDemoResult & { movedTestAccuracy: number };
  augmented: TrainingDemoResult & { movedTestAccuracy: number };
}

/**
 * Trains mnistCnn on `arrays` (the lab's split of real MNIST unless given) as written, then with
 * digitMoves in front; tests both on the test set and on its moved copy, prints the four
 * accuracies side by side, and draws eight training digits and three moves of each into
 * `settings.out`/augmentation.png when `out` is given.
 */
export async function runAugmentDemo(settings: TrainingDemoSettings, print: Print, arrays: MnistArrays = splitMnist(loadMnist())): Promise<AugmentDemoResult> {
  const movedTest = moveSplit(arrays.test, digitMoves(MOVED_TEST_SEED));
  const train = async (title: string, augmentation: readonly pc.Layer[]) => {
    print(`\n${title}`);
    let movedTestAccuracy = NaN;
    const afterTraining = async (model: pc.Model) => {
      const [x, y] = [pc.tensor(movedTest.x, [movedTest.count, movedTest.features]), pc.tensor(movedTest.y, [movedTest.count], 'int32')];
      [, movedTestAccuracy] = (await model.evaluate(x, y, { batchSize: 256, verbose: 0 })) as [number, number];
      pc.dispose([x, y]);
      print(`Moved test accuracy: ${movedTestAccuracy.toFixed(4)}, on the same images each turned, shifted and zoomed once`);
    };
    const result = await trainOnMnist({ build: () => mnistCnn(augmentation), afterTraining }, arrays, settings, print);
    return { ...result, movedTestAccuracy };
  };
  const plain = await train('The digits as written:', []);
  const augmented = await train('Each training digit moved at random (RandomRotation, RandomTranslation, RandomZoom):', digitMoves(settings.seed));
  print(`\n${'accuracy'.padEnd(12)}${'test'.padStart(8)}${'moved test'.padStart(12)}`);
  for (const [name, result] of [['as written', plain], ['augmented', augmented]] as const) {
    print(`${name.padEnd(12)}${result.testAccuracy.toFixed(4).padStart(8)}${result.movedTestAccuracy.toFixed(4).padStart(12)}`);
  }
  if (settings.out !== undefined) {
    const file = join(settings.out, 'augmentation.png');
    const images = movesPicture(arrays.train, Math.min(8, arrays.train.count), 3, settings.seed);
    await writeChartPng(file, digitGridSpec(images, { rows: SIDE, cols: SIDE, columns: Math.min(8, arrays.train.count), title: 'Training digits as written, and three random moves of each' }));
    print(`Wrote ${file}`);
  }
  return { plain, augmented };
}
