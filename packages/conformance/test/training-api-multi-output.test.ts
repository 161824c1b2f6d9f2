// Models of several outputs: a functional graph with two heads, a layer that returns two tensors
// and a subclassed model that returns a list. Outputs, losses, metrics and gradients are checked
// against float64 computations written here from the weights (closed forms and central finite
// differences); then compile's per-output forms, fit's logs, saving, and bad input.
import * as pc from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { draws, errorRecorder, finiteDifferences, relu, rows, type Matrix } from './training-api-layer-checks.js';
import { blobs, MODEL_BACKENDS } from './training-api-model-support.js';
import { expectClose, valuesOf } from './support/values.js';

const FEATURES = 4;

/** Input(4) → Dense(5, relu) 'trunk' → two heads: Dense(3, softmax) 'digit' and Dense(1) 'size'. */
function twoHeads() {
  const input = pc.Input({ shape: [FEATURES], name: 'features' });
  const trunk = new pc.Dense(5, { activation: 'relu', name: 'trunk' });
  const digit = new pc.Dense(3, { activation: 'softmax', name: 'digit' });
  const size = new pc.Dense(1, { name: 'size' });
  const h = trunk.apply(input);
  const model = new pc.Model({ inputs: input, outputs: [digit.apply(h), size.apply(h)], name: 'two_heads' });
  return { model, trunk, digit, size };
}

/** The two heads in float64 from weights in `trainableWeights` order (trunk, digit, size: kernel then bias each). */
function headsReference(x: Matrix, weights: readonly number[]): { digit: Matrix; size: Matrix } {
  let offset = 0;
  const take = (count: number) => weights.slice(offset, (offset += count));
  const dense = (input: Matrix, units: number, activation: (v: number) => number = (v) => v): Matrix => {
    const kernel = rows(take(input[0]!.length * units), units);
    const bias = take(units);
    return input.map((row) => bias.map((b, j) => activation(row.reduce((s, v, k) => s + v * kernel[k]![j]!, b))));
  };
  const h = dense(x, 5, relu);
  const logits = dense(h, 3);
  const digit = logits.map((row) => {
    const top = Math.max(...row);
    const e = row.map((v) => Math.exp(v - top));
    const total = e.reduce((a, b) => a + b);
    return e.map((v) => v / total);
  });
  return { digit, size: dense(h, 1) };
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const crossEntropy = (p: Matrix, labels: readonly number[]): number => mean(p.map((row, r) => -Math.log(row[labels[r]!]!)));
const squaredError = (p: Matrix, t: readonly number[]): number => mean(p.map((row, r) => (row[0]! - t[r]!) ** 2));
const absoluteError = (p: Matrix, t: readonly number[]): number => mean(p.map((row, r) => Math.abs(row[0]! - t[r]!)));
const accuracy = (p: Matrix, labels: readonly number[]): number => mean(p.map((row, r) => (row.indexOf(Math.max(...row)) === labels[r] ? 1 : 0)));

/** n rows of features with a class label (0–2) and a size target for each. */
function batchOf(n: number, seed: number) {
  const xValues = draws(n * FEATURES, seed, -2, 2);
  const labels = Array.from({ length: n }, (_, r) => r % 3);
  const sizes = draws(n, seed + 1, -1, 1);
  return {
    xValues, labels, sizes,
    x: pc.tensor(xValues, [n, FEATURES]),
    y: [pc.tensor(labels, [n], 'int32'), pc.tensor(sizes, [n, 1])],
  };
}

/** A layer of two outputs: the first and second half of the last axis. */
class SplitHalves extends pc.Layer {
  static override readonly className = 'SplitHalves';
  override call(x: pc.Tensor): pc.Tensor[] {
    return pc.split(x, 2, -1);
  }
  override computeOutputShape(shape: pc.SymbolicShape): pc.SymbolicShape[] {
    const half = [...shape.slice(0, -1), shape.at(-1)! / 2];
    return [half, half];
  }
}
pc.registerClass(SplitHalves);

/** A subclassed model returning a list: its outputs have no names until it runs. */
class TwoRegressions extends pc.Model {
  readonly first = new pc.Dense(1);
  readonly second = new pc.Dense(2);
  override call(x: pc.Tensor): pc.Tensor[] {
    return [this.first.apply(x), this.second.apply(x)];
  }
}

const recordError = errorRecorder('several outputs');

for (const backend of MODEL_BACKENDS) {
  describe(`models of several outputs on ${backend}`, () => {
    it('predict returns one tensor per output, each what its head computes in float64', async () => {
      await pc.setBackend(backend);
      pc.setSeed(3);
      const { model } = twoHeads();
      expect(model.outputNames).toEqual(['digit', 'size']);
      expect(model.computeOutputShape([null, FEATURES])).toEqual([[null, 3], [null, 1]]);
      const { x, y, xValues } = batchOf(7, 10);
      const predicted = model.predict(x, { batchSize: 3 });
      expect(Array.isArray(predicted)).toBe(true);
      const [digit, size] = predicted as pc.Tensor[];
      const want = headsReference(rows(xValues, FEATURES), model.trainableWeights.flatMap((w) => valuesOf(w)));
      expect([digit!.shape, size!.shape]).toEqual([[7, 3], [7, 1]]);
      recordError('forward', [...valuesOf(digit), ...valuesOf(size)], [...want.digit.flat(), ...want.size.flat()]);
      expectClose(valuesOf(digit), want.digit.flat(), 1e-5, 1e-6);
      expectClose(valuesOf(size), want.size.flat(), 1e-5, 1e-6);
      pc.dispose([x, ...y, digit!, size!]);
      model.dispose();
    });

    it('evaluate gives the weighted sum of the outputs\' losses, and each output\'s loss and metrics under its name, as float64 computes them', async () => {
      await pc.setBackend(backend);
      pc.setSeed(4);
      const { model } = twoHeads();
      const { x, y, xValues, labels, sizes } = batchOf(12, 20);
      const want = headsReference(rows(xValues, FEATURES), model.trainableWeights.flatMap((w) => valuesOf(w)));
      const [digitLoss, sizeLoss] = [crossEntropy(want.digit, labels), squaredError(want.size, sizes)];
      const expected = [digitLoss + 0.5 * sizeLoss, digitLoss, sizeLoss, accuracy(want.digit, labels), absoluteError(want.size, sizes)];
      const names = ['loss', 'digit_loss', 'size_loss', 'digit_accuracy', 'size_mae'];
      // The same settings keyed by output name and listed in output order.
      const forms: pc.CompileArgs[] = [
        { optimizer: 'sgd', loss: { digit: 'sparseCategoricalCrossentropy', size: 'mse' }, lossWeights: { size: 0.5 }, metrics: { digit: 'accuracy', size: ['mae'] } },
        { optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'], lossWeights: [1, 0.5], metrics: [['accuracy'], 'mae'] },
      ];
      for (const form of forms) {
        model.compile(form);
        expect(model.metricsNames).toEqual(names);
        const results = await model.evaluate(x, y, { batchSize: 5, verbose: 0 });
        recordError('evaluate', results, expected);
        expectClose(results, expected, 1e-5, 1e-6);
      }
      pc.dispose([x, ...y]);
      model.dispose();
    });

    it('sample weights weigh each output\'s loss and weighted metrics, one per output or one for all (float64)', async () => {
      await pc.setBackend(backend);
      pc.setSeed(11);
      const { model } = twoHeads();
      model.compile({ optimizer: 'sgd', loss: { digit: 'sparseCategoricalCrossentropy', size: 'mse' }, weightedMetrics: { size: ['mae'] } });
      const { x, y, xValues, labels, sizes } = batchOf(10, 90);
      const [digitWeights, sizeWeights] = [draws(10, 91, 0, 2), draws(10, 92, 0, 2)];
      const want = headsReference(rows(xValues, FEATURES), model.trainableWeights.flatMap((w) => valuesOf(w)));
      const weighted = (perSample: number[], weights: number[]) => perSample.reduce((s, v, r) => s + v * weights[r]!, 0) / perSample.length;
      const xent = want.digit.map((row, r) => -Math.log(row[labels[r]!]!));
      const squared = want.size.map((row, r) => (row[0]! - sizes[r]!) ** 2);
      const absolute = want.size.map((row, r) => Math.abs(row[0]! - sizes[r]!));
      const weightedMean = (values: number[], weights: number[]) => values.reduce((s, v, r) => s + v * weights[r]!, 0) / weights.reduce((a, b) => a + b);
      const expected = (wDigit: number[], wSize: number[]) => {
        const [d, s] = [weighted(xent, wDigit), weighted(squared, wSize)];
        return [d + s, d, s, weightedMean(absolute, wSize)];
      };
      const [tDigit, tSize] = [pc.tensor(digitWeights, [10]), pc.tensor(sizeWeights, [10])];
      const perOutput = await model.evaluate(x, y, { sampleWeight: { size: tSize, digit: tDigit }, verbose: 0 });
      expectClose(perOutput, expected(digitWeights, sizeWeights), 1e-5, 1e-6);
      expect(await model.evaluate(x, y, { sampleWeight: [tDigit, tSize], verbose: 0 })).toEqual(perOutput);
      const forAll = await model.evaluate(x, y, { sampleWeight: tDigit, verbose: 0 });
      expectClose(forAll, expected(digitWeights, digitWeights), 1e-5, 1e-6);
      await expect(model.evaluate(x, y, { sampleWeight: [tDigit, tSize, tSize], verbose: 0 })).rejects.toThrow('evaluate: expected one sampleWeight for every output or one per output, got 3 for y [[10], [10,1]]');
      pc.dispose([x, ...y, tDigit, tSize]);
      model.dispose();
    });

    it('a training step moves each weight by the learning rate times the gradient of the weighted total (central finite differences in float64)', async () => {
      await pc.setBackend(backend);
      pc.setSeed(5);
      const { model } = twoHeads();
      const learningRate = 0.1;
      model.compile({ optimizer: new pc.SGD({ learningRate }), loss: ['sparseCategoricalCrossentropy', 'mse'], lossWeights: [0.7, 2] });
      const { x, y, xValues, labels, sizes } = batchOf(6, 30);
      const before = model.trainableWeights.flatMap((w) => valuesOf(w));
      const total = (weights: number[]): number[] => {
        const out = headsReference(rows(xValues, FEATURES), weights);
        return [0.7 * crossEntropy(out.digit, labels) + 2 * squaredError(out.size, sizes)];
      };
      const [loss] = (await model.trainOnBatch(x, y)) as number[];
      expect(loss).toBeCloseTo(total(before)[0]!, 5);
      const after = model.trainableWeights.flatMap((w) => valuesOf(w));
      const stepGradient = after.map((w, i) => (before[i]! - w) / learningRate);
      const want = finiteDifferences(before, [1], total);
      recordError('gradient', stepGradient, want);
      expectClose(stepGradient, want, 2e-3, 2e-4);
      pc.dispose([x, ...y]);
      model.dispose();
    });

    it('one loss serves every output, and a null loss leaves its output untrained', async () => {
      await pc.setBackend(backend);
      pc.setSeed(6);
      const { model, size } = twoHeads();
      const { x, y, xValues, sizes } = batchOf(8, 40);
      const target = pc.tensor(Array.from({ length: 8 * 3 }, (_, i) => (i % 5) / 5), [8, 3]);
      const want = headsReference(rows(xValues, FEATURES), model.trainableWeights.flatMap((w) => valuesOf(w)));
      const targetRows = rows(valuesOf(target), 3);
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      expect(model.metricsNames).toEqual(['loss', 'digit_loss', 'size_loss']);
      const digitLoss = mean(want.digit.map((row, r) => mean(row.map((v, j) => (v - targetRows[r]![j]!) ** 2))));
      const [loss, digitResult, sizeResult] = await model.evaluate(x, [target, y[1]!], { verbose: 0 });
      expectClose([loss!, digitResult!, sizeResult!], [digitLoss + squaredError(want.size, sizes), digitLoss, squaredError(want.size, sizes)], 1e-5, 1e-6);

      model.compile({ optimizer: 'sgd', loss: { digit: 'sparseCategoricalCrossentropy' }, metrics: { size: ['mae'] } });
      expect(model.metricsNames).toEqual(['loss', 'size_mae']);
      const sizeWeights = size.weights.map((w) => valuesOf(w));
      const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
      expect(Object.keys(history.history).sort()).toEqual(['loss', 'size_mae']);
      expect(size.weights.map((w) => valuesOf(w))).toEqual(sizeWeights);
      pc.dispose([x, ...y, target]);
      model.dispose();
    });

    it('fit learns both heads and logs each output under its name, validation too; steps leak no tensor', async () => {
      await pc.setBackend(backend);
      pc.setSeed(7);
      const { model } = twoHeads();
      const { x, y: labels } = blobs(96, FEATURES, 8);
      const both = pc.tidy(() => pc.cast(labels, 'float32'));
      const [digitLabels, sizes] = [labels, pc.tidy(() => pc.reshape(pc.sub(pc.mul(both, 2), 1), [96, 1]))];
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: { digit: 'sparseCategoricalCrossentropy', size: 'mse' }, metrics: { digit: ['accuracy'] } });
      const history = await model.fit(x, [digitLabels, sizes], { epochs: 12, batchSize: 16, validationSplit: 0.25, verbose: 0 });
      expect(Object.keys(history.history).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'size_loss', 'val_digit_accuracy', 'val_digit_loss', 'val_loss', 'val_size_loss']);
      expect(history.history.val_digit_accuracy!.at(-1)!).toBeGreaterThan(0.9);
      expect(history.history.size_loss!.at(-1)!).toBeLessThan(history.history.size_loss![0]! / 2);
      // The total is the sum of the two (weights 1), epoch by epoch.
      history.history.loss!.forEach((total, epoch) => expect(total).toBeCloseTo(history.history.digit_loss![epoch]! + history.history.size_loss![epoch]!, 4));
      const tensorsBefore = pc.memory().numTensors;
      await model.fit(x, [digitLabels, sizes], { epochs: 1, batchSize: 16, verbose: 0 });
      expect(pc.memory().numTensors).toBe(tensorsBefore);
      pc.dispose([x, labels, both, sizes]);
      model.dispose();
    });

    it('y keyed by output name gives what the list gives, in evaluate, fit and a Dataset', async () => {
      await pc.setBackend(backend);
      pc.setSeed(10);
      const { model } = twoHeads();
      model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics: [['accuracy'], []] });
      const { x, y } = batchOf(12, 80);
      const named = { size: y[1]!, digit: y[0]! };
      expect(await model.evaluate(x, named, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
      const history = await model.fit(pc.Dataset.fromTensorSlices([x, named]).batch(4), { epochs: 2, verbose: 0 });
      expect(Object.keys(history.history).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'size_loss']);
      await expect(model.evaluate(x, { digit: y[0]!, sizes: y[1]! }, { verbose: 0 })).rejects.toThrow("testStep: expected y keyed by the model's outputs 'digit', 'size', got keys 'digit', 'sizes'");
      const subclassed = new TwoRegressions();
      subclassed.compile({ optimizer: 'sgd', loss: 'mse' });
      await expect(subclassed.evaluate(x, { a: y[1]!, b: y[1]! }, { verbose: 0 })).rejects.toThrow("testStep: y is keyed by name ('a', 'b'), but the model's outputs have no names (a functional model's have); give y as a list in order");
      pc.dispose([x, ...y]);
      model.dispose();
      subclassed.dispose();
    });

    it('saves and loads with its outputs and per-output compile settings', async () => {
      await pc.setBackend(backend);
      pc.setSeed(8);
      const { model } = twoHeads();
      model.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', size: 'mae' }, lossWeights: { digit: 2, size: 0.25 }, metrics: { digit: ['accuracy'] }, weightedMetrics: [null, ['mse']] });
      const { x, y } = batchOf(10, 50);
      await model.fit(x, y, { epochs: 1, verbose: 0 });
      const store = pc.memoryStore();
      await model.save(store);
      const loaded = await pc.loadModel(store);
      expect(loaded.outputNames).toEqual(['digit', 'size']);
      expect(loaded.metricsNames).toEqual(model.metricsNames);
      expect(loaded.compiledOutputs.map((o) => [o.name, o.loss?.className, o.lossWeight])).toEqual([['digit', 'SparseCategoricalCrossentropy', 2], ['size', 'MeanAbsoluteError', 0.25]]);
      expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
      const [a, b] = [model.predict(x) as pc.Tensor[], loaded.predict(x) as pc.Tensor[]];
      expect(b.map((t) => valuesOf(t))).toEqual(a.map((t) => valuesOf(t)));
      pc.dispose([x, ...y, ...a, ...b]);
      model.dispose();
      loaded.dispose();
    });

    it('a layer of several outputs gives one symbolic tensor per output, named by its position in the summary and the saved graph', async () => {
      await pc.setBackend(backend);
      const input = pc.Input({ shape: [4], name: 'pair' });
      const split = new SplitHalves({ name: 'split' });
      const halves = split.apply(input);
      expect(halves.map((t) => [t.shape, t.index])).toEqual([[[null, 2], 0], [[null, 2], 1]]);
      expect(split.output).toEqual(halves);
      const scaled = new pc.Dense(2, { name: 'scaled', kernelInitializer: 'ones' }).apply(halves[1]!);
      const model = new pc.Model({ inputs: input, outputs: [new pc.Add({ name: 'sum' }).apply([halves[0]!, scaled]), halves[1]!] });
      expect(model.outputNames).toEqual(['sum', 'split']);
      expect(new pc.Model({ inputs: input, outputs: [halves[1]!, halves[0]!, halves[1]!] }).outputNames).toEqual(['split_0', 'split_1', 'split_2']);
      const lines: string[] = [];
      model.summary((line) => lines.push(line));
      expect(lines[1]).toHaveLength(100);
      expect(lines.find((l) => l.startsWith('│ split'))).toMatch(/\[\(None, 2\), \(None, 2\)\]/);
      expect(lines.find((l) => l.startsWith('│ scaled'))).toContain('split[0][1]');
      const x = pc.tensor([1, 2, 3, 4, -1, 0, 1, 2], [2, 4]);
      const [sum, right] = model.predict(x) as pc.Tensor[];
      // sum = left + right·ones(2×2) (bias 0): each row's left half plus the sum of its right half.
      expect([valuesOf(sum), valuesOf(right)]).toEqual([[8, 9, 2, 3], [3, 4, 1, 2]]);
      const loaded = pc.deserializeLayer(pc.serializeLayer(model)) as pc.Functional;
      loaded.setWeights(model.getWeights());
      const again = loaded.predict(x) as pc.Tensor[];
      expect(again.map((t) => valuesOf(t))).toEqual([valuesOf(sum), valuesOf(right)]);
      pc.dispose([x, sum!, right!, ...again]);
      model.dispose();
    });

    it('a subclassed model that returns a list names its outputs output_1, output_2 on its first step', async () => {
      await pc.setBackend(backend);
      pc.setSeed(9);
      const model = new TwoRegressions();
      model.compile({ optimizer: 'sgd', loss: ['mse', 'mae'], metrics: [[], ['mse']] });
      expect(model.metricsNames).toEqual(['loss']);
      const x = pc.tensor(draws(8 * 3, 60, -1, 1), [8, 3]);
      const y = [pc.zeros([8, 1]), pc.ones([8, 2])];
      const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
      expect(model.metricsNames).toEqual(['loss', 'output_1_loss', 'output_2_loss', 'output_2_mse']);
      expect(Object.keys(history.history).sort()).toEqual(['loss', 'output_1_loss', 'output_2_loss', 'output_2_mse']);
      pc.dispose([x, ...y]);
      model.dispose();
    });

    it('refuses targets, compile settings and uses that do not fit the outputs, naming them, and changes nothing', async () => {
      await pc.setBackend(backend);
      const { model } = twoHeads();
      const { x, y } = batchOf(4, 70);
      const compile = (args: Partial<pc.CompileArgs>) => () => model.compile({ optimizer: 'sgd', loss: 'mse', ...args } as pc.CompileArgs);
      expect(compile({ loss: ['mse', 'mse', 'mse'] })).toThrow("compile: loss has 3 entries but the model has 2 outputs ('digit', 'size'); give one per output, or an object keyed by output name");
      expect(compile({ loss: { digit: 'mse', sizes: 'mse' } })).toThrow("compile: loss names 'sizes', which is not an output of the model; its outputs are 'digit', 'size'");
      expect(compile({ loss: [null, null] })).toThrow("compile: every output's loss is null; at least one output needs a loss");
      expect(compile({ lossWeights: [1, 'a'] as never })).toThrow('compile: lossWeights must be a list of finite numbers, one per output, or an object of them keyed by output name, got [1,"a"]');
      expect(compile({ metrics: ['accuracy', 'mae', 'mse'] })).toThrow('compile: metrics has 3 entries but the model has 2 outputs');
      expect(compile({ metrics: { size: [new pc.MeanAbsoluteErrorMetric({ name: 'loss' })] } })).toThrow("compile: two metrics would be logged as 'size_loss'; give them distinct names");
      expect(model.metricsNames).toEqual([]);
      model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'] });
      const before = model.weights.map((w) => valuesOf(w));
      await expect(model.fit(x, y[0]!, { verbose: 0 })).rejects.toThrow("trainStep: model 'two_heads' has 2 outputs ('digit', 'size'); expected y to be a list of 2 Tensors, one per output, got [4]");
      await expect(model.evaluate(x, [...y, y[1]!], { verbose: 0 })).rejects.toThrow("has 2 outputs ('digit', 'size'); expected y to be a list of 2 Tensors, one per output, got [[4], [4,1], [4,1]]");
      await expect(model.fit(x, y, { verbose: 0, classWeight: { 0: 2 } })).rejects.toThrow('fit: classWeight is supported for models of one output only, got y [[4], [4,1]]; give sampleWeight instead');
      expect(model.weights.map((w) => valuesOf(w))).toEqual(before);
      expect(() => new pc.Sequential([new pc.Dense(4, { inputShape: [4] }), new SplitHalves({ name: 'halves' })])).toThrow("Sequential 'sequential");
      expect(() => new pc.Sequential([new pc.Dense(4, { inputShape: [4] }), new SplitHalves({ name: 'halves' })])).toThrow("expected layer 'halves' to return one tensor, got a list of 2; use a functional model (new Model({inputs, outputs})) for layers of several outputs");
      pc.dispose([x, ...y]);
      model.dispose();
    });
  });
}
