// Models opening with Keras 3's MelSpectrogram (ops.stft: reflect padding, frames, the windowed
// DFT as a matMul; the mel filter bank; decibels) and STFTSpectrogram (strided convolutions with
// trainable kernels), trained a little, leave as ordinary ONNX ops; onnxruntime and the
// re-imported model agree with predict on every backend.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectExportMatchesPredict, expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const melLog = new DifferenceLog('MelSpectrogram (power) → Flatten → Dense');
const decibelLog = new DifferenceLog('MelSpectrogram (decibels, hamming 12 in fft 16) alone');
const stftLog = new DifferenceLog('STFTSpectrogram (log, same) → Flatten → Dense');
afterAll(() => {
  melLog.print();
  decibelLog.print();
  stftLog.print();
});

describe.each(BACKENDS)('on %s', (backend) => {
  it('a trained MelSpectrogram → Dense model: onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(23);
    await expectTrainedExportMatchesPredict(() => new pc.Sequential([
      new pc.MelSpectrogram({ fftLength: 16, sequenceStride: 4, samplingRate: 8000, numMelBins: 8, powerToDb: false, inputShape: [40] }),
      new pc.Flatten(), new pc.Dense(3),
    ]), [40], 3, melLog, backend);
  });

  it('MelSpectrogram in decibels: the floor comes from the whole batch, so batches stay within predict\'s 32', async () => {
    await pc.setBackend(backend);
    const model = new pc.Sequential([new pc.MelSpectrogram({ fftLength: 16, sequenceLength: 12, window: 'hamming', sequenceStride: 5, samplingRate: 16000, numMelBins: 6, topDb: 30, inputShape: [45] })]);
    try {
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, 45, 300 + batch), [1, 9], decibelLog, backend);
    } finally {
      model.dispose();
    }
  });

  it('a trained STFTSpectrogram → Dense model: onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(29);
    await expectTrainedExportMatchesPredict(() => new pc.Sequential([
      new pc.STFTSpectrogram({ frameLength: 8, frameStep: 4, padding: 'same', inputShape: [30, 2] }),
      new pc.Flatten(), new pc.Dense(2),
    ]), [30, 2], 2, stftLog, backend);
  });
});
