import * as pc from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

// LearningRateScheduler and ReduceLROnPlateau with Keras 3 semantics
// (keras/src/callbacks/learning_rate_scheduler.py, reduce_lr_on_plateau.py): both log the rate
// of the epoch as `learning_rate`, and both refuse an optimizer driven by a LearningRateSchedule.

/** Just what the callbacks need of a model: a name, stopTraining and a real optimizer. */
function modelWith(optimizer: pc.Optimizer): pc.TrainableModel {
  return {
    name: 'stub', stopTraining: false, optimizer,
    getWeights: () => [], setWeights: () => undefined, save: async () => undefined, saveWeights: async () => undefined,
  };
}

/**
 * Epochs as fit runs them around `callback`, the monitored `key` taking `values` in turn;
 * returns each epoch's logs as the callbacks left them.
 */
async function runEpochs(callback: pc.Callback, optimizer: pc.Optimizer, values: readonly number[], key = 'val_loss'): Promise<pc.Logs[]> {
  const list = new pc.CallbackList([callback], { model: modelWith(optimizer), params: { epochs: values.length, steps: 1, verbose: 0 } });
  const epochLogs: pc.Logs[] = [];
  await list.onTrainBegin();
  for (const [epoch, value] of values.entries()) {
    await list.onEpochBegin(epoch);
    const logs = { loss: value, [key]: value };
    await list.onEpochEnd(epoch, logs);
    epochLogs.push(logs);
  }
  await list.onTrainEnd();
  return epochLogs;
}

const rates = (logs: pc.Logs[]): number[] => logs.map((l) => l['learning_rate']!);

/** Collects what a callback prints. */
function sink(): { lines: string[]; write: (text: string) => void } {
  const lines: string[] = [];
  return { lines, write: (text) => void lines.push(text) };
}

const SCHEDULED = () => new pc.SGD({ learningRate: new pc.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) });

describe('LearningRateScheduler', () => {
  it('sets schedule(epoch, rate) at each epoch start, logs it as learning_rate and, with verbose, says so', async () => {
    const optimizer = new pc.SGD({ learningRate: 0.1 });
    const out = sink();
    const scheduler = new pc.LearningRateScheduler((epoch, rate) => (epoch < 1 ? rate : rate * 0.5), { verbose: 1, write: out.write });
    const logs = await runEpochs(scheduler, optimizer, [1, 1, 1]);
    expect(rates(logs)).toEqual([0.1, 0.05, 0.025]);
    expect(optimizer.learningRate).toBe(0.025);
    expect(out.lines).toEqual([
      '\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n',
      '\nEpoch 2: LearningRateScheduler setting learning rate to 0.05.\n',
      '\nEpoch 3: LearningRateScheduler setting learning rate to 0.025.\n',
    ]);
  });

  it('takes a one-argument schedule, as Keras\'s older API', async () => {
    const optimizer = new pc.Adam();
    const logs = await runEpochs(new pc.LearningRateScheduler((epoch) => 0.01 / (epoch + 1)), optimizer, [1, 1]);
    expect(rates(logs)).toEqual([0.01, 0.005]);
  });

  it('refuses a schedule that returns anything but a non-negative number, and a bad schedule argument', async () => {
    await expect(runEpochs(new pc.LearningRateScheduler(() => Number.NaN), new pc.SGD(), [1]))
      .rejects.toThrow(/^LearningRateScheduler: the schedule must return a non-negative number, got NaN for epoch 0$/);
    await expect(runEpochs(new pc.LearningRateScheduler(() => '0.1' as unknown as number), new pc.SGD(), [1]))
      .rejects.toThrow(/got "0.1" for epoch 0/);
    expect(() => new pc.LearningRateScheduler(0.1 as unknown as pc.EpochSchedule)).toThrow(/^LearningRateScheduler: schedule must be a function/);
  });

  it('refuses an optimizer whose rate follows a LearningRateSchedule, as Keras does', async () => {
    await expect(runEpochs(new pc.LearningRateScheduler((_, rate) => rate), SCHEDULED(), [1]))
      .rejects.toThrow(/^LearningRateScheduler: the learning rate of optimizer 'SGD' follows a LearningRateSchedule \(ExponentialDecay\), so it cannot be set/);
  });
});

describe('ReduceLROnPlateau', () => {
  it('multiplies the rate by factor after `patience` epochs without improvement, logging the rate of each epoch', async () => {
    const optimizer = new pc.SGD({ learningRate: 0.1 });
    const out = sink();
    const reducer = new pc.ReduceLROnPlateau({ patience: 2, factor: 0.5, minDelta: 0, verbose: 1, write: out.write });
    // Best 0.9 after epoch 1; epochs 2 and 3 do not beat it: reduce after epoch 3. Epoch 5
    // improves (0.85); 6 and 7 do not: reduce after epoch 7.
    const logs = await runEpochs(reducer, optimizer, [1, 0.9, 0.95, 0.92, 0.91, 0.85, 0.9, 0.9]);
    expect(rates(logs)).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
    expect(optimizer.learningRate).toBe(0.025);
    expect(out.lines).toEqual([
      '\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.05.\n',
      '\nEpoch 8: ReduceLROnPlateau reducing learning rate to 0.025.\n',
    ]);
    expect(reducer.best).toBe(0.85);
  });

  it('an improvement must beat the best by more than minDelta', async () => {
    const optimizer = new pc.SGD({ learningRate: 0.1 });
    // 0.95 and 0.91 are within minDelta 0.1 of the best (1): no improvement, reduce after epoch 2.
    const logs = await runEpochs(new pc.ReduceLROnPlateau({ patience: 2, factor: 0.5, minDelta: 0.1 }), optimizer, [1, 0.95, 0.91, 0.5]);
    expect(rates(logs)).toEqual([0.1, 0.1, 0.1, 0.05]);
  });

  it('after a reduction, waits `cooldown` epochs before counting epochs against patience again', async () => {
    const flat = [1, 1, 1, 1, 1, 1];
    const withoutCooldown = await runEpochs(new pc.ReduceLROnPlateau({ patience: 1, factor: 0.5 }), new pc.SGD({ learningRate: 0.1 }), flat);
    expect(rates(withoutCooldown)).toEqual([0.1, 0.1, 0.05, 0.025, 0.0125, 0.00625]);
    // Cooldown 2: the reduction after epoch 1 is followed by one epoch that cannot count (2) and
    // one whose count reaches patience again (3), as in Keras, where the counter runs down first.
    const optimizer = new pc.SGD({ learningRate: 0.1 });
    const reducer = new pc.ReduceLROnPlateau({ patience: 1, factor: 0.5, cooldown: 2 });
    expect(rates(await runEpochs(reducer, optimizer, flat))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(optimizer.learningRate).toBe(0.0125);
  });

  it('never goes below minLr, and stops reducing at it (compared in float32, as Keras stores the rate)', async () => {
    const optimizer = new pc.SGD({ learningRate: 0.1 });
    const out = sink();
    const logs = await runEpochs(new pc.ReduceLROnPlateau({ patience: 0, factor: 0.5, minLr: 0.03, verbose: 1, write: out.write }), optimizer, [1, 1, 1, 1]);
    // Each epoch logs the rate it trained at, before that epoch's reduction.
    expect(rates(logs)).toEqual([0.1, 0.1, 0.05, 0.03]);
    expect(optimizer.learningRate).toBe(0.03);
    expect(out.lines).toHaveLength(2);

    // 0.1 · 0.1 is 0.010000000000000002 in float64, above minLr 0.01 but the same float32: one
    // reduction only, where a float64 comparison would "reduce" to 0.01 once more.
    const fine = new pc.SGD({ learningRate: 0.1 });
    const fineOut = sink();
    await runEpochs(new pc.ReduceLROnPlateau({ patience: 0, minLr: 0.01, verbose: 1, write: fineOut.write }), fine, [1, 1, 1, 1]);
    expect(fine.learningRate).toBe(0.1 * 0.1);
    expect(fineOut.lines).toEqual(['\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.010000000000000002.\n']);
  });

  it('mode auto maximizes accuracy-like monitors; max and min can be given', async () => {
    const rising = [0.5, 0.6, 0.55, 0.7];
    const accuracy = await runEpochs(new pc.ReduceLROnPlateau({ monitor: 'val_accuracy', patience: 1, factor: 0.5, minDelta: 0 }), new pc.SGD({ learningRate: 0.1 }), rising, 'val_accuracy');
    expect(rates(accuracy)).toEqual([0.1, 0.1, 0.1, 0.05]);
    const asLoss = await runEpochs(new pc.ReduceLROnPlateau({ monitor: 'val_accuracy', mode: 'min', patience: 1, factor: 0.5, minDelta: 0 }), new pc.SGD({ learningRate: 0.1 }), rising, 'val_accuracy');
    expect(rates(asLoss)).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(() => new pc.ReduceLROnPlateau({ monitor: 'score' })).toThrow(/ReduceLROnPlateau: cannot tell whether 'score' should be minimized or maximized/);
  });

  it('warns when the monitored value is missing, and still logs the rate', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const logs = await runEpochs(new pc.ReduceLROnPlateau({ monitor: 'val_mae', patience: 0 }), new pc.SGD({ learningRate: 0.1 }), [1, 1], 'val_loss');
      expect(rates(logs)).toEqual([0.1, 0.1]);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ReduceLROnPlateau: .*'val_mae', which is not in the logs \(available: loss, val_loss, learning_rate\)/));
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses bad options, naming them, and an optimizer whose rate follows a schedule', async () => {
    expect(() => new pc.ReduceLROnPlateau({ factor: 1 })).toThrow(/^ReduceLROnPlateau: factor must be a number in \[0, 1\), got 1$/);
    expect(() => new pc.ReduceLROnPlateau({ patience: 1.5 })).toThrow(/^ReduceLROnPlateau: patience must be a non-negative integer, got 1.5$/);
    expect(() => new pc.ReduceLROnPlateau({ cooldown: -1 })).toThrow(/^ReduceLROnPlateau: cooldown must be a non-negative integer, got -1$/);
    expect(() => new pc.ReduceLROnPlateau({ minLr: -0.1 })).toThrow(/^ReduceLROnPlateau: minLr must be a non-negative number, got -0.1$/);
    await expect(runEpochs(new pc.ReduceLROnPlateau(), SCHEDULED(), [1]))
      .rejects.toThrow(/^ReduceLROnPlateau: the learning rate of optimizer 'SGD' follows a LearningRateSchedule \(ExponentialDecay\), so it cannot be set/);
  });
});

// Full-batch gradient descent on a linear model y = x·w + b with MSE, from zero weights, written
// out in float64: the weights fit must reach when the callbacks set these rates epoch by epoch.
const X = [[1, 2], [0, -1], [2, 1], [-1, 0.5]];
const Y = [1, -0.5, 2, 0];

function linearRegressionReference(epochRates: readonly number[]): number[] {
  const w = [0, 0];
  let b = 0;
  for (const rate of epochRates) {
    const residual = X.map((row, i) => row[0]! * w[0]! + row[1]! * w[1]! + b - Y[i]!);
    // d/dθ mean((ŷ − y)²) = 2/n · Σ (ŷ − y)·dŷ/dθ.
    const gradient = (feature: (row: number[]) => number) => (2 / X.length) * residual.reduce((sum, r, i) => sum + r * feature(X[i]!), 0);
    const [g0, g1, gb] = [gradient((row) => row[0]!), gradient((row) => row[1]!), gradient(() => 1)];
    w[0]! -= rate * g0;
    w[1]! -= rate * g1;
    b -= rate * gb;
  }
  return [...w, b];
}

for (const backend of MODEL_BACKENDS) {
  describe(`learning-rate callbacks in fit on ${backend}`, () => {
    let x: pc.Tensor;
    let y: pc.Tensor;
    beforeEach(async () => {
      await pc.setBackend(backend);
      x = pc.tensor(X);
      y = pc.tensor(Y.map((v) => [v]));
    });
    afterEach(() => {
      pc.dispose([x, y]);
    });

    function linearModel(optimizer: pc.Optimizer): pc.Sequential {
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(1, { kernelInitializer: 'zeros' })]);
      model.compile({ optimizer, loss: 'mse' });
      return model;
    }

    const weightsOf = (model: pc.Model): number[] => model.weights.flatMap((w) => Array.from(w.dataSync()));

    it('LearningRateScheduler: each epoch trains at the scheduled rate, and History records learning_rate', async () => {
      const model = linearModel(new pc.SGD({ learningRate: 0.1 }));
      const scheduler = new pc.LearningRateScheduler((epoch, rate) => (epoch === 0 ? rate : rate * 0.5));
      const history = await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0, callbacks: [scheduler] });
      expect(history.history['learning_rate']).toEqual([0.1, 0.05, 0.025]);
      expectClose(weightsOf(model), linearRegressionReference([0.1, 0.05, 0.025]), 1e-5, 1e-7);
      model.dispose();
    });

    it('ReduceLROnPlateau: the epoch after a plateau trains at the reduced rate', async () => {
      const model = linearModel(new pc.SGD({ learningRate: 0.1 }));
      // minDelta larger than any loss change: only the first epoch counts as an improvement.
      const reducer = new pc.ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e6 });
      const history = await model.fit(x, y, { epochs: 4, batchSize: 4, shuffle: false, verbose: 0, callbacks: [reducer] });
      expect(history.history['learning_rate']).toEqual([0.1, 0.1, 0.05, 0.025]);
      expect(model.optimizer!.learningRate).toBe(0.0125);
      expectClose(weightsOf(model), linearRegressionReference([0.1, 0.1, 0.05, 0.025]), 1e-5, 1e-7);
      model.dispose();
    });

    it('a scheduled optimizer is refused before any weight changes', async () => {
      const model = linearModel(SCHEDULED());
      await expect(model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [new pc.ReduceLROnPlateau({ monitor: 'loss' })] }))
        .rejects.toThrow(/ReduceLROnPlateau: the learning rate of optimizer 'SGD' follows a LearningRateSchedule/);
      expect(model.optimizer!.iterations).toBe(0);
      model.dispose();
    });
  });
}
