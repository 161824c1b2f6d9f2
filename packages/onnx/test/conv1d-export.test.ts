// Trained 1-D convolution networks ('causal' with dilation, then strided 'same', then a
// Conv1DTranspose back up; a DepthwiseConv1D and a SeparableConv1D) leave as ONNX (the
// convolutions as Conv, grouped for the depthwise ones, and ConvTranspose on one-row images, the
// causal padding as Pad); onnxruntime and the re-imported model agree with predict on every backend.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const log = new DifferenceLog('Conv1D(causal, dilation 2) → Conv1D(same, strides 2) → Conv1DTranspose(valid, strides 3) → Flatten → Dense');
const depthwiseLog = new DifferenceLog('DepthwiseConv1D(causal, multiplier 2) → SeparableConv1D(same, strides 2, multiplier 2) → Flatten → Dense');
afterAll(() => [log, depthwiseLog].forEach((l) => l.print()));

function sequenceModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [10, 3] }),
    new pc.Conv1D(4, 3, { padding: 'causal', dilationRate: 2, activation: 'relu' }),
    new pc.Conv1D(5, 4, { padding: 'same', strides: 2, activation: 'tanh' }),
    new pc.Conv1DTranspose(3, 2, { strides: 3 }),
    new pc.Flatten(),
    new pc.Dense(2),
  ]);
}

function depthwiseModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [10, 3] }),
    new pc.DepthwiseConv1D(3, { padding: 'causal', depthMultiplier: 2, activation: 'relu' }),
    new pc.SeparableConv1D(4, 3, { padding: 'same', strides: 2, depthMultiplier: 2 }),
    new pc.Flatten(),
    new pc.Dense(2),
  ]);
}

describe.each(BACKENDS)('on %s', (backend) => {
  it('after a little training, onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(29);
    await expectTrainedExportMatchesPredict(sequenceModel, [10, 3], 2, log, backend);
  });

  it('the depthwise and separable 1-D convolutions: after a little training, onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(31);
    await expectTrainedExportMatchesPredict(depthwiseModel, [10, 3], 2, depthwiseLog, backend);
  });
});
