import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@perceptron/backend-naive';
import {
  CallbackList, CSVLogger, EarlyStopping, formatMetric, History, LambdaCallback, LearningRateScheduler, memory, ModelCheckpoint,
  ProgbarLogger, ProgressBar, ReduceLROnPlateau, setBackend, tensor, TerminateOnNaN, type Callback, type Logs, type Tensor,
  type TrainableModel,
} from '@perceptron/core';

beforeAll(async () => {
  await setBackend('naive');
});

/** A clock the test moves by hand (milliseconds) and a sink that keeps every write. */
function fakeTerminal(isTTY = false) {
  const io = { time: 0, writes: [] as string[] };
  return {
    io,
    options: { now: () => io.time, write: (s: string) => void io.writes.push(s), isTTY },
  };
}

const FULL = '━'.repeat(20);
const EXAMPLE_LOGS = { accuracy: 0.8776, loss: 0.4319 };
const EXAMPLE_VAL = { val_accuracy: 0.9306, val_loss: 0.2417 };
const EXAMPLE_LINE = `1719/1719 ${FULL} 4s 2ms/step - accuracy: 0.8776 - loss: 0.4319 - val_accuracy: 0.9306 - val_loss: 0.2417`;

/**
 * Drives one epoch of 1,719 steps as fit would: the first step takes 500 ms (warm-up), every
 * later one 2 ms, so the epoch ends at 500 + 1718·2 = 3936 ms: "4s", and (3.936 − 0.5) / 1718 s
 * = 2 ms per step.
 */
async function runExampleEpoch(list: CallbackList, io: { time: number }, epoch = 0): Promise<void> {
  io.time = 0;
  await list.onEpochBegin(epoch);
  for (let batch = 0; batch < 1719; batch++) {
    io.time = 500 + 2 * batch;
    await list.onBatchEnd(batch, EXAMPLE_LOGS);
  }
  await list.onEpochEnd(epoch, { ...EXAMPLE_LOGS, ...EXAMPLE_VAL }); // the order fit builds them in
}

describe('ProgressBar', () => {
  it('reproduces the Keras end-of-epoch line (non-TTY: no colours, one line per drawn update)', async () => {
    const { io, options } = fakeTerminal();
    const list = new CallbackList([new ProgbarLogger(1, options)], { params: { epochs: 1, steps: 1719, verbose: 1 } });
    await list.onTrainBegin();
    await runExampleEpoch(list, io);
    await list.onTrainEnd();
    expect(io.writes.at(-1)).toBe(`${EXAMPLE_LINE}\n`);
    expect(io.writes.every((w) => w.endsWith('\n') && !w.includes('\x1b') && !w.includes('\r'))).toBe(true);
    // Throttled to one draw per 50 ms: steps 2 ms apart are drawn every 25th (26th when float
    // rounding makes the gap 49.999… ms), and the final update always.
    const steps = io.writes.map((w) => Number(/^ *(\d+)\//.exec(w)![1]));
    expect(steps[0]).toBe(1);
    const gaps = steps.slice(1, -1).map((s, i) => s - steps[i]!);
    expect(gaps.every((g) => g === 25 || g === 26)).toBe(true);
    expect(steps.at(-1)).toBe(1719);
    expect(1719 - steps.at(-2)!).toBeLessThan(26);
    expect(io.writes.some((w) => w.startsWith('Epoch'))).toBe(false);
  });

  it('shows a mid-epoch line with the ETA, the count right-aligned to the target', () => {
    const { io, options } = fakeTerminal();
    const bar = new ProgressBar(1719, options);
    io.time = 500;
    bar.update(1, { accuracy: 0.5, loss: 1.5 });
    io.time = 500 + 936 * 2;
    bar.update(937, { accuracy: 0.85, loss: 0.5 });
    // (2.372 − 0.5) / 936 = 2 ms per step; 782 steps left → 1.564 s → "1s".
    expect(io.writes[1]).toBe(` 937/1719 ${FULL} 1s 2ms/step - accuracy: 0.8500 - loss: 0.5000\n`);
  });

  it('formats long ETAs as m:ss and h:mm:ss, and slow steps in seconds', () => {
    const { io, options } = fakeTerminal();
    const bar = new ProgressBar(10000, options);
    io.time = 1000;
    bar.update(1);
    io.time = 2000;
    bar.update(2); // 1 s per step, 9998 s left = 2 h 46 min 38 s
    io.time = 9000;
    bar.update(9); // 1 s per step, 9991 s left = 2:46:31
    const short = new ProgressBar(100, options);
    io.time = 10000;
    short.update(1); // 1 s since it was created
    io.time = 11000;
    short.update(2); // 98 s left
    io.time = 59000;
    short.update(50); // 50 s left
    expect(io.writes.map((w) => /━ (\S+ \S+)/.exec(w)![1])).toEqual([
      '2:46:39 1s/step', '2:46:38 1s/step', '2:46:31 1s/step', '1:39 1s/step', '1:38 1s/step', '50s 1s/step',
    ]);
  });

  it('formats metrics as %.4f, or %.4e with a two-digit exponent, rounding ties to even as Python', () => {
    expect(formatMetric(0.00038914)).toBe('3.8914e-04');
    expect(formatMetric(0)).toBe('0.0000e+00');
    expect(formatMetric(-0.0005)).toBe('-5.0000e-04');
    expect(formatMetric(0.0010001)).toBe('0.0010');
    expect(formatMetric(2.5)).toBe('2.5000');
    expect(formatMetric(0.03125)).toBe('0.0312'); // exact tie: Python rounds to even, toFixed would give 0.0313
    expect(formatMetric(0.09375)).toBe('0.0938');
    expect(formatMetric(Number.NaN)).toBe('nan');
    expect(formatMetric(-Infinity)).toBe('-inf');
  });

  it('rounds elapsed seconds and step times half to even', () => {
    const { io, options } = fakeTerminal();
    const bar = new ProgressBar(1, options);
    io.time = 2500; // 2.5 s: Python prints "2s", and 2500 ms/step as "2s/step"
    bar.update(1);
    expect(io.writes[0]).toBe(`1/1 ${FULL} 2s 2s/step\n`);
  });

  it('shows an unknown target as N/Unknown with the elapsed time', () => {
    const { io, options } = fakeTerminal();
    const bar = new ProgressBar(null, options);
    io.time = 2000;
    bar.update(5, { loss: 0.5 });
    expect(io.writes).toEqual(['      5/Unknown 2s 400ms/step - loss: 0.5000\n']);
  });

  it('rewrites the line in place on a TTY, in colour, padding over a longer previous line', () => {
    const { io, options } = fakeTerminal(true);
    const bar = new ProgressBar(3, { ...options, interval: 0 });
    const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
    const green = (n: number) => `\x1b[32m${'━'.repeat(n)}\x1b[0m`;
    const grey = (n: number) => `\x1b[37m${'━'.repeat(n)}\x1b[0m`;
    io.time = 1000;
    bar.update(1, { loss: 12345.678 });
    io.time = 2000;
    bar.update(2, { loss: 0.5 });
    io.time = 3000;
    bar.update(3, { loss: 0.25 });
    // Visible widths: "1/3 " + 20 cells + " 2s" + " 1s/step" + " - loss: 12345.6780" = 54; the
    // next line is 4 characters shorter, so 4 spaces cover the rest of the old one.
    expect(io.writes).toEqual([
      `\r${bold('1/3')} ${green(6)}${grey(14)} ${bold('2s')} 1s/step - loss: 12345.6780`,
      `${'\b'.repeat(54)}\r${bold('2/3')} ${green(13)}${grey(7)} ${bold('1s')} 1s/step - loss: 0.5000    `,
      `${'\b'.repeat(50)}\r${bold('3/3')} ${green(20)}${grey(0)} ${bold('3s')} 1s/step - loss: 0.2500\n`,
    ]);
  });

  it('verbose 2 prints one line per epoch, without colours', async () => {
    const { io, options } = fakeTerminal(true);
    const list = new CallbackList([new ProgbarLogger(2, options)], { params: { epochs: 2, steps: 1719, verbose: 2 } });
    await list.onTrainBegin();
    await runExampleEpoch(list, io, 0);
    await runExampleEpoch(list, io, 1);
    const line = `1719/1719 - 4s - 2ms/step - accuracy: 0.8776 - loss: 0.4319 - val_accuracy: 0.9306 - val_loss: 0.2417\n`;
    expect(io.writes).toEqual(['Epoch 1/2\n', line, 'Epoch 2/2\n', line]);
  });

  it('learns an unknown epoch length from the first epoch', async () => {
    const { io, options } = fakeTerminal();
    const list = new CallbackList([new ProgbarLogger(2, options)], { params: { epochs: 2, steps: null, verbose: 2 } });
    await list.onTrainBegin();
    for (let epoch = 0; epoch < 2; epoch++) {
      await list.onEpochBegin(epoch);
      for (let batch = 0; batch < 3; batch++) await list.onBatchEnd(batch, { loss: 1 });
      await list.onEpochEnd(epoch, { loss: 1 });
    }
    expect(io.writes.filter((w) => !w.startsWith('Epoch'))).toEqual(['3/3 - 0s - 0s/step - loss: 1.0000\n', '3/3 - 0s - 0s/step - loss: 1.0000\n']);
  });

  it('predict shows no metrics; validation inside fit stays silent; evaluate alone shows its bar', async () => {
    const { io, options } = fakeTerminal();
    const predictLogger = new ProgbarLogger(1, options);
    predictLogger.setParams({ epochs: 1, steps: 1, verbose: 1 });
    predictLogger.onPredictBegin();
    io.time = 21;
    predictLogger.onPredictBatchEnd(0);
    predictLogger.onPredictEnd();
    expect(io.writes.at(-1)).toBe(`1/1 ${FULL} 0s 21ms/step\n`);

    io.writes.length = 0;
    const fitLogger = new ProgbarLogger(1, options);
    fitLogger.setParams({ epochs: 1, steps: 1, verbose: 1 });
    fitLogger.onTrainBegin();
    fitLogger.onTestBegin();
    fitLogger.onTestBatchEnd(0, { loss: 1 });
    fitLogger.onTestEnd({ loss: 1 });
    expect(io.writes).toEqual([]);
    fitLogger.onTrainEnd();

    io.time = 0;
    fitLogger.onTestBegin();
    io.time = 30;
    fitLogger.onTestBatchEnd(0, { loss: 0.25 });
    fitLogger.onTestEnd({ loss: 0.25 });
    expect(io.writes.at(-1)).toBe(`1/1 ${FULL} 0s 30ms/step - loss: 0.2500\n`);
  });
});

/** A model whose single weight is a [1] tensor; "training" sets it to the epoch number. */
class FakeModel implements TrainableModel {
  readonly name = 'fake';
  stopTraining = false;
  weight: Tensor = tensor([0]);
  restored: number[] = [];
  saved: string[] = [];

  train(epoch: number): void {
    this.weight.dispose();
    this.weight = tensor([epoch]);
  }

  getWeights(): Tensor[] {
    return [this.weight]; // live, as a model's variables would be
  }

  setWeights(weights: Tensor[]): void {
    this.restored.push(weights[0]!.dataSync()[0]!);
    this.train(weights[0]!.dataSync()[0]!);
  }

  async save(path: string): Promise<void> {
    this.saved.push(`model:${path}`);
  }

  async saveWeights(path: string): Promise<void> {
    this.saved.push(`weights:${path}`);
    await writeFile(path, 'weights');
  }
}

/** Epochs as fit runs them, with the monitored value of each epoch; returns the epochs run. */
async function fit(model: FakeModel, callbacks: Callback[], values: number[], key = 'val_loss'): Promise<number> {
  const list = new CallbackList(callbacks, { model, params: { epochs: values.length, steps: 1, verbose: 0 } });
  await list.onTrainBegin();
  let epochs = 0;
  for (const [epoch, value] of values.entries()) {
    await list.onEpochBegin(epoch);
    model.train(epoch);
    epochs++;
    await list.onEpochEnd(epoch, { loss: value + 1, [key]: value });
    if (model.stopTraining) break;
  }
  await list.onTrainEnd();
  return epochs;
}

describe('History', () => {
  it('records every epoch', async () => {
    const history = new History();
    await fit(new FakeModel(), [history], [0.5, 0.25, 0.125]);
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(history.history).toEqual({ loss: [1.5, 1.25, 1.125], val_loss: [0.5, 0.25, 0.125] });
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = new FakeModel();
    const lines: string[] = [];
    const stopper = new EarlyStopping({ patience: 2, restoreBestWeights: true, verbose: 1, write: (s) => void lines.push(s) });
    const before = memory().numTensors;
    // Best at epoch 1 (0.8); epochs 2 and 3 do not improve on it: stop after epoch 3.
    const epochs = await fit(model, [stopper], [1.0, 0.8, 0.9, 0.85, 0.7]);
    expect(epochs).toBe(4);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.bestEpoch).toBe(1);
    expect(stopper.best).toBe(0.8);
    expect(model.restored).toEqual([1]);
    expect(model.weight.dataSync()[0]).toBe(1);
    expect(lines).toEqual(['Epoch 4: early stopping\n', 'Restoring model weights from the end of the best epoch: 2.\n']);
    expect(memory().numTensors).toBe(before); // the kept copies were freed
  });

  it('with patience 0 stops at the first epoch that does not improve', async () => {
    const model = new FakeModel();
    expect(await fit(model, [new EarlyStopping({ monitor: 'loss' })], [3, 2, 2, 1])).toBe(3);
    expect(model.restored).toEqual([]);
  });

  it('needs improvements larger than minDelta, in the direction of the mode', async () => {
    expect(await fit(new FakeModel(), [new EarlyStopping({ minDelta: 0.15 })], [1, 0.9, 0.5])).toBe(2);
    // 'val_accuracy' is maximized: rising values keep training going.
    expect(await fit(new FakeModel(), [new EarlyStopping({ monitor: 'val_accuracy' })], [0.1, 0.2, 0.3, 0.25], 'val_accuracy')).toBe(4);
    expect(await fit(new FakeModel(), [new EarlyStopping({ monitor: 'score', mode: 'max' })], [0.3, 0.2], 'score')).toBe(2);
    // The weighted_ twins of compile's weightedMetrics keep their metric's direction.
    expect(await fit(new FakeModel(), [new EarlyStopping({ monitor: 'val_weighted_mae' })], [0.3, 0.2, 0.25], 'val_weighted_mae')).toBe(3);
    expect(await fit(new FakeModel(), [new EarlyStopping({ monitor: 'val_weighted_accuracy' })], [0.3, 0.4, 0.35], 'val_weighted_accuracy')).toBe(3);
    expect(() => new EarlyStopping({ monitor: 'score' })).toThrow(/cannot tell whether 'score' should be minimized or maximized/);
  });

  it('stops when the baseline is never beaten, restoring the best epoch anyway', async () => {
    const model = new FakeModel();
    const stopper = new EarlyStopping({ baseline: 0.1, patience: 2, restoreBestWeights: true });
    expect(await fit(model, [stopper], [0.5, 0.4, 0.45, 0.3, 0.2])).toBe(3);
    expect(model.restored).toEqual([1]);
  });
});

describe('TerminateOnNaN', () => {
  it('stops training and names the batch and epoch', async () => {
    const model = new FakeModel();
    const lines: string[] = [];
    const terminate = new TerminateOnNaN({ write: (s) => void lines.push(s) });
    const list = new CallbackList([terminate], { model });
    await list.onEpochBegin(0);
    for (let batch = 0; batch < 3; batch++) await list.onBatchEnd(batch, { loss: 1 / (batch + 1) });
    expect(model.stopTraining).toBe(false);
    await list.onBatchEnd(3, { loss: Number.NaN });
    expect(model.stopTraining).toBe(true);
    expect(terminate.message).toBe('Batch 3 of epoch 1: invalid loss NaN, terminating training');
    expect(lines).toEqual(['Batch 3 of epoch 1: invalid loss NaN, terminating training\n']);

    const other = new FakeModel();
    const inf = new TerminateOnNaN({ write: () => {} });
    inf.setModel(other);
    inf.onEpochBegin(4);
    inf.onBatchEnd(0, { loss: Infinity });
    expect(inf.message).toBe('Batch 0 of epoch 5: invalid loss Infinity, terminating training');
    expect(other.stopTraining).toBe(true);
  });
});

describe('files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perceptron-callbacks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('CSVLogger writes a header and one row per epoch, complete after every epoch', async () => {
    const file = join(dir, 'log.csv');
    const logger = new CSVLogger(file);
    await logger.onTrainBegin();
    await logger.onEpochEnd(0, { loss: 0.5, accuracy: 0.75, val_loss: 1e-5 });
    expect(await readFile(file, 'utf8')).toBe('epoch,accuracy,loss,val_loss\n0,0.75,0.5,1e-05\n');
    await logger.onEpochEnd(1, { loss: 1, accuracy: 0.1 + 0.2 });
    expect(await readFile(file, 'utf8')).toBe('epoch,accuracy,loss,val_loss\n0,0.75,0.5,1e-05\n1,0.30000000000000004,1.0,NA\n');

    const appended = new CSVLogger(file, { append: true });
    await appended.onTrainBegin();
    await appended.onEpochEnd(0, { loss: 1.2345678901234567e19, accuracy: Number.NaN, val_loss: 0.0001 });
    expect((await readFile(file, 'utf8')).split('\n').slice(2)).toEqual(['1,0.30000000000000004,1.0,NA', '0,nan,1.2345678901234567e+19,0.0001', '']);
    expect(await readdir(dir)).toEqual(['log.csv']); // no temporary file left behind

    const semicolons = new CSVLogger(join(dir, 'semi.csv'), { separator: ';' });
    await semicolons.onTrainBegin();
    await semicolons.onEpochEnd(0, { 'a;b': 2, c: 0.5, val_c: 0.25 });
    expect(await readFile(join(dir, 'semi.csv'), 'utf8')).toBe('epoch;"a;b";c;val_c\n0;2.0;0.5;0.25\n');

    // validationFreq 2: the first epoch has no val_ keys, so (as Keras) each key gets a val_ column.
    const sparse = new CSVLogger(join(dir, 'sparse.csv'));
    await sparse.onTrainBegin();
    await sparse.onEpochEnd(0, { loss: 0.5 });
    await sparse.onEpochEnd(1, { loss: 0.25, val_loss: 0.75 });
    expect(await readFile(join(dir, 'sparse.csv'), 'utf8')).toBe('epoch,loss,val_loss\n0,0.5,NA\n1,0.25,0.75\n');
  });

  it('ModelCheckpoint formats the path and saves only improving epochs with saveBestOnly', async () => {
    const model = new FakeModel();
    const lines: string[] = [];
    const checkpoint = new ModelCheckpoint({
      filepath: join(dir, 'ckpt', 'e{epoch:02d}-{val_loss:.2f}.weights'),
      saveBestOnly: true,
      saveWeightsOnly: true,
      verbose: 1,
      write: (s) => void lines.push(s),
    });
    await fit(model, [checkpoint], [0.5, 0.625, 0.375]);
    expect(model.saved).toEqual([`weights:${join(dir, 'ckpt', 'e01-0.50.weights')}`, `weights:${join(dir, 'ckpt', 'e03-0.38.weights')}`]);
    expect((await stat(join(dir, 'ckpt', 'e03-0.38.weights'))).isFile()).toBe(true);
    expect(lines[0]).toBe(`\nEpoch 1: val_loss improved from inf to 0.50000, saving model to ${join(dir, 'ckpt', 'e01-0.50.weights')}\n`);
    expect(lines[1]).toBe('\nEpoch 2: val_loss did not improve from 0.50000\n');

    const everyEpoch = new FakeModel();
    await fit(everyEpoch, [new ModelCheckpoint({ filepath: join(dir, 'model-{epoch}') })], [0.5, 0.625]);
    expect(everyEpoch.saved).toEqual([`model:${join(dir, 'model-1')}`, `model:${join(dir, 'model-2')}`]);
    await expect(fit(new FakeModel(), [new ModelCheckpoint({ filepath: join(dir, '{accuracy}') })], [1]))
      .rejects.toThrow(/names \{accuracy\}, which is not among loss, val_loss, epoch/);

    // Python's str.format: logs are floats ({val_loss} of 1 is 1.0), epoch an int, {{ }} are braces, widths pad.
    const formats = new FakeModel();
    await fit(formats, [new ModelCheckpoint({ filepath: join(dir, 'f{{x}}-{epoch:03}-{val_loss}-{val_loss:07.2f}') })], [1]);
    expect(formats.saved).toEqual([`model:${join(dir, 'f{x}-001-1.0-0001.00')}`]);
    await expect(fit(new FakeModel(), [new ModelCheckpoint({ filepath: join(dir, '{val_loss:d}') })], [1]))
      .rejects.toThrow(`unsupported format "{val_loss:d}" in "${join(dir, '{val_loss:d}')}": 'd' formats integers and val_loss is a float (Python refuses it too)`);
    await expect(fit(new FakeModel(), [new ModelCheckpoint({ filepath: join(dir, '{epoch:>3}') })], [1]))
      .rejects.toThrow('unsupported format "{epoch:>3}"');
  });
});

describe('options', () => {
  it('each callback refuses an option it does not know, listing its own', () => {
    expect(() => new EarlyStopping({ patiance: 2 } as never)).toThrow(
      "EarlyStopping: unknown option 'patiance'; expected one of monitor, minDelta, patience, verbose, mode, baseline, restoreBestWeights, startFromEpoch, write",
    );
    expect(() => new ReduceLROnPlateau({ min_lr: 0.001 } as never)).toThrow("ReduceLROnPlateau: unknown option 'min_lr'; expected one of monitor, factor, patience, verbose, mode, minDelta, cooldown, minLr, write");
    expect(() => new ModelCheckpoint({ filepath: 'x', saveBest: true } as never)).toThrow("ModelCheckpoint: unknown option 'saveBest'; expected one of filepath, monitor, verbose, saveBestOnly");
    expect(() => new CSVLogger('log.csv', { delimiter: ';' } as never)).toThrow("CSVLogger: unknown option 'delimiter'; expected one of separator, append");
    expect(() => new LearningRateScheduler((_, lr) => lr, { verbosity: 1 } as never)).toThrow("LearningRateScheduler: unknown option 'verbosity'; expected one of verbose, write");
    expect(() => new TerminateOnNaN({ verbose: 1 } as never)).toThrow("TerminateOnNaN: unknown option 'verbose'; expected one of write");
  });
});

describe('CallbackList', () => {
  it('runs plain objects, LambdaCallbacks and classes in order, awaiting each hook', async () => {
    const events: string[] = [];
    const slow: Callback = {
      async onEpochEnd(epoch: number) {
        events.push(`slow start ${epoch}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`slow end ${epoch}`);
      },
    };
    const lambda = new LambdaCallback({
      onEpochEnd: (epoch: number, logs?: Logs) => void events.push(`lambda ${epoch} ${logs?.['loss']}`),
      onTrainEnd: () => void events.push('lambda train end'),
    });
    const history = new History();
    const list = new CallbackList([slow, lambda, history]);
    await list.onTrainBegin();
    await list.onEpochEnd(0, { loss: 2 });
    await list.onBatchEnd(0, { loss: 1 }); // no callback has this hook
    await list.onTrainEnd();
    expect(events).toEqual(['slow start 0', 'slow end 0', 'lambda 0 2', 'lambda train end']);
    expect(history.history).toEqual({ loss: [2] });
    expect(() => new CallbackList([null as unknown as Callback])).toThrow('CallbackList: callback 0 is null; expected an object with hooks');
  });
});
