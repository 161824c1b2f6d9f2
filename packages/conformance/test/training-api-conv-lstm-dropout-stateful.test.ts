// ConvLSTM's dropout and recurrentDropout, as Keras 3's ConvLSTMCell: while training, four masks
// of the step's input and four of the state h, one per gate (i, f, c, o), drawn once per call and
// kept for every step; each gate's convolution reads its own masked copy. Outside training
// nothing is dropped. A seeded layer's masks are replayed from its seed, so the float64
// convolutional LSTM written here (ConvLSTM1D, plain loops) runs with the very masks the layer
// drew: values and finite-difference gradients. ConvLSTM2D and 3D over rows of one pixel draw and
// compute the same. Also stateful ConvLSTM: calls chained as the float64 recurrence over the
// whole sequence, resetStates, and a model that trains with both and leaks nothing.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';

const recordError = errorRecorder('ConvLSTM dropout / stateful');
const valuesOf = (t: pc.Tensor): number[] => Array.from(t.dataSync());
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

interface Geometry {
  kernel: number;
  strides: number;
  padding: 'valid' | 'same';
}

interface Weights {
  /** [kernel, channels, 4·filters] */
  kernel: readonly number[];
  /** [kernel, filters, 4·filters] */
  recurrent: readonly number[];
  /** [4·filters] */
  bias: readonly number[];
}

/** Per gate i, f, c, o: a scaled 0/1 mask of the step's input [batch, width, channels] and of h [batch, outWidth, filters], or null for none. */
interface GateMasks {
  input: readonly (readonly number[])[] | null;
  state: readonly (readonly number[])[] | null;
}

const NO_MASKS: GateMasks = { input: null, state: null };

/** Along the width: the output size and the zeros before it, as TensorFlow pads ('same': ceil(n / s)). */
function widthPlan(n: number, g: Geometry): { out: number; before: number } {
  if (g.padding === 'valid') return { out: Math.floor((n - g.kernel) / g.strides) + 1, before: 0 };
  const out = Math.ceil(n / g.strides);
  return { out, before: Math.floor(Math.max((out - 1) * g.strides + g.kernel - n, 0) / 2) };
}

/** Gate `gate`'s filters of a 1-D convolution of one row [width, channels] by a kernel [k, channels, 4·filters]: [out, filters]. */
function convolveGate(row: readonly number[], channels: number, kernel: readonly number[], filters: number, gate: number, g: Geometry): number[] {
  const width = row.length / channels;
  const { out, before } = widthPlan(width, g);
  const values: number[] = [];
  for (let p = 0; p < out; p++) for (let f = 0; f < filters; f++) {
    let sum = 0;
    for (let a = 0; a < g.kernel; a++) {
      const q = p * g.strides + a - before;
      if (q < 0 || q >= width) continue;
      for (let ch = 0; ch < channels; ch++) sum += row[q * channels + ch]! * kernel[(a * channels + ch) * 4 * filters + gate * filters + f]!;
    }
    values.push(sum);
  }
  return values;
}

/**
 * ConvLSTM1D over x [batch, timesteps, width, channels] in float64, from zeros or `initial`
 * ([h, c], each [batch, outWidth, filters]), each gate's convolutions reading its masked input
 * and h: every step's h, and the final h and c, each flat.
 */
function convLSTM1DReference(x: readonly number[], [batch, timesteps, width, channels]: readonly number[], filters: number, g: Geometry, w: Weights, initial: readonly (readonly number[])[] = [], masks: GateMasks = NO_MASKS): { sequence: number[]; h: number[]; c: number[] } {
  const out = widthPlan(width, g).out;
  const stateSize = out * filters;
  const sequence: number[] = [];
  const finalH: number[] = [];
  const finalC: number[] = [];
  const recurrentGeometry: Geometry = { kernel: g.kernel, strides: 1, padding: 'same' };
  for (let b = 0; b < batch; b++) {
    let h = initial[0]?.slice(b * stateSize, (b + 1) * stateSize) ?? new Array<number>(stateSize).fill(0);
    let c = initial[1]?.slice(b * stateSize, (b + 1) * stateSize) ?? new Array<number>(stateSize).fill(0);
    for (let t = 0; t < timesteps; t++) {
      const row = x.slice((b * timesteps + t) * width * channels, (b * timesteps + t + 1) * width * channels);
      const z = [0, 1, 2, 3].map((gate) => {
        const inputMask = masks.input?.[gate]?.slice(b * width * channels, (b + 1) * width * channels);
        const stateMask = masks.state?.[gate]?.slice(b * stateSize, (b + 1) * stateSize);
        const xz = convolveGate(row.map((v, i) => v * (inputMask?.[i] ?? 1)), channels, w.kernel, filters, gate, g);
        const hz = convolveGate(h.map((v, i) => v * (stateMask?.[i] ?? 1)), filters, w.recurrent, filters, gate, recurrentGeometry);
        return xz.map((v, n) => v + hz[n]! + w.bias[gate * filters + (n % filters)]!);
      });
      c = c.map((old, n) => sigmoid(z[1]![n]!) * old + sigmoid(z[0]![n]!) * Math.tanh(z[2]![n]!));
      h = c.map((cv, n) => sigmoid(z[3]![n]!) * Math.tanh(cv));
      sequence.push(...h);
    }
    finalH.push(...h);
    finalC.push(...c);
  }
  return { sequence, h: finalH, c: finalC };
}

const SEED = 5;
const RATES = { dropout: 0.3, recurrentDropout: 0.4 };

/** The masks a layer seeded with SEED draws in its first training call: four of the input, then four of h. */
function replayedMasks([batch, , width, channels]: readonly number[], outWidth: number, filters: number): GateMasks {
  const generator = new pc.RandomGenerator(SEED);
  const draw = (count: number, rate: number) => Array.from({ length: count }, () => (generator.nextFloat() >= rate ? 1 / (1 - rate) : 0));
  const input = [0, 1, 2, 3].map(() => draw(batch * width * channels, RATES.dropout));
  const state = [0, 1, 2, 3].map(() => draw(batch * outWidth * filters, RATES.recurrentDropout));
  return { input, state };
}

/** A ConvLSTM1D for the geometry, built for `shape`, its weights drawn. */
function builtLayer(shape: readonly number[], filters: number, g: Geometry, config: Partial<pc.ConvLSTMConfig<boolean>> = {}): { layer: pc.ConvLSTM1D<boolean>; weights: Weights } {
  const layer = new pc.ConvLSTM1D(filters, g.kernel, { strides: g.strides, padding: g.padding, returnSequences: true, ...config });
  layer.ensureBuilt([...shape]);
  const weights = { kernel: draws(layer.weights[0]!.size, 3, -0.6, 0.6), recurrent: draws(layer.weights[1]!.size, 4, -0.6, 0.6), bias: draws(layer.weights[2]!.size, 5, -0.5, 0.5) };
  pc.tidy(() => [weights.kernel, weights.recurrent, weights.bias].forEach((v, i) => layer.weights[i]!.assign(pc.tensor(v, layer.weights[i]!.shape))));
  return { layer, weights };
}

/** Timesteps [from, to) of a [batch, timesteps, ...] sequence (flat), `step` values per timestep. */
function stepsOf(x: readonly number[], batch: number, timesteps: number, step: number, from: number, to: number): number[] {
  return Array.from({ length: batch }, (_, b) => x.slice((b * timesteps + from) * step, (b * timesteps + to) * step)).flat();
}

const GEOMETRIES: { name: string; shape: number[]; filters: number; g: Geometry }[] = [
  { name: "kernel 3 'same'", shape: [2, 4, 5, 2], filters: 2, g: { kernel: 3, strides: 1, padding: 'same' } },
  { name: "kernel 2 'valid', strides 2 (h narrower than the input)", shape: [2, 3, 7, 3], filters: 3, g: { kernel: 2, strides: 2, padding: 'valid' } },
];

for (const backend of MODEL_BACKENDS) {
  describe(`ConvLSTM dropout and stateful on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(GEOMETRIES)('ConvLSTM1D, $name', ({ shape, filters, g }) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const xValues = draws(size, 6, -1, 1);
      const outWidth = widthPlan(shape[2]!, g).out;

      it('while training, gives the float64 recurrence run with the per-gate masks its seed draws, one set for all steps', () => {
        const { layer, weights } = builtLayer(shape, filters, g, { ...RATES, seed: SEED });
        const masks = replayedMasks(shape, outWidth, filters);
        for (const list of [...masks.input!, ...masks.state!]) expect(list.filter((m) => m === 0).length, 'each mask drops something').toBeGreaterThan(0);
        const got = pc.tidy(() => valuesOf(layer.apply(pc.tensor(xValues, shape), { training: true }) as pc.Tensor));
        const want = convLSTM1DReference(xValues, shape, filters, g, weights, [], masks).sequence;
        recordError('values while training', got, want);
        expectClose(got, want, 1e-5, 1e-6);
        // A second training call draws new masks.
        const again = pc.tidy(() => valuesOf(layer.apply(pc.tensor(xValues, shape), { training: true }) as pc.Tensor));
        expect(again).not.toEqual(got);
        layer.dispose();
      });

      it('outside training drops nothing', () => {
        const { layer, weights } = builtLayer(shape, filters, g, { ...RATES, seed: SEED });
        const got = pc.tidy(() => valuesOf(layer.apply(pc.tensor(xValues, shape)) as pc.Tensor));
        const want = convLSTM1DReference(xValues, shape, filters, g, weights).sequence;
        recordError('values outside training', got, want);
        expectClose(got, want, 1e-5, 1e-6);
        layer.dispose();
      });

      it('the gradient through a training call matches finite differences of the masked recurrence (input, kernel, recurrent kernel)', () => {
        const { layer, weights } = builtLayer(shape, filters, g, { ...RATES, seed: SEED });
        const masks = replayedMasks(shape, outWidth, filters);
        const x = pc.tensor(xValues, shape);
        const w = draws(shape[0]! * shape[1]! * outWidth * filters, 7, -1, 1);
        const [dx, dKernel, dRecurrent] = pc.tidy(() => {
          const tape = new pc.GradientTape();
          tape.watch(x);
          const loss = tape.record(() => pc.sum(pc.mul(pc.reshape(layer.apply(x, { training: true }) as pc.Tensor, [-1]), pc.tensor(w))));
          return tape.gradient(loss, [x, layer.weights[0]!, layer.weights[1]!]).map((t) => valuesOf(t!));
        });
        const output = (moved: Partial<Weights>, input = xValues) => convLSTM1DReference(input, shape, filters, g, { ...weights, ...moved }, [], masks).sequence;
        const checks: [string, number[], number[]][] = [
          ['input', dx!, finiteDifferences(xValues, w, (moved) => output({}, moved))],
          ['kernel', dKernel!, finiteDifferences(weights.kernel, w, (kernel) => output({ kernel }))],
          ['recurrent kernel', dRecurrent!, finiteDifferences(weights.recurrent, w, (recurrent) => output({ recurrent }))],
        ];
        for (const [name, got, want] of checks) {
          recordError(`gradient w.r.t. ${name} while training`, got, want);
          expectClose(got, want, 1e-4, 2e-5);
        }
        x.dispose();
        layer.dispose();
      });

      it('stateful: calls on parts of the sequence chain as the float64 recurrence over the whole; resetStates starts from zeros or given values', () => {
        const { layer, weights } = builtLayer([shape[0]!, 1, ...shape.slice(2)], filters, g, { stateful: true });
        const [batch, timesteps] = shape as [number, number];
        const step = shape[2]! * shape[3]!;
        const call = (from: number, to: number) => pc.tidy(() => valuesOf(layer.apply(pc.tensor(stepsOf(xValues, batch, timesteps, step, from, to), [batch, to - from, ...shape.slice(2)])) as pc.Tensor));
        const parts = [call(0, 1), call(1, timesteps)];
        const whole = convLSTM1DReference(xValues, shape, filters, g, weights);
        const state = outWidth * filters;
        const joined = Array.from({ length: batch }, (_, b) => [...parts[0]!.slice(b * state, (b + 1) * state), ...parts[1]!.slice(b * (timesteps - 1) * state, (b + 1) * (timesteps - 1) * state)]).flat();
        recordError('stateful calls against the whole sequence', joined, whole.sequence);
        expectClose(joined, whole.sequence, 1e-5, 1e-6);
        expectClose(layer.states!.flatMap(valuesOf), [...whole.h, ...whole.c], 1e-5, 1e-6);
        const given = [8, 9].map((s) => draws(batch * outWidth * filters, s, -0.8, 0.8));
        const tensors = given.map((v) => pc.tensor(v, [batch, outWidth, filters]));
        layer.resetStates(tensors);
        pc.dispose(tensors);
        const first = stepsOf(xValues, batch, timesteps, step, 0, 2);
        expectClose(call(0, 2), convLSTM1DReference(first, [batch, 2, ...shape.slice(2)], filters, g, weights, given).sequence, 1e-5, 1e-6);
        layer.resetStates();
        expectClose(call(0, 2), convLSTM1DReference(first, [batch, 2, ...shape.slice(2)], filters, g, weights).sequence, 1e-5, 1e-6);
        layer.dispose();
      });
    });

    it('ConvLSTM2D and ConvLSTM3D over rows of one pixel draw the same masks and compute what ConvLSTM1D does, training and stateful', () => {
      const g: Geometry = { kernel: 3, strides: 1, padding: 'same' };
      const shape = [2, 3, 5, 2];
      const config = { ...RATES, seed: SEED, stateful: true };
      const { layer: one, weights } = builtLayer(shape, 2, g, config);
      const two = new pc.ConvLSTM2D(2, [1, 3], { padding: 'same', returnSequences: true, ...config });
      const three = new pc.ConvLSTM3D(2, [1, 1, 3], { padding: 'same', returnSequences: true, ...config });
      two.ensureBuilt([2, 3, 1, 5, 2]);
      three.ensureBuilt([2, 3, 1, 1, 5, 2]);
      pc.tidy(() => [two, three].forEach((layer) => layer.weights.forEach((w, i) => w.assign(pc.tensor([weights.kernel, weights.recurrent, weights.bias][i]!, w.shape)))));
      const xValues = draws(60, 10, -1, 1);
      const run = (layer: pc.ConvLSTM<boolean>, layerShape: number[], training: boolean) => pc.tidy(() => valuesOf(layer.apply(pc.tensor(xValues, layerShape), { training }) as pc.Tensor));
      const want = [run(one, shape, true), run(one, shape, false)];
      const masks = replayedMasks(shape, 5, 2);
      expectClose(want[0]!, convLSTM1DReference(xValues, shape, 2, g, weights, [], masks).sequence, 1e-5, 1e-6);
      for (const [layer, layerShape] of [[two, [2, 3, 1, 5, 2]], [three, [2, 3, 1, 1, 5, 2]]] as const) {
        const got = [run(layer, [...layerShape], true), run(layer, [...layerShape], false)];
        recordError('2D and 3D against 1D', got.flat(), want.flat());
        expectClose(got.flat(), want.flat(), 1e-6, 1e-7);
      }
      [one, two, three].forEach((layer) => layer.dispose());
    });

    it('a model with a stateful ConvLSTM2D with dropout trains with fit (shuffle false), resets, and leaks nothing', async () => {
      const input = pc.Input({ shape: [2, 3, 3, 1], batchSize: 2 });
      const convLSTM = new pc.ConvLSTM2D(2, 2, { padding: 'same', stateful: true, ...RATES, seed: SEED });
      const model = new pc.Model({ inputs: input, outputs: new pc.Dense(1).apply(new pc.Flatten().apply(convLSTM.apply(input))) });
      const x = pc.tensor(draws(6 * 2 * 9, 11, -1, 1), [6, 2, 3, 3, 1]);
      const y = pc.tensor(draws(6, 12, -1, 1), [6, 1]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
      const losses: number[] = [];
      for (let epoch = 0; epoch < 6; epoch++) {
        model.resetStates();
        losses.push(((await model.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 })).history.loss as number[])[0]!);
      }
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expect(convLSTM.states!.flatMap(valuesOf).some((v) => v !== 0)).toBe(true);
      model.resetStates();
      expect(convLSTM.states!.flatMap(valuesOf).every((v) => v === 0)).toBe(true);
      const batch = pc.tensor(draws(2 * 2 * 9, 13, -1, 1), [2, 2, 3, 3, 1]);
      expectTrainingStepsLeakNothing(model, batch);
      pc.dispose([x, y, batch]);
      model.dispose();
    }, TRAINING_TIMEOUT);
  });
}

describe('ConvLSTM dropout settings', () => {
  it('keeps dropout, recurrentDropout, seed and stateful in the config, and rebuilds from it', () => {
    const layer = new pc.ConvLSTM2D(3, 2, { dropout: 0.25, recurrentDropout: 0.5, seed: 3, stateful: true });
    const config = layer.getConfig();
    expect([config.dropout, config.recurrentDropout, config.seed, config.stateful]).toEqual([0.25, 0.5, 3, true]);
    const copy = pc.deserializeLayer(pc.serializeLayer(layer)) as pc.ConvLSTM2D;
    expect({ ...copy.getConfig(), name: layer.name }).toEqual(config);
    expect(copy.stateful).toBe(true);
    expect(new pc.ConvLSTM1D(2, 3).getConfig()).toMatchObject({ dropout: 0, recurrentDropout: 0, stateful: false });
  });

  it('refuses rates outside [0, 1], naming the layer and the option', () => {
    expect(() => new pc.ConvLSTM1D(2, 3, { dropout: -0.5 })).toThrow('ConvLSTM1D: dropout must be in [0, 1], got -0.5');
    expect(() => new pc.ConvLSTM3D(2, 3, { recurrentDropout: 2 })).toThrow('ConvLSTM3D: recurrentDropout must be in [0, 1], got 2');
  });
});
