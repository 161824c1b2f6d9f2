// predictAsync (Keras's predict with a Dataset, steps and callbacks) and trainOnBatch /
// testOnBatch / predictOnBatch, against float64 values computed here from the linear model's
// known weights (y = x·[0.5, −0.25] + 0.1); a model passing its input through hands out its own
// tensors (pc.clone).
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { LINEAR, linearModel, linearOutputs, linearResiduals, MODEL_BACKENDS, sumOf } from './training-api-model-support.js';

const { x: X, y: Y, kernel: KERNEL, bias: BIAS } = LINEAR;

function data(): { x: pc.Tensor; y: pc.Tensor } {
  return { x: pc.tensor(X), y: pc.tensor(Y, [4, 1]) };
}

function values(weights: readonly pc.Tensor[]): number[] {
  return weights.flatMap((t) => Array.from(t.dataSync()));
}

/** The linear model's weights after one SGD step (rate 0.1) on MSE with per-sample weights `w`, in float64. */
function sgdStep(w: readonly number[]): number[] {
  const e = linearResiduals();
  const gradient = [0, 1].map((j) => (2 / 4) * sumOf(e.map((r, i) => w[i]! * r * X[i]![j]!)));
  const biasGradient = (2 / 4) * sumOf(e.map((r, i) => w[i]! * r));
  return [KERNEL[0] - 0.1 * gradient[0]!, KERNEL[1] - 0.1 * gradient[1]!, BIAS - 0.1 * biasGradient];
}

/** Records every predict hook with its arguments (the outputs as values, read during the hook). */
function recorder(): { events: unknown[][]; callback: pc.Callback } {
  const events: unknown[][] = [];
  const callback: pc.Callback = {
    setParams: (params) => { events.push(['setParams', params]); },
    onPredictBegin: (logs) => { events.push(['begin', logs]); },
    onPredictBatchBegin: (batch, logs) => { events.push(['batchBegin', batch, logs]); },
    onPredictBatchEnd: (batch, logs) => {
      const outputs = (logs as pc.PredictBatchLogs).outputs as pc.Tensor;
      events.push(['batchEnd', batch, outputs.shape, Array.from(outputs.dataSync())]);
    },
    onPredictEnd: (logs) => { events.push(['end', logs]); },
  };
  return { events, callback };
}

for (const backend of MODEL_BACKENDS) {
  describe(`predictAsync and the *OnBatch calls on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe('predictAsync', () => {
      it('on a tensor gives the hand-computed outputs, the same as predict, in any batch size', async () => {
        const model = linearModel();
        const { x } = data();
        for (const batchSize of [1, 3, 4, 32]) {
          const result = await model.predictAsync(x, { batchSize, verbose: 0 });
          expect(result.shape).toEqual([4, 1]);
          expectClose(result.dataSync(), linearOutputs());
          const synchronous = model.predict(x, { batchSize });
          expect(Array.from(result.dataSync())).toEqual(Array.from(synchronous.dataSync()));
          pc.dispose([result, synchronous]);
        }
        x.dispose();
        model.dispose();
      });

      it('on a Dataset of x, [x], [x, y] or [x, y, sampleWeight] batches equals predict on the tensor, y and weights ignored', async () => {
        const model = linearModel();
        const { x, y } = data();
        const w = pc.tensor([1, 2, 3, 4]);
        const expected = model.predict(x);
        const datasets = [
          pc.Dataset.fromTensorSlices(x).batch(3),
          pc.Dataset.fromTensorSlices([x]).batch(3),
          pc.Dataset.fromTensorSlices([x, y]).batch(3),
          pc.Dataset.fromTensorSlices([x, y, w]).batch(3),
          // An autoencoder's [x, x]: the one tensor is both, and is freed once.
          pc.Dataset.fromTensorSlices(x).batch(2).map((batch) => [batch, batch]),
        ];
        const before = pc.memory().numTensors;
        for (const dataset of datasets) {
          const result = await model.predictAsync(dataset, { verbose: 0 });
          expect(Array.from(result.dataSync())).toEqual(Array.from(expected.dataSync()));
          result.dispose();
        }
        expect(pc.memory().numTensors).toBe(before);
        pc.dispose([x, y, w, expected]);
        model.dispose();
      });

      it('calls the predict hooks in Keras\'s order, awaits each, and hands onPredictBatchEnd the batch\'s outputs', async () => {
        const model = linearModel();
        const { x } = data();
        const { events, callback } = recorder();
        let handedOut: pc.Tensor | undefined;
        const slow: pc.Callback = {
          setModel: (m) => { events.push(['setModel', m === model]); },
          // Awaited: the next hook of the recorder (which runs first) must not start before this ends.
          onPredictBatchBegin: async (batch) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            events.push(['slow', batch]);
          },
          onPredictBatchEnd: (_batch, logs) => { handedOut = (logs as pc.PredictBatchLogs).outputs as pc.Tensor; },
        };
        const result = await model.predictAsync(x, { batchSize: 3, verbose: 0, callbacks: [callback, slow] });
        const outputs = linearOutputs();
        expect(events.slice(0, 2)).toEqual([['setModel', true], ['setParams', { epochs: 1, steps: 2, verbose: 0 }]]);
        expect(events.slice(2).map((e) => e.slice(0, 3))).toEqual([
          ['begin', {}],
          ['batchBegin', 0, {}], ['slow', 0], ['batchEnd', 0, [3, 1]],
          ['batchBegin', 1, {}], ['slow', 1], ['batchEnd', 1, [1, 1]],
          ['end', {}],
        ]);
        expectClose(events[5]![3] as number[], outputs.slice(0, 3));
        expectClose(events[8]![3] as number[], outputs.slice(3));
        // The batch outputs live until predictAsync returns (documented), not beyond.
        expect(handedOut!.isDisposed).toBe(true);
        pc.dispose([x, result]);
        model.dispose();
      });

      it('draws Keras\'s bar by default (Keras 3\'s verbose "auto"), one line with verbose 2, nothing with 0', async () => {
        const model = linearModel();
        const { x } = data();
        const written: string[] = [];
        const spy = vi.spyOn(process.stdout, 'write').mockImplementation((text) => { written.push(String(text)); return true; });
        const lines = async (options: pc.PredictAsyncOptions): Promise<string[]> => {
          written.length = 0;
          pc.dispose(await model.predictAsync(x, { batchSize: 2, ...options }));
          return written.join('').split(/[\r\n]+/).filter((line) => line.trim() !== '');
        };
        try {
          expect((await lines({})).at(-1)).toMatch(/^2\/2 ━{20} \d+s \d+(ms|us|s)\/step$/);
          expect(await lines({ verbose: 2 })).toEqual([expect.stringMatching(/^2\/2 - \d+s - \d+(ms|us|s)\/step$/)]);
          expect(await lines({ verbose: 0 })).toEqual([]);
        } finally {
          spy.mockRestore();
        }
        x.dispose();
        model.dispose();
      });

      it('steps bounds a dataset that never ends (required there), takes the first batches of any input, and stops where the data ends', async () => {
        const model = linearModel();
        const { x } = data();
        const drawn: number[] = [];
        const counted = pc.Dataset.fromTensorSlices(x).map((row) => {
          drawn.push((row as pc.Tensor).dataSync()[0]!);
          return row;
        });
        const forever = counted.repeat().shuffle(3, { seed: 1 }).batch(3);
        const tensorsBefore = pc.memory().numTensors;
        await expect(model.predictAsync(forever, { verbose: 0 })).rejects.toThrow('predictAsync: the dataset never ends (repeat() without a count); give steps to bound it');
        const { events, callback } = recorder();
        const bounded = await model.predictAsync(forever, { steps: 3, verbose: 0, callbacks: [callback] });
        expect(bounded.shape).toEqual([9, 1]);
        expect(events[0]).toEqual(['setParams', { epochs: 1, steps: 3, verbose: 0 }]);
        // Stopping early frees what the shuffle buffer still holds.
        bounded.dispose();
        expect(pc.memory().numTensors).toBe(tensorsBefore);

        const first = await model.predictAsync(x, { batchSize: 1, steps: 2, verbose: 0 });
        expectClose(first.dataSync(), linearOutputs().slice(0, 2));
        drawn.length = 0;
        const all = await model.predictAsync(counted.batch(3), { steps: 5, verbose: 0 });
        expect(drawn).toEqual(X.map((row) => row[0]));
        expectClose(all.dataSync(), linearOutputs());
        pc.dispose([x, first, all]);
        model.dispose();
      });

      it('tells the callbacks how many batches there will be, or null when the data cannot tell', async () => {
        const model = linearModel();
        const { x } = data();
        const stepsSeen = async (input: pc.Tensor | pc.Dataset<unknown>, options: pc.PredictAsyncOptions): Promise<unknown> => {
          let steps: unknown;
          pc.dispose(await model.predictAsync(input, { verbose: 0, ...options, callbacks: [{ setParams: (params) => { steps = params.steps; } }] }));
          return steps;
        };
        const unknownLength = pc.Dataset.fromTensorSlices(x).filter(() => true).batch(2);
        expect(await stepsSeen(x, { batchSize: 3 })).toBe(2);
        expect(await stepsSeen(x, { batchSize: 1, steps: 3 })).toBe(3);
        expect(await stepsSeen(pc.Dataset.fromTensorSlices(x).batch(3), { steps: 9 })).toBe(2);
        expect(await stepsSeen(unknownLength, {})).toBe(null);
        expect(await stepsSeen(unknownLength, { steps: 1 })).toBe(1);
        x.dispose();
        model.dispose();
      });

      it('a callback that throws at any hook, or a batch it cannot use, leaks no tensor', async () => {
        const model = linearModel();
        const { x, y } = data();
        const inputs = [x, pc.Dataset.fromTensorSlices([x, y]).shuffle(4).batch(1), pc.Dataset.fromTensorSlices(x).repeat().batch(1)];
        const before = pc.memory().numTensors;
        const hooks = ['onPredictBegin', 'onPredictBatchBegin', 'onPredictBatchEnd', 'onPredictEnd'] as const;
        for (const input of inputs) {
          for (const hook of hooks) {
            // Batch hooks fail on the second batch, with one batch's outputs made and one in hand.
            const failing: pc.Callback = { [hook]: (batch: unknown) => { if (typeof batch !== 'number' || batch === 1) throw new Error(`${hook} failed`); } };
            await expect(model.predictAsync(input, { batchSize: input instanceof pc.Tensor ? 1 : undefined, steps: 3, verbose: 0, callbacks: [failing] })).rejects.toThrow(`${hook} failed`);
          }
        }
        let elements = 0;
        const wrongElement = pc.Dataset.fromTensorSlices([x, y]).batch(2).map(([image, label]) => (elements++ === 1 ? { image, label } : [image, label]));
        await expect(model.predictAsync(wrongElement, { verbose: 0 })).rejects.toThrow("predict: x is keyed by name ('image', 'label'), but the model's inputs have no names (a functional model's have); give x as a list in order");
        const wide = pc.ones([4, 3]);
        await expect(model.predictAsync(pc.Dataset.fromTensorSlices(wide).batch(2), { verbose: 0 })).rejects.toThrow(/^predict: model '\w+' expects inputs of shape \[-1,2\]/);
        wide.dispose();
        expect(pc.memory().numTensors).toBe(before);
        pc.dispose([x, y]);
        model.dispose();
      });

      it('checks every option and input before any batch runs, naming what it expected and what it got', async () => {
        const model = linearModel();
        const { x } = data();
        const dataset = pc.Dataset.fromTensorSlices(x).batch(2);
        const before = pc.memory().numTensors;
        const rejects = (input: unknown, options: unknown, message: string) => expect(model.predictAsync(input as pc.Tensor, options as pc.PredictAsyncOptions)).rejects.toThrow(message);
        await rejects(x, { batch_size: 2 }, "predictAsync: unknown option 'batch_size'; expected one of batchSize, verbose, steps, callbacks");
        await rejects(x, { sampleWeight: x }, "predictAsync: unknown option 'sampleWeight'");
        await rejects(x, { verbose: 3 }, 'predictAsync: verbose must be 0, 1 or 2, got 3');
        await rejects(x, { verbose: 'auto' }, 'predictAsync: verbose must be 0, 1 or 2, got "auto"');
        for (const steps of [0, -1, 1.5, '2']) await rejects(x, { steps, verbose: 0 }, `predictAsync: steps must be a positive integer, got ${JSON.stringify(steps)}`);
        await rejects(x, { batchSize: 0, verbose: 0 }, 'predictAsync: batchSize must be a positive integer, got 0');
        await rejects(dataset, { batchSize: 2, verbose: 0 }, 'predictAsync: batchSize applies to tensor inputs; a Dataset is already batched (got batchSize 2)');
        await rejects(x, { callbacks: {}, verbose: 0 }, 'predictAsync: callbacks must be an array of callbacks, got object');
        await rejects([[1, 2]], { verbose: 0 }, 'predictAsync: expected x to be a Tensor (a list of Tensors, or Tensors keyed by input name, for a model of several inputs) or a Dataset of batches, got a list with non-tensors');
        await rejects(pc.scalar(1), { verbose: 0 }, 'predictAsync: expected x with a batch dimension, got a scalar');
        await rejects(pc.Dataset.fromTensorSlices(x).take(0).batch(2), { verbose: 0 }, 'predictAsync: the data yielded no batches');
        const disposed = pc.ones([2, 2]);
        disposed.dispose();
        await expect(model.predictAsync(disposed, { verbose: 0 })).rejects.toThrow(/predictAsync.*disposed/);
        expect(pc.memory().numTensors).toBe(before + 1); // the scalar made inline
        x.dispose();
        model.dispose();
      });
    });

    describe('trainOnBatch, testOnBatch, predictOnBatch', () => {
      it('trainOnBatch takes one SGD step on exactly the batch and resolves to the loss before it', async () => {
        const model = linearModel();
        model.compile({ optimizer: new pc.SGD({ learningRate: 0.1 }), loss: 'mse' });
        const { x, y } = data();
        const loss = await model.trainOnBatch(x, y);
        expect(typeof loss).toBe('number');
        expectClose([loss as number], [sumOf(linearResiduals().map((r) => r * r)) / 4]);
        expectClose(values(model.weights), sgdStep([1, 1, 1, 1]));
        pc.dispose([x, y]);
        model.dispose();
      });

      it('trainOnBatch weighs samples by sampleWeight, or by classWeight from the labels, as fit', async () => {
        const { x, y } = data();
        const labels = pc.tensor([1, 0, 2, 1], [4, 1]); // classes for classWeight; the loss still regresses on them
        const trained = async (target: pc.Tensor, options: pc.TrainOnBatchOptions): Promise<number[]> => {
          const model = linearModel();
          model.compile({ optimizer: new pc.SGD({ learningRate: 0.1 }), loss: 'mse' });
          await model.trainOnBatch(x, target, options);
          const weights = values(model.weights);
          model.dispose();
          return weights;
        };
        const w = pc.tensor([1, 2, 0, 0.5]);
        expectClose(await trained(y, { sampleWeight: w }), sgdStep([1, 2, 0, 0.5]));
        // Classes 1, 0, 2, 1 weigh 1 (unlisted), 3, 0.5, 1.
        const byClass = await trained(labels, { classWeight: { 0: 3, 2: 0.5 } });
        const bySample = pc.tensor([1, 3, 0.5, 1]);
        expectClose(byClass, await trained(labels, { sampleWeight: bySample }));
        pc.dispose([x, y, labels, w, bySample]);
      });

      it('the *OnBatch results are this batch\'s alone (metrics reset first, as Keras 3), in metricsNames order', async () => {
        const model = linearModel();
        model.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
        expect(model.metricsNames).toEqual(['loss', 'mae']);
        const { x, y } = data();
        const e = linearResiduals();
        const firstRows = [pc.slice(x, 0, 2), pc.slice(y, 0, 2)] as const;
        const lastRows = [pc.slice(x, 2, 2), pc.slice(y, 2, 2)] as const;
        const expected = (rows: number[]) => [sumOf(rows.map((i) => e[i]! ** 2)) / 2, sumOf(rows.map((i) => Math.abs(e[i]!))) / 2];
        expectClose(await model.trainOnBatch(...firstRows) as number[], expected([0, 1]));
        expectClose(await model.trainOnBatch(...lastRows) as number[], expected([2, 3]));
        expectClose(await model.testOnBatch(...firstRows) as number[], expected([0, 1]));
        expectClose(await model.testOnBatch(...lastRows) as number[], expected([2, 3]));
        const w = pc.tensor([0, 2]);
        expectClose(await model.testOnBatch(...lastRows, { sampleWeight: w }) as number[], [2 * e[3]! ** 2 / 2, expected([2, 3])[1]!]);
        pc.dispose([x, y, ...firstRows, ...lastRows, w]);
        model.dispose();
      });

      it('testOnBatch changes no weight; predictOnBatch gives the hand-computed outputs', async () => {
        const model = linearModel();
        model.compile({ optimizer: new pc.SGD({ learningRate: 0.1 }), loss: 'mse' });
        const { x, y } = data();
        expectClose([await model.testOnBatch(x, y) as number], [sumOf(linearResiduals().map((r) => r * r)) / 4]);
        expect(values(model.weights)).toEqual([...KERNEL, BIAS].map(Math.fround));
        const outputs = model.predictOnBatch(x);
        expect(outputs.shape).toEqual([4, 1]);
        expectClose(outputs.dataSync(), linearOutputs());
        pc.dispose([x, y, outputs]);
        model.dispose();
      });

      it('leak no tensor, also when they refuse their input, and then change no weight', async () => {
        const model = linearModel();
        const unnamed = linearModel();
        const { x, y } = data();
        const w = pc.tensor([1, 1, 1, 1]);
        const wrongWeight = pc.ones([4, 2, 2]);
        const empty = [pc.zeros([0, 2]), pc.zeros([0, 1])] as const;
        const wideX = pc.ones([4, 3]);
        model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
        await model.trainOnBatch(x, y); // creates the optimizer slots
        const weights = values(model.weights);
        const before = pc.memory().numTensors;
        await expect(unnamed.trainOnBatch(x, y)).rejects.toThrow(/trainOnBatch: model '.*' must be compiled first/);
        await expect(unnamed.testOnBatch(x, y)).rejects.toThrow(/testOnBatch: model '.*' must be compiled first/);
        await expect(model.trainOnBatch(x, pc.slice(y, 0, 3))).rejects.toThrow('trainOnBatch: x and y must have the same number of samples, got x [4,2] (4) and y [3,1] (3)');
        await expect(model.trainOnBatch(x, y, { sampleWeight: w, classWeight: { 0: 2 } })).rejects.toThrow('trainOnBatch: give either sampleWeight or classWeight, not both');
        await expect(model.trainOnBatch(x, y, { classWeight: { a: 2 } as never })).rejects.toThrow("trainOnBatch: classWeight keys must be class indices (integers >= 0), got 'a'");
        await expect(model.trainOnBatch(x, y, { sampleWeight: wrongWeight })).rejects.toThrow('trainOnBatch: sampleWeight [4,2,2] does not fit y [4,1]');
        await expect(model.trainOnBatch(x, y, { sample_weight: w } as never)).rejects.toThrow("trainOnBatch: unknown option 'sample_weight'; expected one of sampleWeight, classWeight");
        await expect(model.testOnBatch(x, y, { classWeight: { 0: 2 } } as never)).rejects.toThrow("testOnBatch: unknown option 'classWeight'; expected one of sampleWeight");
        await expect(model.trainOnBatch(...empty)).rejects.toThrow('trainOnBatch: expected a batch of at least one sample, got x [0,2]');
        await expect(model.trainOnBatch([[1, 2]] as never, y)).rejects.toThrow('trainOnBatch: expected x to be a Tensor (a list of Tensors, or Tensors keyed by input name, for a model of several inputs), got a list with non-tensors');
        await expect(model.trainOnBatch(wideX, y)).rejects.toThrow(/^trainStep: model '\w+' expects inputs of shape \[-1,2\] \(-1: any batch size\), got \[4,3\]$/);
        expect(() => model.predictOnBatch(pc.scalar(1))).toThrow('predictOnBatch: expected x with a batch dimension, got a scalar');
        expect(() => model.predictOnBatch(wideX)).toThrow(/^predict: model '\w+' expects inputs of shape \[-1,2\]/);
        expect(pc.memory().numTensors).toBe(before + 2); // the y slice and the scalar made inline
        expect(values(model.weights)).toEqual(weights);
        const settled = pc.memory().numTensors;
        await model.trainOnBatch(x, y, { sampleWeight: w });
        await model.trainOnBatch(x, y, { classWeight: { 0: 2 } });
        await model.testOnBatch(x, y, { sampleWeight: w });
        pc.dispose(model.predictOnBatch(x));
        expect(pc.memory().numTensors).toBe(settled);
        pc.dispose([x, y, w, wrongWeight, ...empty, wideX]);
        model.dispose();
        unnamed.dispose();
      });
    });

    it('a model passing its input through (Dropout at inference) hands out tensors of its own: predict over one batch and several, predictAsync on a Dataset and predictOnBatch, each freed apart from x', async () => {
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dropout(0.5), new pc.Dropout(0.2)]);
      const x = pc.tensor(X);
      const before = pc.memory().numTensors;
      const results = [
        model.predict(x) as pc.Tensor,
        model.predict(x, { batchSize: 3 }) as pc.Tensor,
        (await model.predictAsync(pc.Dataset.fromTensorSlices(x).batch(3))) as pc.Tensor,
        model.predictOnBatch(x) as pc.Tensor,
      ];
      for (const result of results) {
        expect(result).not.toBe(x);
        expect(values([result])).toEqual(X.flat());
        result.dispose();
      }
      expect(pc.memory().numTensors).toBe(before);
      expect(values([x])).toEqual(X.flat());
      const cloned = pc.clone(x);
      expect([cloned.shape, values([cloned])]).toEqual([x.shape, X.flat()]);
      cloned.dispose();
      expect(values([x])).toEqual(X.flat());
      x.dispose();
      model.dispose();
    });
  });
}
