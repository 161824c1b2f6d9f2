// ConvLSTM1D/2D/3D against a float64 convolutional LSTM written here with plain loops (a direct
// convolution per gate, Keras 3's equations: the input's convolution with the layer's strides,
// padding and dilation, the state's with 'same' padding and strides 1): values, returned states,
// gradients by central finite differences, saving and loading, a Keras 3 description.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, tapeGradients } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';
import { keras3Files } from './keras3-files.js';

const recordError = errorRecorder('ConvLSTM');
const valuesOf = (t: pc.Tensor): number[] => Array.from(t.dataSync());
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

interface Geometry {
  kernel: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  dilation: [number, number];
}

/** Along one axis: the output size and the zeros before, as TensorFlow pads ('same': ceil(n / s), the odd one after). */
function axisPlan(n: number, k: number, s: number, d: number, padding: 'valid' | 'same'): { out: number; before: number } {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((n - span) / s) + 1, before: 0 };
  const out = Math.ceil(n / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + span - n, 0) / 2) };
}

/** A direct 2-D convolution of one image [H, W, C] (flat) with a kernel [kh, kw, C, O] (flat): [Ho, Wo, O] and its size. */
function convolve(image: readonly number[], [h, w, c]: readonly number[], kernel: readonly number[], outChannels: number, g: Geometry): { values: number[]; size: [number, number] } {
  const rows = axisPlan(h, g.kernel[0], g.strides[0], g.dilation[0], g.padding);
  const cols = axisPlan(w, g.kernel[1], g.strides[1], g.dilation[1], g.padding);
  const values = new Array<number>(rows.out * cols.out * outChannels).fill(0);
  for (let i = 0; i < rows.out; i++) for (let j = 0; j < cols.out; j++) for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    for (let a = 0; a < g.kernel[0]; a++) for (let b = 0; b < g.kernel[1]; b++) {
      const [r, q] = [i * g.strides[0] + a * g.dilation[0] - rows.before, j * g.strides[1] + b * g.dilation[1] - cols.before];
      if (r < 0 || r >= h || q < 0 || q >= w) continue;
      for (let ch = 0; ch < c; ch++) sum += image[(r * w + q) * c + ch]! * kernel[((a * g.kernel[1] + b) * c + ch) * outChannels + o]!;
    }
    values[(i * cols.out + j) * outChannels + o] = sum;
  }
  return { values, size: [rows.out, cols.out] };
}

interface Weights {
  kernel: readonly number[];
  recurrent: readonly number[];
  bias: readonly number[];
}

/** The ConvLSTM2D over x [B, T, H, W, C] in float64, from zeros: every step's h, and the final h and c, each flat. */
function convLSTMReference(x: readonly number[], [batch, timesteps, h, w, c]: readonly number[], filters: number, g: Geometry, weights: Weights, goBackwards = false): { sequence: number[]; h: number[]; c: number[] } {
  const sequence: number[][] = [];
  const finalH: number[] = [];
  const finalC: number[] = [];
  const stepSize = h * w * c;
  for (let b = 0; b < batch; b++) {
    let state: number[] | null = null;
    let carry: number[] | null = null;
    const steps: number[][] = [];
    for (let k = 0; k < timesteps; k++) {
      const t = goBackwards ? timesteps - 1 - k : k;
      const image = x.slice((b * timesteps + t) * stepSize, (b * timesteps + t + 1) * stepSize);
      const { values: xz, size } = convolve(image, [h, w, c], weights.kernel, 4 * filters, g);
      const cells = size[0] * size[1];
      state ??= new Array<number>(cells * filters).fill(0);
      carry ??= new Array<number>(cells * filters).fill(0);
      const { values: hz } = convolve(state, [size[0], size[1], filters], weights.recurrent, 4 * filters, { kernel: g.kernel, strides: [1, 1], padding: 'same', dilation: [1, 1] });
      const z = (p: number, gate: number, f: number) => xz[p * 4 * filters + gate * filters + f]! + hz[p * 4 * filters + gate * filters + f]! + weights.bias[gate * filters + f]!;
      const nextC: number[] = carry.map((old, n) => {
        const [p, f] = [Math.floor(n / filters), n % filters];
        return sigmoid(z(p, 1, f)) * old + sigmoid(z(p, 0, f)) * Math.tanh(z(p, 2, f));
      });
      const nextH = nextC.map((cv, n) => sigmoid(z(Math.floor(n / filters), 3, n % filters)) * Math.tanh(cv));
      state = nextH;
      carry = nextC;
      steps.push(nextH);
    }
    sequence.push(steps.flat());
    finalH.push(...state!);
    finalC.push(...carry!);
  }
  return { sequence: sequence.flat(), h: finalH, c: finalC };
}

const GEOMETRIES: { name: string; shape: number[]; filters: number; g: Geometry; goBackwards: boolean }[] = [
  { name: "3×3 'same'", shape: [2, 3, 4, 5, 2], filters: 3, g: { kernel: [3, 3], strides: [1, 1], padding: 'same', dilation: [1, 1] }, goBackwards: false },
  { name: "2×3 'valid', strides 2×1, backwards", shape: [1, 3, 5, 4, 3], filters: 2, g: { kernel: [2, 3], strides: [2, 1], padding: 'valid', dilation: [1, 1] }, goBackwards: true },
  { name: "2×2 'same', strides 2 (an odd size)", shape: [2, 2, 5, 3, 1], filters: 2, g: { kernel: [2, 2], strides: [2, 2], padding: 'same', dilation: [1, 1] }, goBackwards: false },
  { name: "2×2 'valid', dilation 2×1", shape: [1, 3, 5, 4, 2], filters: 2, g: { kernel: [2, 2], strides: [1, 1], padding: 'valid', dilation: [2, 1] }, goBackwards: false },
];

/** A ConvLSTM2D for the geometry, built for `shape`, its weights drawn. */
function builtLayer(shape: readonly number[], filters: number, g: Geometry, config: Partial<pc.ConvLSTMConfig<boolean>> = {}): { layer: pc.ConvLSTM2D<boolean>; weights: Weights } {
  const layer = new pc.ConvLSTM2D(filters, g.kernel, { strides: g.strides, padding: g.padding, dilationRate: g.dilation, ...config });
  layer.ensureBuilt([...shape]);
  const [kernel, recurrent, bias] = layer.weights;
  const weights = { kernel: draws(kernel!.size, 3, -0.6, 0.6), recurrent: draws(recurrent!.size, 4, -0.6, 0.6), bias: draws(bias!.size, 5, -0.5, 0.5) };
  pc.tidy(() => [weights.kernel, weights.recurrent, weights.bias].forEach((v, i) => layer.weights[i]!.assign(pc.tensor(v, layer.weights[i]!.shape))));
  return { layer, weights };
}

for (const backend of MODEL_BACKENDS) {
  describe(`ConvLSTM on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(GEOMETRIES)('ConvLSTM2D, $name', ({ shape, filters, g, goBackwards }) => {
      it('returns the float64 sequence and final states', () => pc.tidy(() => {
        const { layer, weights } = builtLayer(shape, filters, g, { returnSequences: true, returnState: true, goBackwards });
        const xValues = draws(shape.reduce((a, b) => a * b, 1), 6, -1, 1);
        const want = convLSTMReference(xValues, shape, filters, g, weights, goBackwards);
        const [sequence, h, c] = layer.apply(pc.tensor(xValues, shape)) as pc.Tensor[];
        expect(sequence!.shape).toEqual((layer.computeOutputShape([null, ...shape.slice(1)]) as (number | null)[][])[0]!.map((d, i) => d ?? shape[i]));
        for (const [got, values] of [[sequence!, want.sequence], [h!, want.h], [c!, want.c]] as const) {
          recordError('values', valuesOf(got), values);
          valuesOf(got).forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 5));
        }
      }));
    });

    it('gradients through time match central finite differences (input, kernel, recurrent kernel, bias)', () => pc.tidy(() => {
      const shape = [1, 3, 3, 3, 2];
      const g: Geometry = { kernel: [2, 2], strides: [1, 1], padding: 'same', dilation: [1, 1] };
      const { layer, weights } = builtLayer(shape, 2, g);
      const xValues = draws(shape.reduce((a, b) => a * b, 1), 7, -1, 1);
      const x = pc.tensor(xValues, shape);
      const outWeights = draws(3 * 3 * 2, 8, -1, 1);
      const [dx, dk, dr, db] = tapeGradients(layer, x, outWeights, layer.weights);
      const final = (moved: Partial<Weights>, input = xValues) => convLSTMReference(input, shape, 2, g, { ...weights, ...moved }).h;
      const checks: [number[], number[]][] = [
        [dx!, finiteDifferences(xValues, outWeights, (moved) => final({}, moved))],
        [dk!, finiteDifferences(weights.kernel, outWeights, (moved) => final({ kernel: moved }))],
        [dr!, finiteDifferences(weights.recurrent, outWeights, (moved) => final({ recurrent: moved }))],
        [db!, finiteDifferences(weights.bias, outWeights, (moved) => final({ bias: moved }))],
      ];
      for (const [got, want] of checks) {
        recordError('gradients', got, want);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      }
    }));

    it('ConvLSTM1D is ConvLSTM2D over rows of one pixel, and ConvLSTM3D over volumes one deep', () => pc.tidy(() => {
      const g: Geometry = { kernel: [1, 3], strides: [1, 2], padding: 'same', dilation: [1, 1] };
      const shape2d = [2, 3, 1, 5, 2];
      const { layer, weights } = builtLayer(shape2d, 2, g, { returnSequences: true });
      const xValues = draws(60, 9, -1, 1);
      const want = valuesOf(layer.apply(pc.tensor(xValues, shape2d)) as pc.Tensor);
      const reference = convLSTMReference(xValues, shape2d, 2, g, weights).sequence;
      want.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 5));
      const one = new pc.ConvLSTM1D(2, 3, { strides: 2, padding: 'same', returnSequences: true });
      const three = new pc.ConvLSTM3D(2, [1, 1, 3], { strides: [1, 1, 2], padding: 'same', returnSequences: true });
      one.ensureBuilt([2, 3, 5, 2]);
      three.ensureBuilt([2, 3, 1, 1, 5, 2]);
      for (const other of [one, three]) {
        pc.tidy(() => other.weights.forEach((w, i) => w.assign(pc.tensor(layer.weights[i]!.dataSync(), w.shape))));
        const got = other.apply(pc.tensor(xValues, other === one ? [2, 3, 5, 2] : [2, 3, 1, 1, 5, 2])) as pc.Tensor;
        expect(valuesOf(got)).toEqual(want);
      }
    }));

    it('a model with ConvLSTM2D trains, leaks nothing, saves and loads', async () => {
      const input = pc.Input({ shape: [3, 4, 4, 1] });
      const convLSTM = new pc.ConvLSTM2D(2, 3, { padding: 'same', name: 'conv_lstm' });
      const model = new pc.Model({ inputs: input, outputs: new pc.Dense(1).apply(new pc.Flatten().apply(convLSTM.apply(input))) });
      const x = pc.tensor(draws(4 * 3 * 16, 10, -1, 1), [4, 3, 4, 4, 1]);
      const y = pc.tensor(draws(4, 11, -1, 1), [4, 1]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
      const history = await model.fit(x, y, { epochs: 10, batchSize: 4, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [convLSTM]);
      expect(convLSTM.getConfig()).toMatchObject({ filters: 2, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], unitForgetBias: true, returnSequences: false, stateful: false });
      pc.dispose([x, y]);
      model.dispose();
    });

    it('reads a Keras 3 description of ConvLSTM2D with its weights', async () => {
      const shape = [2, 3, 4, 4, 2];
      const g: Geometry = { kernel: [3, 3], strides: [1, 1], padding: 'same', dilation: [1, 1] };
      const { weights } = builtLayer(shape, 2, g);
      const initializer = (className: string) => ({ module: 'keras.initializers', class_name: className, config: { seed: null }, registered_name: null });
      const model = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'frames', shape: shape.slice(1) }],
        layers: [{
          className: 'ConvLSTM2D', name: 'conv_lstm2d',
          config: {
            filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'tanh', recurrent_activation: 'sigmoid',
            use_bias: true, kernel_initializer: initializer('GlorotUniform'), recurrent_initializer: initializer('Orthogonal'), bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
            unit_forget_bias: true, kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null,
            bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0, seed: null, return_sequences: true, return_state: false, go_backwards: false, stateful: false,
          },
        }],
        weights: [
          { name: 'conv_lstm2d/conv_lstm_cell/kernel', shape: [3, 3, 2, 8], values: weights.kernel },
          { name: 'conv_lstm2d/conv_lstm_cell/recurrent_kernel', shape: [3, 3, 2, 8], values: weights.recurrent },
          { name: 'conv_lstm2d/conv_lstm_cell/bias', shape: [8], values: weights.bias },
        ],
      }));
      const xValues = draws(2 * 3 * 16 * 2, 12, -1, 1);
      const got = valuesOf(model.predict(pc.tensor(xValues, shape)) as pc.Tensor);
      const want = convLSTMReference(xValues, shape, 2, g, weights).sequence;
      recordError('Keras 3 values', got, want);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      model.dispose();
    });

    it('refuses bad settings and inputs, naming the layer', () => {
      expect(() => new pc.ConvLSTM2D(0, 3)).toThrow('ConvLSTM2D: filters must be a positive integer, got 0');
      expect(() => new pc.ConvLSTM2D(2, [3, 3, 3])).toThrow('ConvLSTM2D: kernelSize must be a positive integer or two of them [height, width], got [3,3,3]');
      expect(() => new pc.ConvLSTM2D(2, 3, { strides: 2, dilationRate: 2 })).toThrow('ConvLSTM2D: dilationRate > 1 needs strides 1');
      expect(() => new pc.ConvLSTM2D(2, 3, { dropout: 1.5 })).toThrow('ConvLSTM2D: dropout must be in [0, 1], got 1.5');
      expect(() => pc.tidy(() => new pc.ConvLSTM2D(2, 3, { name: 'c' }).apply(pc.ones([1, 2, 4, 4])))).toThrow('ConvLSTM2D: expected inputs of rank 5 ([batch, timesteps, height, width, channels]), got a step of shape [1,4,4]');
      expect(() => pc.tidy(() => new pc.ConvLSTM2D(2, 3, { name: 'c2' }).apply([pc.ones([1, 2, 4, 4, 1]), pc.ones([1, 4, 4, 2]), pc.ones([1, 2, 2, 2])]))).toThrow("ConvLSTM2D 'c2': expected initial state state 0 of shape [1,2,2,2], got [1,4,4,2]");
    });
  });
}
