// A trained Sequential with GroupNormalization (groups of the last axis, and of an axis before
// it) and UnitNormalization over two axes leaves as ordinary ONNX ops (Reshape, ReduceSum, Sqrt,
// Max, ...); onnxruntime and the re-imported model agree with predict on every backend, at batch
// sizes the exporter did not trace.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const TITLE = 'Dense → GroupNormalization (4 groups) → relu → GroupNormalization (axis 1, 2 groups) → UnitNormalization ([1, 2]) → Flatten → Dense';
const log = new DifferenceLog(TITLE);
afterAll(() => log.print());

function groupNormalizedModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [4, 6] }),
    new pc.Dense(8), // [4, 8]
    new pc.GroupNormalization({ groups: 4 }),
    new pc.Activation('relu'),
    new pc.GroupNormalization({ groups: 2, axis: 1, epsilon: 1e-2 }),
    new pc.UnitNormalization({ axis: [1, 2] }),
    new pc.Flatten(),
    new pc.Dense(3),
  ]);
}

describe.each(BACKENDS)('on %s', (backend) => {
  it('after a little training, onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(23);
    await expectTrainedExportMatchesPredict(groupNormalizedModel, [4, 6], 3, log, backend, (model) => {
      // Trained: gamma has left its initial ones, so the export must carry the learned weights.
      const gamma = (model.layers[1] as pc.GroupNormalization).gamma!;
      expect(Array.from(gamma.dataSync()).some((g) => g !== 1)).toBe(true);
    });
  });
});
