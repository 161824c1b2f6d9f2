// Trained models using every reshaping layer (ZeroPadding1D/2D as Pad, Cropping1D/2D as Slice,
// UpSampling1D/2D and RepeatVector as Reshape and Expand, Permute as Transpose, Resizing and
// bilinear UpSampling2D as Gathers and their mix, CenterCrop as Slice, the augmentation layers
// as inference runs them) leave as ONNX;
// onnxruntime and the re-imported model agree with predict on every backend, at batch sizes
// other than the ones the exporter traced.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

interface ReshapingModelCase {
  title: string;
  /** Each sample's shape. */
  sample: number[];
  make: () => pc.Sequential;
}

const CASES: ReshapingModelCase[] = [
  {
    title: 'Dense → RepeatVector → Permute → ZeroPadding1D → UpSampling1D → Cropping1D → Conv1D → Flatten → Dense',
    sample: [4],
    make: () => new pc.Sequential([
      pc.Input({ shape: [4] }),
      new pc.Dense(3),
      new pc.RepeatVector(5), // [5, 3]
      new pc.Permute([2, 1]), // [3, 5]
      new pc.ZeroPadding1D([1, 2]), // [6, 5]
      new pc.UpSampling1D(2), // [12, 5]
      new pc.Cropping1D([3, 1]), // [8, 5]
      new pc.Conv1D(2, 3, { activation: 'tanh' }), // [6, 2]
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'ZeroPadding2D → Conv2D → UpSampling2D → Cropping2D → Permute → Flatten → Dense',
    sample: [4, 5, 2],
    make: () => new pc.Sequential([
      pc.Input({ shape: [4, 5, 2] }),
      new pc.ZeroPadding2D([[0, 1], [2, 1]]), // [5, 8, 2]
      new pc.Conv2D(3, 3, { activation: 'relu' }), // [3, 6, 3]
      new pc.UpSampling2D([2, 3]), // [6, 18, 3]
      new pc.Cropping2D([[1, 2], [0, 3]]), // [3, 15, 3]
      new pc.Permute([3, 1, 2]), // [3, 3, 15]
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'RandomFlip → RandomRotation → RandomContrast → RandomBrightness → CenterCrop → RandomCrop → Resizing (crop to the aspect ratio) → Conv2D → bilinear UpSampling2D → Resizing (nearest, padded) → Flatten → Dense',
    sample: [6, 9, 1],
    make: () => new pc.Sequential([
      pc.Input({ shape: [6, 9, 1] }),
      new pc.RandomFlip('horizontal', { seed: 1 }), // flips while training only
      new pc.RandomRotation(0.05, { seed: 3 }), // turns while training only
      new pc.RandomContrast(0.2, { valueRange: [-1, 1], seed: 4 }), // spreads while training only
      new pc.RandomBrightness(0.1, { valueRange: [-1, 1], seed: 5 }), // shifts while training only
      new pc.CenterCrop(6, 8), // [6, 8, 1]
      new pc.RandomCrop(5, 8, { seed: 2 }), // a random window while training; at inference the top 5 rows: [5, 8, 1]
      new pc.Resizing(4, 4, { cropToAspectRatio: true }), // the centred 5×5, shrunk: [4, 4, 1]
      new pc.Conv2D(2, 3, { activation: 'tanh' }), // [2, 2, 2]
      new pc.UpSampling2D(2, { interpolation: 'bilinear' }), // [4, 4, 2]
      new pc.Resizing(3, 5, { interpolation: 'nearest', padToAspectRatio: true, fillValue: 0.5 }), // [3, 5, 2]
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
];

describe.each(CASES)('$title', ({ title, sample, make }) => {
  const log = new DifferenceLog(title);
  afterAll(() => log.print());

  it.each(BACKENDS)('after a little training on %s, onnxruntime and the imported model match predict', async (backend) => {
    await pc.setBackend(backend);
    pc.setSeed(29);
    await expectTrainedExportMatchesPredict(make, sample, 2, log, backend);
  });
});
