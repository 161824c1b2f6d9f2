import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { blobs, MODEL_BACKENDS, MultilayerPerceptron } from './training-api-model-support.js';

/** Input(2) -> Dense(8, relu) -> Dense(2, softmax). */
function classifier(name = 'classifier'): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [2] }),
    new pc.Dense(8, { activation: 'relu', name: 'hidden' }),
    new pc.Dense(2, { activation: 'softmax', name: 'output' }),
  ], { name });
}

function values(weights: readonly pc.Tensor[]): number[][] {
  return weights.map((w) => Array.from(w.dataSync()));
}

for (const backend of MODEL_BACKENDS) {
  describe(`Model on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('summary() of a Sequential prints the Keras 3 table before any data is seen', () => {
      const model = new pc.Sequential({ name: 'classifier' });
      model.add(pc.Input({ shape: [4] }));
      model.add(new pc.Dense(8, { activation: 'relu', name: 'hidden' }));
      model.add(new pc.Dense(3, { activation: 'softmax', name: 'output' }));
      const lines: string[] = [];
      model.summary((line) => lines.push(line));
      expect(lines).toEqual([
        'Model: "classifier"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ hidden (Dense)                  │ (None, 8)              │            40 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ output (Dense)                  │ (None, 3)              │            27 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 67 (268.00 B)',
        ' Trainable params: 67 (268.00 B)',
        ' Non-trainable params: 0 (0.00 B)',
      ]);
      const wide = new pc.Sequential([pc.Input({ shape: [784] }), new pc.Dense(64, { name: 'd' })], { name: 'wide' });
      const wideLines: string[] = [];
      wide.summary((line) => wideLines.push(line));
      expect(wideLines[4]).toBe('│ d (Dense)                       │ (None, 64)             │        50,240 │');
      expect(wideLines.slice(-3)).toEqual([' Total params: 50,240 (196.25 KB)', ' Trainable params: 50,240 (196.25 KB)', ' Non-trainable params: 0 (0.00 B)']);
      model.dispose();
      wide.dispose();
    });

    it('summary() of an unbuilt subclassed model shows ? and 0 (unbuilt), then shapes once called', () => {
      const mlp = new MultilayerPerceptron(10);
      const before: string[] = [];
      mlp.summary((line) => before.push(line));
      expect(before[0]).toBe('Model: "multilayerPerceptron"');
      // Rich wraps a long name at the space, as Keras prints it.
      expect(before[4]).toMatch(/^│ perceptron_layer(_\d+)? +│ \? +│ {3}0 \(unbuilt\) │$/);
      expect(before[5]).toBe('│ (PerceptronLayer)               │                        │               │');
      pc.dispose(mlp.apply(pc.ones([1, 784])));
      const after: string[] = [];
      mlp.summary((line) => after.push(line));
      expect(after[4]).toMatch(/│ \(None, 16\) +│ +12,560 │$/);
      expect(after[10]).toMatch(/│ \(None, 10\) +│ +330 │$/);
      expect(after.slice(-3)).toEqual([' Total params: 13,434 (52.48 KB)', ' Trainable params: 13,434 (52.48 KB)', ' Non-trainable params: 0 (0.00 B)']);
      mlp.dispose();
    });

    it('fit on two separable blobs lowers the loss and reaches high accuracy', async () => {
      const { x, y } = blobs(256);
      const model = classifier();
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      expect(model.metricsNames).toEqual(['loss', 'accuracy']);
      const history = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
      expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const losses = history.history['loss']!;
      expect(losses).toHaveLength(8);
      expect(losses[7]!).toBeLessThan(losses[0]! * 0.5);
      expect(history.history['accuracy']![7]!).toBeGreaterThan(0.95);
      expect(model.history).toBe(history);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('evaluate returns [loss, ...metrics] in metricsNames order, equal to the values over all rows', async () => {
      const { x, y } = blobs(50);
      const oneHot = pc.oneHot(y, 2);
      const model = classifier();
      model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy', 'mse'] });
      expect(model.metricsNames).toEqual(['loss', 'accuracy', 'mse']);
      const [loss, accuracy, mse] = await model.evaluate(x, oneHot, { batchSize: 7, verbose: 0 });
      const probs = model.predict(x).dataSync();
      const labels = y.dataSync();
      let expectedLoss = 0;
      let correct = 0;
      let squared = 0;
      for (let i = 0; i < 50; i++) {
        const p = [probs[2 * i]!, probs[2 * i + 1]!];
        const t = [labels[i] === 0 ? 1 : 0, labels[i] === 1 ? 1 : 0];
        expectedLoss -= Math.log(p[labels[i]!]!) / 50;
        correct += Number((p[1]! > p[0]! ? 1 : 0) === labels[i]);
        squared += ((t[0]! - p[0]!) ** 2 + (t[1]! - p[1]!) ** 2) / 2 / 50;
      }
      expectClose([loss!, accuracy!, mse!], [expectedLoss, correct / 50, squared], 1e-5, 1e-6);
      pc.dispose([x, y, oneHot]);
      model.dispose();
    });

    it('predict in batches equals one call on all rows', () => {
      const { x, y } = blobs(45);
      const model = classifier();
      const batched = model.predict(x, { batchSize: 8 });
      const whole = model.apply(x);
      expect(batched.shape).toEqual([45, 2]);
      expectClose(batched.dataSync(), whole.dataSync(), 1e-6, 1e-7);
      pc.dispose([x, y, batched, whole]);
      model.dispose();
    });

    it('fit (no shuffle) and a hand-written GradientTape loop give the same weights', async () => {
      const { x, y } = blobs(40);
      pc.setSeed(5);
      const fitted = classifier();
      pc.setSeed(5);
      const manual = classifier();
      expect(values(manual.weights)).toEqual(values(fitted.weights));

      fitted.compile({ optimizer: new pc.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy' });
      await fitted.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });

      const optimizer = new pc.SGD({ learningRate: 0.1, momentum: 0.9 });
      const lossObject = new pc.SparseCategoricalCrossentropy();
      for (let epoch = 0; epoch < 2; epoch++) {
        for (let start = 0; start < 40; start += 16) {
          const size = Math.min(16, 40 - start);
          pc.tidy(() => {
            const xBatch = pc.slice(x, start, size);
            const yBatch = pc.slice(y, start, size);
            const tape = new pc.GradientTape();
            const loss = tape.record(() => lossObject.call(yBatch, manual.call(xBatch)));
            const grads = tape.gradient(loss, manual.trainableWeights);
            optimizer.applyGradients(grads, manual.trainableWeights);
          });
        }
      }
      expect(values(fitted.weights)).toEqual(values(manual.weights));
      pc.dispose([x, y]);
      fitted.dispose();
      manual.dispose();
    });

    it('fit, evaluate, predict and trainStep leak no tensors', async () => {
      const { x, y } = blobs(64);
      const model = classifier();
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 }); // creates the optimizer slots
      const before = pc.memory().numTensors;
      await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.25 });
      await model.fit(pc.Dataset.fromTensorSlices([x, y]).shuffle(64).batch(16), { epochs: 1, verbose: 0 });
      await model.evaluate(x, y, { verbose: 0 });
      pc.dispose(model.predict(x, { batchSize: 10 }));
      const xBatch = pc.slice(x, 0, 8);
      const yBatch = pc.slice(y, 0, 8);
      model.trainStep(xBatch, yBatch);
      pc.dispose([xBatch, yBatch]);
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('dispose frees the weights and the slots of an optimizer compile made from its name or config, not of one passed in', async () => {
      const { x, y } = blobs(32);
      const before = pc.memory().numTensors;
      const named = classifier();
      named.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await named.fit(x, y, { epochs: 1, verbose: 0 });
      // 4 weights and Adam's 2 slots for each.
      expect(pc.memory().numTensors).toBe(before + 12);
      named.dispose();
      expect(pc.memory().numTensors).toBe(before);

      // As Keras's optimizers.get, compile takes an optimizer's {className, config}.
      const configured = classifier();
      configured.compile({ optimizer: { className: 'RMSprop', config: { learningRate: 0.02, rho: 0.8 } }, loss: 'sparseCategoricalCrossentropy' });
      expect(configured.optimizer).toBeInstanceOf(pc.RMSprop);
      expect(configured.optimizer!.getConfig()).toMatchObject({ learningRate: 0.02, rho: 0.8 });
      await configured.fit(x, y, { epochs: 1, verbose: 0 });
      expect(pc.memory().numTensors).toBe(before + 8);
      configured.dispose();
      expect(pc.memory().numTensors).toBe(before);

      const adam = new pc.Adam();
      const given = classifier();
      given.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' });
      await given.fit(x, y, { epochs: 1, verbose: 0 });
      given.dispose();
      expect(pc.memory().numTensors).toBe(before + 8);
      adam.dispose();
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose([x, y]);
    });

    it('compiling again frees the slots of the optimizer the last compile made from its name', async () => {
      const { x, y } = blobs(32);
      const model = classifier();
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, verbose: 0 });
      const afterFirst = pc.memory().numTensors;
      const first = model.optimizer!;
      model.compile({ optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy' });
      // RMSprop keeps one slot per weight, Adam two.
      await model.fit(x, y, { epochs: 1, verbose: 0 });
      expect(pc.memory().numTensors).toBe(afterFirst - 4);
      expect(model.optimizer).not.toBe(first);
      // A compile that fails keeps the model's optimizer and its slots.
      expect(() => model.compile({ optimizer: 'adam', loss: 'noSuchLoss' })).toThrow(/noSuchLoss/);
      expect(pc.memory().numTensors).toBe(afterFirst - 4);
      // Compiling again with the model's own optimizer keeps it and its state; dispose still frees it.
      const own = model.optimizer!;
      const iterations = own.iterations;
      expect(iterations).toBeGreaterThan(0);
      model.compile({ optimizer: own, loss: 'meanSquaredError' });
      expect(model.optimizer).toBe(own);
      expect(own.iterations).toBe(iterations);
      expect(pc.memory().numTensors).toBe(afterFirst - 4);
      model.dispose();
      expect(pc.memory().numTensors).toBe(afterFirst - 12);
      pc.dispose([x, y]);
    });

    it('a callback that throws leaks no batch, and EarlyStopping holds no tensor across a failed fit', async () => {
      const { x, y } = blobs(32);
      const model = classifier();
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, verbose: 0 }); // creates the optimizer slots
      const before = pc.memory().numTensors;
      const throwing = (hook: 'onBatchBegin' | 'onTestBatchBegin'): pc.Callback => ({ [hook]: () => { throw new Error(`${hook} failed`); } });
      await expect(model.fit(x, y, { verbose: 0, callbacks: [throwing('onBatchBegin')] })).rejects.toThrow('onBatchBegin failed');
      await expect(model.evaluate(x, y, { verbose: 0, callbacks: [throwing('onTestBatchBegin')] })).rejects.toThrow('onTestBatchBegin failed');
      const stopper = new pc.EarlyStopping({ monitor: 'loss', restoreBestWeights: true });
      const failLater: pc.Callback = { onEpochBegin: (epoch) => { if (epoch === 2) throw new Error('epoch 3 failed'); } };
      await expect(model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [stopper, failLater] })).rejects.toThrow('epoch 3 failed');
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('fit takes the lab\'s Dataset pipeline with validation data and logs val_ metrics', async () => {
      const train = blobs(96, 2, 1);
      const validation = blobs(32, 2, 2);
      const mlp = new MultilayerPerceptron(2);
      mlp.compile({ optimizer: new pc.Adam({ learningRate: 0.01 }), loss: new pc.SparseCategoricalCrossentropy(), metrics: [new pc.SparseCategoricalAccuracy()] });
      const trainDataset = pc.Dataset.fromTensorSlices([train.x, train.y]).shuffle(1024).batch(32);
      const validationDataset = pc.Dataset.fromTensorSlices([validation.x, validation.y]).batch(32);
      const batchLogs: pc.Logs[] = [];
      const history = await mlp.fit(trainDataset, {
        validationData: validationDataset, epochs: 3, verbose: 0,
        callbacks: [{ onBatchEnd: (_batch, logs) => { batchLogs.push({ ...logs }); } }],
      });
      expect(Object.keys(history.history).sort()).toEqual(['loss', 'sparse_categorical_accuracy', 'val_loss', 'val_sparse_categorical_accuracy']);
      expect(batchLogs).toHaveLength(9);
      expect(Object.keys(batchLogs[0]!)).toEqual(['loss', 'sparse_categorical_accuracy']);
      // The epoch's logs are the running values after its last batch.
      expect(history.history['loss']![2]).toBe(batchLogs[8]!['loss']);
      const [valLoss, valAccuracy] = await mlp.evaluate(validationDataset, { verbose: 0 });
      expectClose([history.history['val_loss']![2]!, history.history['val_sparse_categorical_accuracy']![2]!], [valLoss!, valAccuracy!], 1e-6, 1e-7);
      pc.dispose([train.x, train.y, validation.x, validation.y]);
      mlp.dispose();
    });

    it('validationFreq validates every n epochs, or after the listed epochs (from 1), as Keras', async () => {
      const model = new pc.Sequential([pc.Input({ shape: [1] }), new pc.Dense(1)]);
      model.compile({ optimizer: new pc.SGD({ learningRate: 0.01 }), loss: 'mse' });
      const rows = pc.tensor([0, 1, 2, 3], [4, 1]);
      const validated = async (validationFreq: number | number[]) => {
        const epochs: number[] = [];
        const history = await model.fit(rows, rows, {
          epochs: 5, validationData: [rows, rows], validationFreq, verbose: 0,
          callbacks: [{ onEpochEnd: (epoch, logs) => { if (logs && 'val_loss' in logs) epochs.push(epoch + 1); } }],
        });
        expect(history.history.val_loss).toHaveLength(epochs.length);
        expect(history.history.loss).toHaveLength(5);
        return epochs;
      };
      expect(await validated(1)).toEqual([1, 2, 3, 4, 5]);
      expect(await validated(2)).toEqual([2, 4]);
      expect(await validated([1, 5])).toEqual([1, 5]);
      for (const bad of [0, 1.5, [0, 2], '2']) {
        await expect(model.fit(rows, rows, { validationFreq: bad as never, verbose: 0 })).rejects.toThrow(`fit: validationFreq must be a positive integer or an array of epochs counted from 1, got ${JSON.stringify(bad)}`);
      }
      rows.dispose();
      model.dispose();
    });

    it('stepsPerEpoch continues through the data across epochs, as Keras; a never-ending dataset needs it', async () => {
      const model = new pc.Sequential([pc.Input({ shape: [1] }), new pc.Dense(1)]);
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      const rows = pc.tensor([0, 1, 2, 3, 4], [5, 1]);
      const seen: number[] = [];
      const data = pc.Dataset.fromTensorSlices([rows, rows]).map(([x, y]) => {
        seen.push((x as pc.Tensor).dataSync()[0]!);
        return [x, y];
      });
      const forever = data.repeat().batch(1);
      await expect(model.fit(forever, { verbose: 0 })).rejects.toThrow('fit: the dataset never ends (repeat() without a count); give stepsPerEpoch to bound it');
      const history = await model.fit(forever, { epochs: 3, stepsPerEpoch: 2, verbose: 0 });
      expect(seen).toEqual([0, 1, 2, 3, 4, 0]);
      expect(history.history.loss).toHaveLength(3);
      // Data of known length starts a new pass when it runs out in the middle of an epoch.
      seen.length = 0;
      await model.fit(data.batch(1), { epochs: 2, stepsPerEpoch: 3, verbose: 0 });
      expect(seen).toEqual([0, 1, 2, 3, 4, 0]);
      seen.length = 0;
      await expect(model.evaluate(forever, { verbose: 0 })).rejects.toThrow('evaluate: the dataset never ends (repeat() without a count); give steps to bound it');
      await model.evaluate(forever, { steps: 2, verbose: 0 });
      expect(seen).toEqual([0, 1]);
      rows.dispose();
      model.dispose();
    });

    it('a running batch log is the batch-size weighted mean of the batch losses', () => {
      const { x, y } = blobs(30);
      const model = classifier();
      model.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
      const lossObject = new pc.SparseCategoricalCrossentropy();
      const batchLoss = (start: number, size: number): number => pc.tidy(() => lossObject.call(pc.slice(y, start, size), model.apply(pc.slice(x, start, size))).dataSync()[0]!);
      const first = batchLoss(0, 20);
      const second = batchLoss(20, 10);
      model.resetMetrics();
      const xs = [pc.slice(x, 0, 20), pc.slice(x, 20, 10)];
      const ys = [pc.slice(y, 0, 20), pc.slice(y, 20, 10)];
      expectClose([model.trainStep(xs[0]!, ys[0]!)['loss']!], [first], 1e-6);
      expectClose([model.trainStep(xs[1]!, ys[1]!)['loss']!], [(20 * first + 10 * second) / 30], 1e-6);
      pc.dispose([x, y, ...xs, ...ys]);
      model.dispose();
    });

    it('TerminateOnNaN stops fit at the batch whose loss is NaN and says where', async () => {
      const { x, y } = blobs(64);
      const poisoned = pc.tidy(() => {
        const mask = pc.tensor(Array.from({ length: 128 }, (_, i) => (i === 40 ? NaN : 0)), [64, 2]);
        return pc.add(x, mask);
      });
      // No relu: tfjs-wasm's fused dense+relu kernel turns NaN into 0 (plain relu keeps NaN).
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(2, { activation: 'softmax' })]);
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      const messages: string[] = [];
      const seen: number[] = [];
      const history = await model.fit(poisoned, y, {
        epochs: 3, batchSize: 8, shuffle: false, verbose: 0,
        callbacks: [new pc.TerminateOnNaN({ write: (text) => messages.push(text) }), { onBatchEnd: (batch) => { seen.push(batch); } }],
      });
      // Row 20 (element 40) is in batch 2 (rows 16..23) of the first epoch.
      expect(messages).toEqual(['Batch 2 of epoch 1: invalid loss NaN, terminating training\n']);
      expect(seen).toEqual([0, 1, 2]);
      expect(model.stopTraining).toBe(true);
      expect(history.epoch).toEqual([0]);
      pc.dispose([x, y, poisoned]);
      model.dispose();
    });

    it('verbose 2 prints one progress line per epoch through the ProgbarLogger', async () => {
      const { x, y } = blobs(64);
      const model = classifier();
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      let text = '';
      await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 2, validationSplit: 0.5, callbacks: [new pc.ProgbarLogger(2, { write: (t) => { text += t; } })] });
      const lines = text.trim().split('\n');
      expect(lines[0]).toBe('Epoch 1/2');
      // Keys sorted, as Keras 3 logs them; validation's come last.
      expect(lines[1]).toMatch(/^1\/1 - \d+s - \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$/);
      expect(lines[2]).toBe('Epoch 2/2');
      pc.dispose([x, y]);
      model.dispose();
    });

    it('the default progress bar runs after the user\'s callbacks, as Keras 3: it shows learning_rate, after their messages', async () => {
      const { x, y } = blobs(32);
      const model = classifier();
      model.compile({ optimizer: new pc.SGD({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
      const written: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((text) => { written.push(String(text)); return true; });
      try {
        const reduce = new pc.ReduceLROnPlateau({ monitor: 'loss', patience: 0, minDelta: 100, factor: 0.5, verbose: 1 });
        await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 2, validationData: [x, y], callbacks: [reduce] });
      } finally {
        spy.mockRestore();
      }
      const lines = written.join('').split('\n').filter((line) => line !== '');
      expect(lines[0]).toBe('Epoch 1/2');
      expect(lines[1]).toMatch(/^1\/1 - \d+s - \d+(ms|us|s)\/step - loss: \d\.\d{4} - val_loss: \d\.\d{4} - learning_rate: 0\.5000$/);
      expect(lines[2]).toBe('Epoch 2/2');
      expect(lines[3]).toBe('Epoch 2: ReduceLROnPlateau reducing learning rate to 0.25.');
      expect(lines[4]).toMatch(/ - learning_rate: 0\.5000$/);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('predict draws Keras\'s bar with verbose 1 and is quiet by default; the batches give the same rows', () => {
      const { x } = blobs(70);
      const model = classifier();
      const written: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((text) => { written.push(String(text)); return true; });
      let quiet: pc.Tensor;
      let loud: pc.Tensor;
      try {
        quiet = model.predict(x);
        expect(written).toEqual([]);
        loud = model.predict(x, { batchSize: 32, verbose: 1 });
      } finally {
        spy.mockRestore();
      }
      expect(written.join('').trim().split(/[\r\n]+/).at(-1)).toMatch(/^3\/3 ━{20} \d+s \d+(ms|us|s)\/step$/);
      expect(Array.from(loud.dataSync())).toEqual(Array.from(quiet.dataSync()));
      pc.dispose([x, quiet, loud]);
      model.dispose();
    });

    it('getWeights / setWeights copy values in weights order and check every shape first', () => {
      const a = classifier();
      const b = classifier();
      b.setWeights(a.getWeights());
      expect(values(b.weights)).toEqual(values(a.weights));
      const before = values(b.weights);
      const wrong = [...a.getWeights().slice(0, 3), pc.zeros([3])];
      expect(() => b.setWeights(wrong)).toThrow(/setWeights: weight 'output\/bias' is float32 \[2\], got float32 \[3\]/);
      expect(values(b.weights)).toEqual(before);
      pc.dispose(wrong[3]!);
      a.dispose();
      b.dispose();
    });

    describe('bad input', () => {
      it('fit before compile', async () => {
        const { x, y } = blobs(8);
        await expect(classifier('m').fit(x, y, { verbose: 0 })).rejects.toThrow(/fit: model 'm' must be compiled first: call model.compile/);
        await expect(classifier('m').evaluate(x, y, { verbose: 0 })).rejects.toThrow(/evaluate: model 'm' must be compiled first/);
        pc.dispose([x, y]);
      });

      it('x and y of different lengths', async () => {
        const model = classifier();
        model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
        const x = pc.zeros([10, 2]);
        const y = pc.zeros([9], 'int32');
        await expect(model.fit(x, y, { verbose: 0 })).rejects.toThrow('fit: x and y must have the same number of samples, got x [10,2] (10) and y [9] (9)');
        await expect(model.evaluate(x, y, { verbose: 0 })).rejects.toThrow(/evaluate: x and y must have the same number of samples/);
        pc.dispose([x, y]);
      });

      it('input feature size different from the built size', async () => {
        const model = classifier('m');
        model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
        const x = pc.zeros([10, 3]);
        const y = pc.zeros([10], 'int32');
        await expect(model.fit(x, y, { verbose: 0 })).rejects.toThrow("trainStep: model 'm' expects inputs of shape [-1,2] (-1: any batch size), got [16,3]".replace('[16,3]', '[10,3]'));
        expect(() => model.predict(x)).toThrow(/predict: model 'm' expects inputs of shape \[-1,2\]/);
        const mlp = new MultilayerPerceptron(2);
        pc.dispose(mlp.apply(pc.zeros([1, 2])));
        expect(() => mlp.predict(x)).toThrow(/expects inputs of shape \[-1,2\].*got \[10,3\]/);
        pc.dispose([x, y]);
      });

      it('batchSize <= 0', async () => {
        const model = classifier();
        model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
        const x = pc.zeros([4, 2]);
        const y = pc.zeros([4], 'int32');
        await expect(model.fit(x, y, { batchSize: 0, verbose: 0 })).rejects.toThrow('fit: batchSize must be a positive integer, got 0');
        await expect(model.evaluate(x, y, { batchSize: -3, verbose: 0 })).rejects.toThrow('evaluate: batchSize must be a positive integer, got -3');
        expect(() => model.predict(x, { batchSize: 1.5 })).toThrow('predict: batchSize must be a positive integer, got 1.5');
        pc.dispose([x, y]);
      });

      it('unknown options of compile, fit, evaluate and predict, before anything runs', async () => {
        const model = classifier();
        expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', lr: 0.1 } as never)).toThrow("compile: unknown option 'lr'; expected one of optimizer, loss, lossWeights, metrics, weightedMetrics");
        expect(model.metricsNames).toEqual([]);
        model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
        const x = pc.ones([4, 2]);
        const y = pc.zeros([4], 'int32');
        pc.dispose(model.apply(x));
        const before = values(model.weights);
        await expect(model.fit(x, y, { class_weight: { 0: 10 } } as never)).rejects.toThrow(/fit: unknown option 'class_weight'; expected one of epochs, batchSize, .*stepsPerEpoch, validationSteps, validationFreq, sampleWeight, classWeight/);
        await expect(model.fit(x, y, { batch_size: 2 } as never)).rejects.toThrow("fit: unknown option 'batch_size'");
        await expect(model.evaluate(x, y, { classWeight: { 0: 10 } } as never)).rejects.toThrow("evaluate: unknown option 'classWeight'; expected one of batchSize, verbose, callbacks, steps, sampleWeight");
        expect(() => model.predict(x, { steps: 2 } as never)).toThrow("predict: unknown option 'steps'; expected one of batchSize, verbose");
        expect(() => model.predict(x, { verbose: 2 } as never)).toThrow('predict: verbose must be 0 or 1, got 2');
        expect(values(model.weights)).toEqual(before);
        pc.dispose([x, y]);
      });

      it('validationData whose samples differ from the training ones, before the first epoch', async () => {
        const model = classifier();
        model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
        const x = pc.ones([4, 2]);
        const y = pc.zeros([4], 'int32');
        const xVal = pc.ones([3, 5]);
        pc.dispose(model.apply(x));
        const before = values(model.weights);
        const tensorsBefore = pc.memory().numTensors;
        await expect(model.fit(x, y, { validationData: [xVal, pc.zeros([3], 'int32')], verbose: 0 }))
          .rejects.toThrow('fit: validationData x [3,5] has samples of shape [5], the training x [4,2] has [2]');
        await expect(model.fit(x, y, { validationSplit: 0.5, validationData: [x, y], verbose: 0 }))
          .rejects.toThrow('fit: give either validationData or validationSplit, not both');
        await expect(model.fit(x, y, { validationSplit: 0.5, stepsPerEpoch: 0, verbose: 0 }))
          .rejects.toThrow('fit: stepsPerEpoch: steps must be a positive integer, got 0');
        expect(values(model.weights)).toEqual(before);
        expect(pc.memory().numTensors).toBe(tensorsBefore + 1); // the validation labels made inline
        pc.dispose([x, y, xVal]);
      });

      it('a training step that throws leaks nothing and changes no weight', async () => {
        const model = classifier();
        model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
        const x = pc.ones([4, 2]);
        const badLabels = pc.fill([4], 5, 'int32');
        pc.dispose(model.apply(x));
        const before = values(model.weights);
        const tensorsBefore = pc.memory().numTensors;
        expect(() => model.trainStep(x, badLabels)).toThrow(/label 5 at position 0 is outside \[0, 2\)/);
        await expect(model.fit(x, badLabels, { verbose: 0 })).rejects.toThrow(/outside \[0, 2\)/);
        expect(pc.memory().numTensors).toBe(tensorsBefore);
        expect(values(model.weights)).toEqual(before);
        pc.dispose([x, badLabels]);
      });

      it('a model whose layers it cannot see says so instead of training nothing', async () => {
        class Hidden extends pc.Model {
          readonly layerOf = new Map([['dense', new pc.Dense(2)]]);
          override call(x: pc.Tensor) { return this.layerOf.get('dense')!.apply(x) as pc.Tensor; }
        }
        const model = new Hidden({ name: 'hidden' });
        model.compile({ optimizer: 'sgd', loss: 'mse' });
        const [x, y] = [pc.ones([2, 3]), pc.zeros([2, 2])];
        await expect(model.fit(x, y, { verbose: 0 }))
          .rejects.toThrow("trainStep: model 'hidden' has no trainable weights; it tracks layers held in its properties, in arrays and in plain objects (or they are all frozen)");
        model.layerOf.get('dense')!.dispose();
        pc.dispose([x, y]);
      });

      it('unknown optimizer, loss and metric names', () => {
        const model = classifier();
        expect(() => model.compile({ optimizer: 'adamx', loss: 'mse' })).toThrow(/getOptimizer: unknown optimizer 'adamx'/);
        expect(() => model.compile({ optimizer: 'adam', loss: 'msee' })).toThrow(/getLoss: unknown loss 'msee'/);
        expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] })).toThrow(/unknown metric 'acuracy'/);
        expect(model.metricsNames).toEqual([]);
      });
    });
  });
}
