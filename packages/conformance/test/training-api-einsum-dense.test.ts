// EinsumDense against float64 loops written here, one per equation (not einsum): values, Keras's
// kernel and bias shapes, output shapes with a null batch, gradients and an SGD step against
// their float64 values, save and load, a Keras 3 description read by loadLayersModel, and bad
// settings named.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { coordinatesOf, draws, errorRecorder, expectSaveLoadRoundTrip, tapeGradients } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

/** Reads a row-major array at coordinates. */
type Reader = (...at: number[]) => number;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const reader = (values: readonly number[], shape: readonly number[]): Reader => (...at) => values[at.reduce((flat, a, d) => flat * shape[d]! + a, 0)]!;
/** The row-major values of `shape`, each from its coordinates. */
const table = (shape: readonly number[], f: (at: number[]) => number): number[] => Array.from({ length: sizeOf(shape) }, (_, i) => f(coordinatesOf(i, shape)));
const sumOver = (n: number, f: (i: number) => number): number => Array.from({ length: n }, (_, i) => f(i)).reduce((a, b) => a + b, 0);
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

interface Case {
  title: string;
  settings: { equation: string; outputShape: number | (number | null)[]; biasAxes: string | null };
  /** The input's shape, batch first. */
  input: number[];
  /** Keras's shapes for that input; the output's with a null batch. */
  kernel: number[];
  bias: number[] | null;
  output: (number | null)[];
  /** The output in float64. */
  reference(x: Reader, kernel: Reader, bias: Reader): number[];
}

const CASES: Case[] = [
  {
    title: "'ab,bc->ac', bias 'c' (Dense)", settings: { equation: 'ab,bc->ac', outputShape: 5, biasAxes: 'c' },
    input: [3, 4], kernel: [4, 5], bias: [5], output: [null, 5],
    reference: (x, k, b) => table([3, 5], ([i, c]) => sumOver(4, (j) => x(i, j) * k(j, c)) + b(c)),
  },
  {
    title: "'abc,cd->abd', bias 'd' (a dense layer on each step)", settings: { equation: 'abc,cd->abd', outputShape: [null, 5], biasAxes: 'd' },
    input: [2, 3, 4], kernel: [4, 5], bias: [5], output: [null, 3, 5],
    reference: (x, k, b) => table([2, 3, 5], ([i, t, d]) => sumOver(4, (c) => x(i, t, c) * k(c, d)) + b(d)),
  },
  {
    title: "'abc,cde->abde', bias 'de' (attention's per-head projection)", settings: { equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de' },
    input: [2, 3, 4], kernel: [4, 2, 3], bias: [2, 3], output: [null, 3, 2, 3],
    reference: (x, k, b) => table([2, 3, 2, 3], ([i, t, h, e]) => sumOver(4, (c) => x(i, t, c) * k(c, h, e)) + b(h, e)),
  },
  {
    title: "'abcd,cde->abe', bias 'e' (attention's output projection, heads and their size contracted)", settings: { equation: 'abcd,cde->abe', outputShape: [null, 5], biasAxes: 'e' },
    input: [2, 3, 2, 3], kernel: [2, 3, 5], bias: [5], output: [null, 3, 5],
    reference: (x, k, b) => table([2, 3, 5], ([i, t, e]) => sumOver(2, (h) => sumOver(3, (d) => x(i, t, h, d) * k(h, d, e))) + b(e)),
  },
  {
    title: "'...b,bc->...c', bias 'c' (the batch and a step under '...')", settings: { equation: '...b,bc->...c', outputShape: 5, biasAxes: 'c' },
    input: [2, 3, 4], kernel: [4, 5], bias: [5], output: [null, 3, 5],
    reference: (x, k, b) => table([2, 3, 5], ([i, t, c]) => sumOver(4, (j) => x(i, t, j) * k(j, c)) + b(c)),
  },
  {
    title: "'...b,bc->...c' without a bias (only the batch under '...')", settings: { equation: '...b,bc->...c', outputShape: [5], biasAxes: null },
    input: [3, 4], kernel: [4, 5], bias: null, output: [null, 5],
    reference: (x, k) => table([3, 5], ([i, c]) => sumOver(4, (j) => x(i, j) * k(j, c))),
  },
  {
    title: "'ab...,bc->ac...', bias 'c' (a trailing '...': the bias [5, 1])", settings: { equation: 'ab...,bc->ac...', outputShape: 5, biasAxes: 'c' },
    input: [2, 4, 3], kernel: [4, 5], bias: [5, 1], output: [null, 5, 3],
    reference: (x, k, b) => table([2, 5, 3], ([i, c, t]) => sumOver(4, (j) => x(i, j, t) * k(j, c)) + b(c, 0)),
  },
  {
    title: "'abc,cd->abd', bias 'b' (one per step: the bias [3, 1]), the step fixed by outputShape", settings: { equation: 'abc,cd->abd', outputShape: [3, 5], biasAxes: 'b' },
    input: [2, 3, 4], kernel: [4, 5], bias: [3, 1], output: [null, 3, 5],
    reference: (x, k, b) => table([2, 3, 5], ([i, t, d]) => sumOver(4, (c) => x(i, t, c) * k(c, d)) + b(t, 0)),
  },
];

/** The case's output in float64 for flat input, kernel and bias values. */
const evaluate = (c: Case, x: readonly number[], kernel: readonly number[], bias: readonly number[] | null): number[] =>
  c.reference(reader(x, c.input), reader(kernel, c.kernel), bias ? reader(bias, c.bias!) : () => 0);

const unit = (n: number, j: number): number[] => Array.from({ length: n }, (_, i) => (i === j ? 1 : 0));

/**
 * The gradients of Σ w·output w.r.t. the input, the kernel and the bias in float64. The output is
 * linear in each with the others fixed, so its derivative along a unit value is the output for
 * that unit value (the bias, or input and kernel, zeroed): exact, no finite differences.
 */
function linearGradients(c: Case, x: number[], kernel: number[], bias: number[] | null, w: readonly number[]): number[][] {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  return [
    x.map((_, j) => dot(w, evaluate(c, unit(x.length, j), kernel, null))),
    kernel.map((_, j) => dot(w, evaluate(c, x, unit(kernel.length, j), null))),
    ...(bias ? [bias.map((_, j) => dot(w, evaluate(c, zeros(x.length), zeros(kernel.length), unit(bias.length, j))))] : []),
  ];
}

/** A built layer of the case with drawn weights, and the values drawn. */
function drawnLayer(c: Case, config: Partial<pc.KernelLayerConfig> = {}): { layer: pc.EinsumDense; kernel: number[]; bias: number[] | null } {
  const layer = new pc.EinsumDense({ ...c.settings, ...config });
  layer.ensureBuilt(c.input);
  const kernel = draws(sizeOf(c.kernel), 3, -1, 1);
  const bias = c.bias && draws(sizeOf(c.bias), 4, -0.5, 0.5);
  pc.tidy(() => {
    layer.kernel!.assign(pc.tensor(kernel, c.kernel));
    if (bias) layer.bias!.assign(pc.tensor(bias, c.bias!));
  });
  return { layer, kernel, bias };
}

const recordError = errorRecorder('EinsumDense');

for (const backend of MODEL_BACKENDS) {
  describe(`EinsumDense on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(20240611);
    });

    describe.each(CASES)('$title', (c) => {
      const xValues = draws(sizeOf(c.input), 1, -2, 2);

      it("makes Keras's kernel and bias, and its output shape has a null batch", () => {
        const layer = new pc.EinsumDense(c.settings.equation, c.settings.outputShape, { biasAxes: c.settings.biasAxes });
        const model = new pc.Sequential([pc.Input({ shape: c.input.slice(1) }), layer]);
        expect(model.outputShape).toEqual(c.output);
        expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([[`${layer.name}/kernel`, c.kernel], ...(c.bias ? [[`${layer.name}/bias`, c.bias]] : [])]);
        expect(layer.computeOutputShape([null, ...c.input.slice(1)])).toEqual(c.output);
        model.dispose();
      });

      it('computes the float64 loop', () => {
        const { layer, kernel, bias } = drawnLayer(c);
        const x = pc.tensor(xValues, c.input);
        const y = pc.tidy(() => layer.apply(x));
        const want = evaluate(c, xValues, kernel, bias);
        expect(y.shape).toEqual([c.input[0], ...c.output.slice(1)]);
        recordError('values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        pc.dispose([x, y]);
        layer.dispose();
      });

      it('has the float64 gradients of Σ w·output w.r.t. the input, kernel and bias', () => {
        const { layer, kernel, bias } = drawnLayer(c);
        const x = pc.tensor(xValues, c.input);
        const w = draws(sizeOf(c.output.map((d) => d ?? c.input[0]!)), 5, -1, 1);
        const got = tapeGradients(layer, x, w, [layer.kernel!, ...(layer.bias ? [layer.bias] : [])]);
        const want = linearGradients(c, xValues, kernel, bias, w);
        ['input', 'kernel', 'bias'].slice(0, want.length).forEach((name, k) => {
          recordError(`gradient w.r.t. ${name}`, got[k]!, want[k]!);
          expectClose(got[k]!, want[k]!, 1e-5, 1e-6);
        });
        pc.dispose(x);
        layer.dispose();
      });
    });

    it('shapes follow the input where outputShape says null, unknown dimensions included', () => {
      const sequence = new pc.EinsumDense('abc,cd->abd', [null, 5]);
      expect(sequence.computeOutputShape([null, null, 4])).toEqual([null, null, 5]);
      const dotted = new pc.EinsumDense('...b,bc->...c', 5);
      expect(dotted.computeOutputShape([null, null, 7, 4])).toEqual([null, null, 7, 5]);
      const trailing = new pc.EinsumDense('ab...,bc->ac...', [5]);
      expect(trailing.computeOutputShape([null, 4, null, 2])).toEqual([null, 5, null, 2]);
    });

    it('one SGD step on mean((relu(output) − target)²) moves the kernel and bias by their float64 gradients', () => {
      const c = CASES[2]!;
      const { layer, kernel, bias } = drawnLayer(c, { activation: 'relu' });
      const xValues = draws(sizeOf(c.input), 6, -2, 2);
      const z = evaluate(c, xValues, kernel, bias);
      const target = draws(z.length, 7, -1, 1);
      // d loss / d z: 2(relu(z) − target)/n where z > 0.
      const dz = z.map((v, i) => (v > 0 ? (2 * (v - target[i]!)) / z.length : 0));
      const [, gradKernel, gradBias] = linearGradients(c, xValues, kernel, bias, dz);
      const [x, t] = [pc.tensor(xValues, c.input), pc.tensor(target, [c.input[0]!, ...c.output.slice(1) as number[]])];
      const optimizer = new pc.SGD({ learningRate: 0.5 });
      const weights = [layer.kernel!, layer.bias!];
      pc.tidy(() => {
        const tape = new pc.GradientTape();
        const loss = tape.record(() => pc.mean(pc.square(pc.sub(layer.apply(x, { training: true }), t))));
        optimizer.applyGradients(tape.gradient(loss, weights), weights);
      });
      const [kernelWant, biasWant] = [kernel.map((v, i) => v - 0.5 * gradKernel![i]!), bias!.map((v, i) => v - 0.5 * gradBias![i]!)];
      recordError('kernel after an SGD step', layer.kernel!.dataSync(), kernelWant);
      recordError('bias after an SGD step', layer.bias!.dataSync(), biasWant);
      expectClose(layer.kernel!.dataSync(), kernelWant, 1e-5, 1e-6);
      expectClose(layer.bias!.dataSync(), biasWant, 1e-5, 1e-6);
      optimizer.dispose();
      pc.dispose([x, t]);
      layer.dispose();
    });

    it('a model of projections saves and loads with its weights and configs', async () => {
      const query = new pc.EinsumDense({ equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'relu', kernelRegularizer: 'l2', name: 'query' });
      const back = new pc.EinsumDense('abcd,cde->abe', [null, 4], { biasAxes: 'e', kernelInitializer: 'heNormal', name: 'back' });
      const head = new pc.EinsumDense('...b,bc->...c', 2);
      const model = new pc.Sequential([pc.Input({ shape: [3, 4] }), query, back, head]);
      expect(model.outputShape).toEqual([null, 3, 2]);
      expect(query.getConfig()).toMatchObject({ equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'relu', kernelRegularizer: { className: 'L2' } });
      expect(head.getConfig()).toMatchObject({ equation: '...b,bc->...c', outputShape: 2, biasAxes: null });
      expect(head.getConfig()).not.toHaveProperty('useBias');
      expect(head.weights.map((w) => w.name)).toEqual([`${head.name}/kernel`]);
      const x = pc.tensor(draws(24, 8, -1, 1), [2, 3, 4]);
      await expectSaveLoadRoundTrip(model, x, [query, back, head]);
      pc.dispose(x);
      model.dispose();
    });

    it('reads a Keras 3 description (snake_case settings, lora_rank null) with its weights through loadLayersModel', async () => {
      const c = CASES[2]!;
      const [kernel, bias] = [draws(sizeOf(c.kernel), 9, -1, 1), draws(sizeOf(c.bias!), 10, -0.5, 0.5)];
      const model = await pc.loadLayersModel(kerasFiles(c, kernel, bias, null));
      const layer = model.layers.find((l) => l instanceof pc.EinsumDense)!;
      expect(layer.getConfig()).toMatchObject({ name: 'einsum_dense', equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'linear' });
      const xValues = draws(sizeOf(c.input), 11, -2, 2);
      const x = pc.tensor(xValues, c.input);
      const y = model.predict(x) as pc.Tensor;
      const want = evaluate(c, xValues, kernel, bias);
      recordError('values of the Keras 3 model', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      pc.dispose([x, y]);
      model.dispose();
    });
  });
}

/** A converter's files for a Keras 3 functional model of the case's EinsumDense: model.json and the float32 weights. */
function kerasFiles(c: Case, kernel: number[], bias: number[], loraRank: number | null): pc.FileStore {
  return keras3Files({
    inputs: [{ name: 'tokens', shape: c.input.slice(1) }],
    layers: [{
      className: 'EinsumDense', name: 'einsum_dense',
      config: {
        output_shape: c.settings.outputShape, equation: c.settings.equation, activation: 'linear', bias_axes: c.settings.biasAxes,
        kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
        kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, lora_rank: loraRank,
      },
    }],
    weights: [{ name: 'einsum_dense/kernel:0', shape: c.kernel, values: kernel }, { name: 'einsum_dense/bias:0', shape: c.bias!, values: bias }],
  });
}

describe('EinsumDense settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['a malformed equation', { equation: 'ab,bc-ac', outputShape: 5 }, "EinsumDense: malformed equation 'ab,bc-ac': expected 'X,Y->Z', '...X,Y->...Z' or 'X...,Y->Z...' with X, Y, Z letters"],
    ["'...' on one side only", { equation: '...ab,bc->ac', outputShape: 5 }, "EinsumDense: malformed equation '...ab,bc->ac'"],
    ['three operands', { equation: 'ab,bc,cd->ad', outputShape: 5 }, "EinsumDense: expected an equation of two operands, the input's subscripts and the kernel's ('ab,bc->ac'), got 3 in 'ab,bc,cd->ad'"],
    ['a repeated letter', { equation: 'abb,bc->ac', outputShape: 5 }, "EinsumDense: the input subscripts 'abb' of 'abb,bc->ac' repeat a letter"],
    ['an output letter of neither operand', { equation: 'ab,bc->ad', outputShape: 5 }, "EinsumDense: output letter 'd' of 'ab,bc->ad' is neither an input letter nor a kernel letter"],
    ['a kernel letter of unknown size', { equation: 'ab,bcd->ac', outputShape: 5 }, "EinsumDense: kernel letter 'd' of 'ab,bcd->ac' is neither an input letter nor an output letter"],
    ['the batch in the kernel', { equation: 'ab,ab->a', outputShape: [] }, "EinsumDense: without a leading '...', the input's first letter is the batch: expected it first in the output and not in the kernel, got 'ab,ab->a'"],
    ['an outputShape of the wrong length', { equation: 'abc,cd->abd', outputShape: 5 }, "EinsumDense: expected outputShape to give 2 dimensions, one per output letter 'bd' of 'abc,cd->abd' (the batch and '...' excluded), got 5"],
    ["null for a kernel's output dimension", { equation: 'ab,bc->ac', outputShape: [null] }, "EinsumDense: expected outputShape[0] (letter 'c') to be a positive integer, got null"],
    ['a bias letter not in the output', { equation: 'ab,bc->ac', outputShape: 5, biasAxes: 'b' }, "EinsumDense: expected biasAxes to be letters of the output 'c' of 'ab,bc->ac' (the batch excluded), each once, got \"b\""],
    ['a bias on the batch', { equation: 'abc,cd->abd', outputShape: [null, 5], biasAxes: 'ad' }, "EinsumDense: expected biasAxes to be letters of the output 'bd'"],
    ['useBias, which Keras has not', { equation: 'ab,bc->ac', outputShape: 5, useBias: true }, "EinsumDense: unknown option 'useBias'; biasAxes sets the bias (null: none)"],
    ['an unknown option (a LoRA rank)', { equation: 'ab,bc->ac', outputShape: 5, loraRank: 4 }, "EinsumDense: unknown option 'loraRank'"],
  ])('refuses %s, naming it', (_, config, message) => {
    expect(() => new pc.EinsumDense(config as unknown as ConstructorParameters<typeof pc.EinsumDense>[0])).toThrow(message);
  });

  it('refuses inputs that do not fit the equation, the outputShape or the built weights', () => {
    const layer = new pc.EinsumDense('abc,cd->abd', [3, 5], { name: 'steps' });
    const apply = (shape: number[]) => () => pc.tidy(() => layer.apply(pc.zeros(shape)));
    expect(apply([2, 4])).toThrow("EinsumDense 'steps': expected inputs of rank 3 for 'abc,cd->abd', got shape (2, 4)");
    expect(apply([2, 6, 4])).toThrow("EinsumDense 'steps': outputShape gives 3 for letter 'b' of 'abc,cd->abd', but inputs of shape (2, 6, 4) have 6");
    apply([2, 3, 4])();
    expect(apply([2, 3, 7])).toThrow("EinsumDense 'steps': expected inputs of rank 3 whose dimensions fit its kernel [4,5] (built for shape [2,3,4]), got shape [2,3,7]");
    expect(() => new pc.EinsumDense('...b,bc->...c', 5).computeOutputShape([4])).toThrow("expected inputs of rank at least 2 for '...b,bc->...c', got shape (4,)");
    layer.dispose();
  });

  it('refuses a Keras 3 description with a LoRA rank, naming the option', async () => {
    const c = CASES[2]!;
    await expect(pc.loadLayersModel(kerasFiles(c, draws(sizeOf(c.kernel), 1, -1, 1), draws(sizeOf(c.bias!), 2, -1, 1), 4))).rejects.toThrow("EinsumDense: unknown option 'loraRank'");
  });
});
