// A trained model with activity regularizers (Dense's activityRegularizer and an
// ActivityRegularization layer), AlphaDropout and Identity exports: the penalties, which divide by
// the batch size, feed no output and are left out of the graph; the dropout passes through at
// inference. onnxruntime and the re-imported model agree with predict on every backend, at batch
// sizes the exporter did not trace.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { graphOf } from './decoded-graph.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const TITLE = 'Dense (activity L1L2) → ActivityRegularization → AlphaDropout → Identity → Dense';
const log = new DifferenceLog(TITLE);
afterAll(() => log.print());

function regularizedModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [5] }),
    new pc.Dense(6, { activation: 'selu', activityRegularizer: new pc.L1L2({ l1: 0.01, l2: 0.01 }) }),
    new pc.ActivityRegularization({ l2: 0.05 }),
    new pc.AlphaDropout(0.2, { seed: 1 }),
    new pc.Identity(),
    new pc.Dense(2),
  ]);
}

describe.each(BACKENDS)('on %s', (backend) => {
  it('after a little training, onnxruntime and the imported model match predict; the graph holds no penalty', async () => {
    await pc.setBackend(backend);
    pc.setSeed(37);
    await expectTrainedExportMatchesPredict(regularizedModel, [5], 2, log, backend, (model) => {
      // The penalties (an Abs for the L1 term, a Div by the batch size) are not part of the forward pass.
      const types = graphOf(exportOnnx(model)).node.map((n) => n.opType);
      expect(types).not.toContain('Abs');
      expect(types).not.toContain('Div');
    });
  });
});
