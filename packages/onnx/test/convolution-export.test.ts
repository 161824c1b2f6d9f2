// Trained small CNNs (im2col convolutions, tiled and gathered pooling, 'same' padding with −∞ for
// max and the in-image counts for average) leave as ordinary ONNX ops; onnxruntime and the
// re-imported model agree with predict on every backend.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const FEATURES = 81;

const CNNS: { name: string; make(): pc.Sequential }[] = [
  {
    name: 'Reshape → Conv2D same → MaxPooling2D → Conv2D valid strides 2 → GlobalAveragePooling2D → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
      new pc.MaxPooling2D(),
      new pc.Conv2D(6, 2, { strides: 2, activation: 'tanh' }),
      new pc.GlobalAveragePooling2D(),
      new pc.Dense(3, { activation: 'softmax' }),
    ]),
  },
  {
    name: 'Reshape → MaxPooling2D same → AveragePooling2D 3×3 strides 2 same → Conv2D [2,3] → Flatten → Dense',
    make: () => new pc.Sequential([
      new pc.Reshape([9, 9, 1], { inputShape: [FEATURES] }),
      new pc.MaxPooling2D({ padding: 'same' }),
      new pc.AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
      new pc.Conv2D(3, [2, 3], { padding: 'same' }),
      new pc.Flatten(),
      new pc.Dense(3),
    ]),
  },
];

const logs = CNNS.map((c) => new DifferenceLog(c.name));
afterAll(() => logs.forEach((log) => log.print()));

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CNNS.map((c, i) => ({ ...c, log: logs[i]! })))('$name: after a little training, onnxruntime and the imported model match predict', async ({ make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(23);
    const model = make();
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const [x, y] = [randomBatch(32, FEATURES, 1), randomBatch(32, 3, 2)];
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });

    try {
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, FEATURES, 100 + batch), [1, 13], log, backend, { inputShape: [FEATURES] });
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });
});
