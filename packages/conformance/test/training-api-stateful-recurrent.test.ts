// Stateful recurrent layers (Keras's stateful=True): SimpleRNN, LSTM, GRU and the RNN over a cell
// carry each call's final states into the next call. The expectations are the float64
// recurrence of recurrent-reference.ts chained call by call (each call from the float64 final
// states of the one before), and, for sequences read forwards, the recurrence over the whole
// sequence at once. Also: resetStates (zeros, given values), initial states given to a stateful
// layer, no gradient into the call before, predict / fit / evaluate over several batches in
// order, model.resetStates, Bidirectional, saving, a Keras 3 description, errors and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { builtLayer } from './recurrent-layer-setup.js';
import { recurrentReference, type RecurrentCase, type RecurrentResult, type Weights } from './recurrent-reference.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { keras3Files } from './keras3-files.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';

interface NamedCase extends RecurrentCase {
  name: string;
  /** Run as `new RNN(cell)` rather than as the layer. */
  viaCell?: boolean;
}

/** Each case's shape is the whole sequence, which the tests cut into calls of CALLS timesteps. */
const CALLS = [2, 3, 1];
const CASES: NamedCase[] = [
  { name: 'SimpleRNN, sequences', kind: 'SimpleRNN', shape: [2, 6, 3], units: 3, config: { returnSequences: true } },
  { name: 'LSTM, last state', kind: 'LSTM', shape: [3, 6, 2], units: 2, config: {} },
  { name: 'LSTM, sequences, backwards', kind: 'LSTM', shape: [2, 6, 3], units: 3, config: { returnSequences: true, goBackwards: true } },
  { name: 'GRU, sequences', kind: 'GRU', shape: [2, 6, 3], units: 2, config: { returnSequences: true } },
  { name: 'GRU resetAfter false, last state', kind: 'GRU', shape: [2, 6, 2], units: 3, config: { resetAfter: false } },
  { name: 'RNN(LSTMCell), sequences', kind: 'LSTM', shape: [2, 6, 3], units: 3, config: { returnSequences: true }, viaCell: true },
  { name: 'RNN(GRUCell), last state', kind: 'GRU', shape: [3, 6, 2], units: 2, config: {}, viaCell: true },
];

const recordError = errorRecorder('stateful recurrent');

/** The case's layer with `stateful: true` (or an RNN over the case's cell), built for calls of `timesteps`, its weights drawn. */
function statefulLayer(c: NamedCase, timesteps = c.shape[1]): { layer: pc.StatefulLayer; weights: Weights } {
  const shape: [number, number, number] = [c.shape[0], timesteps, c.shape[2]];
  const { layer: plain, weights } = builtLayer({ ...c, shape, config: { ...c.config, stateful: true } });
  if (!c.viaCell) return { layer: plain, weights };
  const { returnSequences, goBackwards, ...cellConfig } = c.config;
  const cell = c.kind === 'LSTM' ? new pc.LSTMCell(c.units, cellConfig) : c.kind === 'GRU' ? new pc.GRUCell(c.units, cellConfig) : new pc.SimpleRNNCell(c.units, cellConfig);
  const rnn = new pc.RNN(cell, { stateful: true, returnSequences, goBackwards });
  rnn.ensureBuilt(shape);
  pc.tidy(() => rnn.weights.forEach((w, i) => w.assign(plain.weights[i]!)));
  plain.dispose();
  return { layer: rnn, weights };
}

/** Timesteps [from, to) of a [batch, timesteps, features] sequence (flat). */
function stepsOf(x: readonly number[], [batch, timesteps, features]: readonly number[], from: number, to: number): number[] {
  return Array.from({ length: batch }, (_, b) => x.slice((b * timesteps + from) * features, (b * timesteps + to) * features)).flat();
}

/** The float64 recurrence over consecutive calls of `lengths` timesteps, each from the final states of the one before (the first from `initial`). */
function chainedReference(c: RecurrentCase, x: readonly number[], w: Weights, lengths: readonly number[], initial: readonly (readonly number[])[] = []): RecurrentResult[] {
  const results: RecurrentResult[] = [];
  let at = 0;
  let states = initial;
  for (const length of lengths) {
    const result = recurrentReference({ ...c, shape: [c.shape[0], length, c.shape[2]] }, stepsOf(x, c.shape, at, at + length), w, states);
    results.push(result);
    states = result.states;
    at += length;
  }
  return results;
}

const valuesOf = (t: pc.Tensor): number[] => Array.from(t.dataSync());
const statesOf = (layer: pc.StatefulLayer): number[][] => layer.states!.map(valuesOf);

for (const backend of MODEL_BACKENDS) {
  describe(`stateful recurrent layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const xValues = draws(size, 11, -1.5, 1.5);
      const callOn = (layer: pc.StatefulLayer, from: number, to: number, kwargs: pc.CallKwargs = {}) =>
        pc.tidy(() => valuesOf(layer.apply(pc.tensor(stepsOf(xValues, c.shape, from, to), [c.shape[0], to - from, c.shape[2]]), kwargs) as pc.Tensor));

      it('each call starts from the final states of the call before: the float64 recurrence chained over the calls', () => {
        const { layer, weights } = statefulLayer(c, CALLS[0]);
        const want = chainedReference(c, xValues, weights, CALLS);
        expect(layer.states).toBeNull();
        let at = 0;
        const outputs = CALLS.map((length, k) => {
          const got = callOn(layer, at, at + length);
          recordError('chained calls', got, want[k]!.output);
          expectClose(got, want[k]!.output, 1e-5, 1e-6);
          statesOf(layer).forEach((s, i) => expectClose(s, want[k]!.states[i]!, 1e-5, 1e-6));
          at += length;
          return got;
        });
        if (!c.config.goBackwards) {
          // Read forwards, the calls together are the recurrence over the whole sequence.
          const whole = recurrentReference(c, xValues, weights);
          whole.states.forEach((s, i) => expectClose(statesOf(layer)[i]!, s, 1e-5, 1e-6));
          const joined = c.config.returnSequences ? joinInTime(outputs, CALLS, c.shape[0], c.units) : outputs.at(-1)!;
          recordError('calls against the whole sequence', joined, whole.output);
          expectClose(joined, whole.output, 1e-5, 1e-6);
        }
        expect(layer.states!.every((v) => !v.trainable)).toBe(true);
        expect(layer.weights.length).toBe(weights.bias ? 3 : 2);
        layer.dispose();
      });

      it('resetStates() starts the next call from zeros, resetStates(values) from the values', () => {
        const { layer, weights } = statefulLayer(c, 3);
        callOn(layer, 0, 3);
        layer.resetStates();
        statesOf(layer).forEach((s) => expect(s.every((v) => v === 0)).toBe(true));
        const fromZeros = callOn(layer, 3, 6);
        expectClose(fromZeros, recurrentReference({ ...c, shape: [c.shape[0], 3, c.shape[2]] }, stepsOf(xValues, c.shape, 3, 6), weights).output, 1e-5, 1e-6);
        const given = layer.states!.map((_, k) => draws(c.shape[0] * c.units, 20 + k, -0.9, 0.9));
        const tensors = given.map((v) => pc.tensor(v, [c.shape[0], c.units]));
        layer.resetStates(tensors.length === 1 ? tensors[0]! : tensors);
        pc.dispose(tensors);
        statesOf(layer).forEach((s, i) => expect(s).toEqual(given[i]!.map(Math.fround)));
        const fromGiven = callOn(layer, 0, 3);
        expectClose(fromGiven, recurrentReference({ ...c, shape: [c.shape[0], 3, c.shape[2]] }, stepsOf(xValues, c.shape, 0, 3), weights, given).output, 1e-5, 1e-6);
        layer.dispose();
      });

      it('initial states given to a stateful layer start that call (as in Keras), and its final states are carried on', () => {
        const { layer, weights } = statefulLayer(c, 3);
        const given = (c.kind === 'LSTM' ? [0, 1] : [0]).map((k) => draws(c.shape[0] * c.units, 30 + k, -0.9, 0.9));
        callOn(layer, 0, 3);
        const got = pc.tidy(() => {
          const x = pc.tensor(stepsOf(xValues, c.shape, 0, 3), [c.shape[0], 3, c.shape[2]]);
          return valuesOf(layer.apply([x, ...given.map((v) => pc.tensor(v, [c.shape[0], c.units]))]) as pc.Tensor);
        });
        const want = chainedReference(c, xValues, weights, [3, 3], given);
        expectClose(got, want[0]!.output, 1e-5, 1e-6);
        expectClose(callOn(layer, 3, 6), want[1]!.output, 1e-5, 1e-6);
        layer.dispose();
      });

      it('no gradient flows into the call before: its final states enter the next call as constants', () => {
        const { layer, weights } = statefulLayer(c, 3);
        const [first, second] = [0, 3].map((from) => pc.tensor(stepsOf(xValues, c.shape, from, from + 3), [c.shape[0], 3, c.shape[2]]));
        const carried = chainedReference(c, xValues, weights, [3])[0]!.states;
        const secondCase = { ...c, shape: [c.shape[0], 3, c.shape[2]] as [number, number, number] };
        const outputSize = recurrentReference(secondCase, stepsOf(xValues, c.shape, 3, 6), weights).output.length;
        const w = draws(outputSize, 40, -1, 1);
        const variables = layer.trainableWeights;
        const [dFirst, dSecond, dKernel, dRecurrent] = pc.tidy(() => {
          // Both calls on one tape: a state carried as a tensor would take the gradient back into the first.
          const tape = new pc.GradientTape();
          tape.watch([first!, second!]);
          const loss = tape.record(() => {
            layer.apply(first!);
            return pc.sum(pc.mul(pc.reshape(layer.apply(second!) as pc.Tensor, [-1]), pc.tensor(w)));
          });
          return tape.gradient(loss, [first!, second!, ...variables]).map((g) => (g ? valuesOf(g) : null));
        });
        expect(dFirst).toBeNull();
        const output = (moved: Partial<Weights>, input = stepsOf(xValues, c.shape, 3, 6)) => recurrentReference(secondCase, input, { ...weights, ...moved }, carried).output;
        const checks: [string, number[] | null | undefined, number[]][] = [
          ['input', dSecond, finiteDifferences(stepsOf(xValues, c.shape, 3, 6), w, (moved) => output({}, moved))],
          ['kernel', dKernel, finiteDifferences(weights.kernel, w, (kernel) => output({ kernel }))],
          ['recurrent kernel', dRecurrent, finiteDifferences(weights.recurrent, w, (recurrent) => output({ recurrent }))],
        ];
        for (const [name, got, want] of checks) {
          recordError(`gradient w.r.t. ${name} of the second call`, got!, want);
          expectClose(got!, want, 1e-4, 2e-5);
        }
        pc.dispose([first!, second!]);
        layer.dispose();
      });
    });

    /** Six sequences [6, 4, 2] in three batches of two: rows 0, 2, 4 make one long sequence, rows 1, 3, 5 another. */
    const [samples, batchSize, timesteps, features, units] = [6, 2, 4, 2, 3];
    const longCase: RecurrentCase = { kind: 'LSTM', shape: [batchSize, timesteps * 3, features], units, config: {} };
    const xValues = draws(samples * timesteps * features, 50, -1.5, 1.5);
    /** The three batches of x laid end to end in time: [batchSize, 3·timesteps, features]. */
    const longSequences = Array.from({ length: batchSize }, (_, b) => [0, 1, 2].flatMap((k) => xValues.slice(((k * batchSize + b) * timesteps) * features, ((k * batchSize + b + 1) * timesteps) * features))).flat();

    /** A Sequential: Input of batch 2 → stateful LSTM → its h. */
    function sequentialModel(): { model: pc.Sequential; lstm: pc.StatefulLayer; weights: Weights } {
      const { layer: lstm, weights } = builtLayer({ ...longCase, shape: [batchSize, timesteps, features], config: { stateful: true } });
      const model = new pc.Sequential([pc.Input({ shape: [timesteps, features], batchSize }), lstm]);
      return { model, lstm, weights };
    }

    it('predict over several batches in order carries each sample\'s states to the sample at its place in the next batch; model.resetStates() starts again', () => {
      const { model, lstm, weights } = sequentialModel();
      const x = pc.tensor(xValues, [samples, timesteps, features]);
      expect(lstm.states, 'building the model runs no call on data').toBeNull();
      const first = valuesOf(model.predict(x, { batchSize }) as pc.Tensor);
      const chained = chainedReference(longCase, longSequences, weights, [timesteps, timesteps, timesteps]);
      const want = chained.flatMap((r) => r.output);
      recordError('predict over batches', first, want);
      expectClose(first, want, 1e-5, 1e-6);
      const second = valuesOf(model.predict(x, { batchSize }) as pc.Tensor);
      expect(second).not.toEqual(first);
      expectClose(second, chainedReference(longCase, longSequences, weights, [timesteps, timesteps, timesteps], chained[2]!.states).flatMap((r) => r.output), 1e-5, 1e-6);
      model.resetStates();
      expect(valuesOf(model.predict(x, { batchSize }) as pc.Tensor)).toEqual(first);
      x.dispose();
      model.dispose();
    });

    it('fit with shuffle false carries the states from batch to batch and from epoch to epoch, trains, and leaks nothing', async () => {
      const { model, lstm, weights } = sequentialModel();
      const x = pc.tensor(xValues, [samples, timesteps, features]);
      const y = pc.tensor(draws(samples * units, 51, -0.5, 0.5), [samples, units]);
      // A zero learning rate keeps the weights, so the states can be held to the float64 recurrence.
      model.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'meanSquaredError' });
      await model.fit(x, y, { epochs: 2, batchSize, shuffle: false, verbose: 0 });
      const sixBatches = chainedReference(longCase, longSequences, weights, [timesteps, timesteps, timesteps]);
      const again = chainedReference(longCase, longSequences, weights, [timesteps, timesteps, timesteps], sixBatches[2]!.states);
      statesOf(lstm).forEach((s, i) => expectClose(s, again[2]!.states[i]!, 1e-5, 1e-6));
      recordError('states after fit', statesOf(lstm).flat(), again[2]!.states.flat());
      // evaluate carries them on too.
      model.resetStates();
      const [loss] = await model.evaluate(x, y, { batchSize, verbose: 0 });
      const targets = valuesOf(y);
      const outputs = sixBatches.flatMap((r) => r.output);
      expect(loss).toBeCloseTo(outputs.reduce((s, v, i) => s + (v - targets[i]!) ** 2, 0) / outputs.length, 5);
      // Now train for real.
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      const losses: number[] = [];
      for (let epoch = 0; epoch < 8; epoch++) {
        model.resetStates();
        const history = await model.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
        losses.push((history.history.loss as number[])[0]!);
      }
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      const batch = pc.tensor(xValues.slice(0, batchSize * timesteps * features), [batchSize, timesteps, features]);
      expectTrainingStepsLeakNothing(model, batch);
      const before = pc.memory().numTensors;
      await model.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose([x, y, batch]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    it('a batch of another size is refused, naming the layer and both sizes', () => {
      const { model } = sequentialModel();
      const x = pc.tensor(xValues.slice(0, 5 * timesteps * features), [5, timesteps, features]);
      expect(() => model.predict(x, { batchSize })).toThrow(/LSTM '[a-z_0-9]+': stateful, so its batch size is fixed at 2 .*got inputs of batch size 1/);
      const input = pc.Input({ shape: [timesteps, features], batchSize: 4 });
      const layer = new pc.SimpleRNN(2, { stateful: true, name: 'fixed_by_input' });
      const functional = new pc.Model({ inputs: input, outputs: layer.apply(input) });
      expect(layer.states).toBeNull();
      expect(() => pc.tidy(() => functional.apply(pc.zeros([3, timesteps, features])))).toThrow("SimpleRNN 'fixed_by_input': stateful, so its batch size is fixed at 4 (sample i of a batch continues sample i of the batch before), got inputs of batch size 3");
      const declared = new pc.GRU(2, { stateful: true, batchInputShape: [3, timesteps, features], name: 'declared' });
      expect(() => pc.tidy(() => declared.apply(pc.zeros([2, timesteps, features])))).toThrow("GRU 'declared': stateful, so its batch size is fixed at 3");
      expect(() => declared.apply(pc.Input({ shape: [timesteps, features], batchSize: 5 }))).toThrow(/GRU 'declared': stateful, so its batch size is fixed at 3 .*got a symbolic input of batch size 5/);
      pc.dispose(x);
      model.dispose();
      functional.dispose();
      declared.dispose();
    });

    it('resetStates refuses a layer that is not stateful, and values of the wrong count or shape', () => {
      const lstm = new pc.LSTM(2, { name: 'plain' });
      expect(() => lstm.resetStates()).toThrow("LSTM 'plain'.resetStates: the layer is not stateful, so it keeps no states between calls; build it with stateful: true");
      expect(() => new pc.RNN(new pc.GRUCell(2), { name: 'plain_rnn' }).resetStates()).toThrow("RNN 'plain_rnn'.resetStates: the layer is not stateful");
      const stateful = new pc.LSTM(2, { stateful: true, name: 'kept' });
      const resetWith = (layer: pc.StatefulLayer, shapes: number[][]) => () => pc.tidy(() => layer.resetStates(shapes.length === 1 ? pc.zeros(shapes[0]!) : shapes.map((s) => pc.zeros(s))));
      expect(resetWith(stateful, [[3, 2], [3, 2]])).toThrow("LSTM 'kept'.resetStates: the layer's batch size and state shapes are not known yet");
      stateful.resetStates();
      pc.tidy(() => void stateful.apply(pc.ones([3, 4, 5])));
      expect(resetWith(stateful, [[3, 2]])).toThrow("LSTM 'kept'.resetStates: expected 2 state tensors (h, c), got 1");
      expect(resetWith(stateful, [[3, 2], [2, 2]])).toThrow("LSTM 'kept'.resetStates: expected state c as a float32 tensor of shape [3,2], got float32 [2,2]");
      const rnn = new pc.RNN([new pc.SimpleRNNCell(2), new pc.LSTMCell(3)], { stateful: true, name: 'stacked' });
      pc.tidy(() => void rnn.apply(pc.ones([2, 3, 4])));
      expect(resetWith(rnn, [[2, 2], [2, 3], [2, 2]])).toThrow("RNN 'stacked'.resetStates: expected state state 2 as a float32 tensor of shape [2,3], got float32 [2,2]");
      stateful.dispose();
      rnn.dispose();
    });

    it('Bidirectional over a stateful LSTM carries each direction\'s states, and model.resetStates() resets both', () => {
      const c: RecurrentCase = { kind: 'LSTM', shape: [2, 3, 2], units: 2, config: { stateful: true } };
      const { layer: template, weights } = builtLayer(c);
      const bidirectional = new pc.Bidirectional(template);
      const input = pc.Input({ shape: [3, 2], batchSize: 2 });
      const model = new pc.Model({ inputs: input, outputs: bidirectional.apply(input) });
      const backwardWeights: Weights = { kernel: draws(2 * 8, 60, -0.7, 0.7), recurrent: draws(2 * 8, 61, -0.7, 0.7), bias: draws(8, 62, -0.5, 0.5) };
      pc.tidy(() => {
        bidirectional.forwardLayer.weights.forEach((w, i) => w.assign(template.weights[i]!));
        [backwardWeights.kernel, backwardWeights.recurrent, backwardWeights.bias!].forEach((v, i) => bidirectional.backwardLayer.weights[i]!.assign(pc.tensor(v, bidirectional.backwardLayer.weights[i]!.shape)));
      });
      const calls = [0, 1].map((k) => draws(12, 63 + k, -1, 1));
      const forward = chainedReference({ ...c, shape: [2, 6, 2] }, joinInTime(calls, [3, 3], 2, 2), weights, [3, 3]);
      const backward = chainedReference({ ...c, shape: [2, 6, 2], config: { goBackwards: true } }, joinInTime(calls, [3, 3], 2, 2), backwardWeights, [3, 3]);
      const run = (k: number) => pc.tidy(() => valuesOf(model.predict(pc.tensor(calls[k]!, [2, 3, 2])) as pc.Tensor));
      const merged = (k: number) => [0, 1].flatMap((b) => [...forward[k]!.output.slice(b * 2, b * 2 + 2), ...backward[k]!.output.slice(b * 2, b * 2 + 2)]);
      const first = run(0);
      expectClose(first, merged(0), 1e-5, 1e-6);
      expectClose(run(1), merged(1), 1e-5, 1e-6);
      model.resetStates();
      expect([bidirectional.forwardLayer, bidirectional.backwardLayer].flatMap((l) => l.states!.flatMap(valuesOf)).every((v) => v === 0)).toBe(true);
      expect(run(0)).toEqual(first);
      model.dispose();
      template.dispose();
    });

    it('saves stateful in the config and loads it back; the states are not saved (as in Keras 3 and tfjs), so the loaded model starts from zeros', async () => {
      const lstm = new pc.LSTM(units, { stateful: true, returnSequences: true });
      const rnn = new pc.RNN(new pc.GRUCell(2), { stateful: true, returnSequences: true });
      const model = new pc.Sequential([pc.Input({ shape: [timesteps, features], batchSize }), lstm, rnn]);
      const x = pc.tensor(xValues.slice(0, batchSize * timesteps * features), [batchSize, timesteps, features]);
      expect(lstm.getConfig()).toMatchObject({ stateful: true });
      expect(rnn.getConfig()).toMatchObject({ stateful: true });
      expect(new pc.GRU(2).getConfig()).toMatchObject({ stateful: false });
      await expectSaveLoadRoundTrip(model, x, [lstm, rnn]);
      const loaded = await (async () => {
        const store = pc.memoryStore();
        await model.save(store);
        return pc.loadModel(store);
      })();
      expect(pc.statefulLayersOf(loaded).map((l) => l.constructor)).toEqual([pc.LSTM, pc.RNN]);
      pc.tidy(() => model.predict(x));
      model.resetStates();
      const twice = (m: pc.Model) => pc.tidy(() => [valuesOf(m.predict(x) as pc.Tensor), valuesOf(m.predict(x) as pc.Tensor)]);
      expect(twice(loaded)).toEqual(twice(model));
      pc.dispose(x);
      loaded.dispose();
      model.dispose();
    });

    it('reads a Keras 3 description with stateful: true (and false)', async () => {
      const { weights } = builtLayer({ kind: 'GRU', shape: [2, 3, 2], units: 2, config: {} });
      const gru = (name: string, stateful: boolean) => ({
        className: 'GRU', name,
        config: { units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, dropout: 0.0, recurrent_dropout: 0.0, seed: null, return_sequences: true, return_state: false, go_backwards: false, stateful, unroll: false, reset_after: true, use_cudnn: 'auto' },
      });
      const model = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'x', shape: [3, 2] }],
        layers: [gru('kept', true), { ...gru('plain', false), reads: [{ layer: 'kept', shape: [null, 3, 2] }] }],
        weights: ['kept', 'plain'].flatMap((name) => [
          { name: `${name}/gru_cell/kernel`, shape: [2, 6], values: weights.kernel },
          { name: `${name}/gru_cell/recurrent_kernel`, shape: [2, 6], values: weights.recurrent },
          { name: `${name}/gru_cell/bias`, shape: [2, 6], values: weights.bias! },
        ]),
      }));
      expect(pc.statefulLayersOf(model).map((l) => l.name)).toEqual(['kept']);
      const c: RecurrentCase = { kind: 'GRU', shape: [2, 3, 2], units: 2, config: { returnSequences: true } };
      const calls = [0, 1].map((k) => draws(12, 70 + k, -1, 1));
      const kept = chainedReference({ ...c, shape: [2, 6, 2] }, joinInTime(calls, [3, 3], 2, 2), weights, [3, 3]);
      calls.forEach((values, k) => {
        const got = pc.tidy(() => valuesOf(model.predict(pc.tensor(values, [2, 3, 2])) as pc.Tensor));
        const want = recurrentReference(c, kept[k]!.output, weights).output;
        recordError('Keras 3 stateful GRU', got, want);
        expectClose(got, want, 1e-5, 1e-6);
      });
      model.dispose();
    });

    it('a dry run (a call on symbolic tensors) leaves the states alone, and dispose frees them', () => {
      const before = pc.memory().numTensors;
      const input = pc.Input({ shape: [timesteps, features], batchSize });
      const lstm = new pc.LSTM(units, { stateful: true, returnSequences: true });
      const model = new pc.Model({ inputs: input, outputs: new pc.SimpleRNN(2, { stateful: true }).apply(lstm.apply(input)) });
      expect(pc.statefulLayersOf(model).map((l) => l.states)).toEqual([null, null]);
      pc.tidy(() => void model.predict(pc.ones([batchSize, timesteps, features])));
      expect(pc.statefulLayersOf(model).map((l) => l.states!.length)).toEqual([2, 1]);
      model.dispose();
      expect(pc.memory().numTensors).toBe(before);
    });
  });
}

/** Sequences [batch, lengths[k], width] (flat) laid end to end in time: [batch, Σ lengths, width]. */
function joinInTime(parts: readonly (readonly number[])[], lengths: readonly number[], batch: number, width: number): number[] {
  return Array.from({ length: batch }, (_, b) => parts.flatMap((part, k) => part.slice(b * lengths[k]! * width, (b + 1) * lengths[k]! * width))).flat();
}
