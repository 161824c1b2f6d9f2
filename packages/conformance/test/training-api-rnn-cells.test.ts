// Keras's generic RNN layer over cells: RNN(LSTMCell), RNN(GRUCell), RNN(SimpleRNNCell) compute
// exactly what LSTM, GRU and SimpleRNN do with the same weights; StackedRNNCells what the layers
// stacked do; a cell written here (a minimal gated unit) against a float64 recurrence written
// with plain loops, its gradient by central finite differences, training with fit; saving and
// loading; Keras 3 descriptions; errors.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, tapeGradients } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { keras3Files } from './keras3-files.js';

const recordError = errorRecorder('RNN cells');
const valuesOf = (t: pc.Tensor): number[] => Array.from(t.dataSync());
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * A minimal gated unit (Zhou et al., 2016), written as a user would: one forget gate f and
 * h' = (1 − f)·h + f·tanh(x·W_h + (f·h)·U_h + b_h), f = σ(x·W_f + h·U_f + b_f).
 */
class MinimalGatedCell extends pc.RNNCell {
  static override readonly className = 'MinimalGatedCell';
  wf!: pc.Variable; uf!: pc.Variable; bf!: pc.Variable; wh!: pc.Variable; uh!: pc.Variable; bh!: pc.Variable;
  constructor(readonly units: number, config: pc.LayerConfig = {}) {
    super(config);
  }

  get stateSize(): number {
    return this.units;
  }

  override build(inputShape: pc.Shape): void {
    const features = inputShape[inputShape.length - 1]!;
    this.wf = this.addWeight('wf', [features, this.units], 'glorotUniform');
    this.uf = this.addWeight('uf', [this.units, this.units], 'orthogonal');
    this.bf = this.addWeight('bf', [this.units], 'ones');
    this.wh = this.addWeight('wh', [features, this.units], 'glorotUniform');
    this.uh = this.addWeight('uh', [this.units, this.units], 'orthogonal');
    this.bh = this.addWeight('bh', [this.units], 'zeros');
  }

  step(x: pc.Tensor, [h]: readonly pc.Tensor[]): [pc.Tensor, pc.Tensor[]] {
    const f = pc.sigmoid(pc.add(pc.add(pc.matMul(x, this.wf), pc.matMul(h!, this.uf)), this.bf));
    const candidate = pc.tanh(pc.add(pc.add(pc.matMul(x, this.wh), pc.matMul(pc.mul(f, h!), this.uh)), this.bh));
    const next = pc.add(pc.mul(pc.sub(1, f), h!), pc.mul(f, candidate));
    return [next, [next]];
  }

  override getConfig(): pc.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }

  static override fromConfig(cls: pc.LayerClass, config: pc.ConfigDict): pc.Layer {
    const { units, ...rest } = config;
    return new cls(units, rest);
  }
}
pc.registerClass(MinimalGatedCell);

/** The minimal gated unit over x [batch, T, F] in float64, from h = 0; the last h, [batch·units]. */
function minimalGatedReference(x: readonly number[], [batch, timesteps, features]: readonly number[], units: number, w: Record<'wf' | 'uf' | 'bf' | 'wh' | 'uh' | 'bh', readonly number[]>): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    let h = new Array<number>(units).fill(0);
    for (let t = 0; t < timesteps; t++) {
      const xt = x.slice((b * timesteps + t) * features, (b * timesteps + t + 1) * features);
      const affine = (W: readonly number[], U: readonly number[], bias: readonly number[], s: readonly number[]) => Array.from({ length: units }, (_, j) => {
        let v = bias[j]!;
        for (let i = 0; i < features; i++) v += xt[i]! * W[i * units + j]!;
        for (let i = 0; i < units; i++) v += s[i]! * U[i * units + j]!;
        return v;
      });
      const f = affine(w.wf, w.uf, w.bf, h).map(sigmoid);
      const candidate = affine(w.wh, w.uh, w.bh, h.map((v, i) => f[i]! * v)).map(Math.tanh);
      h = h.map((v, j) => (1 - f[j]!) * v + f[j]! * candidate[j]!);
    }
    out.push(...h);
  }
  return out;
}

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU' | 'GRU resetAfter false';
const KINDS: Kind[] = ['SimpleRNN', 'LSTM', 'GRU', 'GRU resetAfter false'];

/** The layer of `kind` and an RNN over its cell, with the same settings. */
function layerAndCell(kind: Kind, units: number, layerConfig: pc.RNNConfig<boolean>, rnnOnly: pc.RNNConfig<boolean> = {}, dropouts: { dropout?: number; recurrentDropout?: number; seed?: number } = {}): [pc.Layer, pc.RNN<boolean>] {
  const cellConfig = { activation: 'tanh' as const, ...dropouts };
  const { zeroOutputForMask: _, ...rnnSettings } = layerConfig;
  const config = { ...rnnSettings, ...dropouts };
  const rnnConfig = { ...rnnSettings, ...rnnOnly };
  switch (kind) {
    case 'SimpleRNN': return [new pc.SimpleRNN(units, config), new pc.RNN(new pc.SimpleRNNCell(units, cellConfig), rnnConfig)];
    case 'LSTM': return [new pc.LSTM(units, config), new pc.RNN(new pc.LSTMCell(units, cellConfig), rnnConfig)];
    case 'GRU': return [new pc.GRU(units, config), new pc.RNN(new pc.GRUCell(units, cellConfig), rnnConfig)];
    case 'GRU resetAfter false': return [new pc.GRU(units, { ...config, resetAfter: false }), new pc.RNN(new pc.GRUCell(units, { ...cellConfig, resetAfter: false }), rnnConfig)];
  }
}

/** Sets every weight of `layers` (in order) to draws, the same values where two layers' weights pair up. */
function drawWeights(layers: readonly pc.Layer[], seed: number): void {
  pc.tidy(() => layers.flatMap((layer) => layer.weights).forEach((w, i) => w.assign(pc.tensor(draws(w.size, seed + i, -0.7, 0.7), w.shape))));
}

const asList = (y: pc.Tensor | pc.Tensor[]): pc.Tensor[] => [y].flat();

for (const backend of MODEL_BACKENDS) {
  describe(`RNN over cells on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(KINDS)('%s', (kind) => {
      it.each([
        { returnSequences: true, returnState: true, goBackwards: false },
        { returnSequences: false, returnState: true, goBackwards: true },
      ])('RNN over the cell gives exactly the layer\'s outputs and states with the same weights (%o)', (config) => pc.tidy(() => {
        const [layer, rnn] = layerAndCell(kind, 3, config);
        const x = pc.tensor(draws(2 * 4 * 3, 11, -1, 1), [2, 4, 3]);
        layer.ensureBuilt(x.shape);
        rnn.ensureBuilt(x.shape);
        expect(rnn.weights.map((w) => w.shape)).toEqual(layer.weights.map((w) => w.shape));
        drawWeights([layer], 20);
        drawWeights([rnn], 20);
        const [want, got] = [asList(layer.apply(x)), asList(rnn.apply(x))];
        expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
        got.forEach((t, i) => expect(valuesOf(t)).toEqual(valuesOf(want[i]!)));
        // From given initial states, and under a mask with zeroOutputForMask (the layers' padding).
        const states = want.slice(1).map((_, i) => pc.tensor(draws(2 * 3, 40 + i, -0.9, 0.9), [2, 3]));
        const fromStates = [asList(layer.apply([x, ...states])), asList(rnn.apply([x, ...states]))];
        fromStates[1]!.forEach((t, i) => expect(valuesOf(t)).toEqual(valuesOf(fromStates[0]![i]!)));
        const mask = pc.tensor([1, 1, 0, 1, 1, 0, 0, 0], [2, 4], 'int32');
        const [maskedLayer, maskedRnn] = layerAndCell(kind, 3, config, { zeroOutputForMask: true });
        maskedLayer.ensureBuilt(x.shape);
        maskedRnn.ensureBuilt(x.shape);
        drawWeights([maskedLayer], 20);
        drawWeights([maskedRnn], 20);
        const masked = [asList(maskedLayer.apply(x, { mask: pc.notEqual(mask, 0) })), asList(maskedRnn.apply(x, { mask: pc.notEqual(mask, 0) }))];
        masked[1]!.forEach((t, i) => expect(valuesOf(t)).toEqual(valuesOf(masked[0]![i]!)));
      }));
    });

    it.each(KINDS)('%s: with dropout and recurrent dropout while training, RNN over the cell drops what the layer drops (same seed)', (kind) => pc.tidy(() => {
      const dropouts = { dropout: 0.3, recurrentDropout: 0.4, seed: 5 };
      const [layer, rnn] = layerAndCell(kind, 3, { returnSequences: true }, {}, dropouts);
      const x = pc.tensor(draws(2 * 4 * 3, 17, -1, 1), [2, 4, 3]);
      layer.ensureBuilt(x.shape);
      rnn.ensureBuilt(x.shape);
      drawWeights([layer], 20);
      drawWeights([rnn], 20);
      const [want, got] = [layer.apply(x, { training: true }) as pc.Tensor, rnn.apply(x, { training: true }) as pc.Tensor];
      expect(valuesOf(got)).toEqual(valuesOf(want));
      expect(valuesOf(got)).not.toEqual(valuesOf(rnn.apply(x) as pc.Tensor));
      expect(rnn.cell.getConfig()).toMatchObject({ dropout: 0.3, recurrentDropout: 0.4, seed: 5 });
    }));

    it('StackedRNNCells gives what the layers stacked give; its states are each cell\'s in turn', () => pc.tidy(() => {
      const x = pc.tensor(draws(2 * 3 * 4, 12, -1, 1), [2, 3, 4]);
      const first = new pc.LSTM(3, { returnSequences: true, returnState: true });
      const second = new pc.GRU(2, { returnSequences: true, returnState: true });
      const rnn = new pc.RNN([new pc.LSTMCell(3), new pc.GRUCell(2)], { returnSequences: true, returnState: true });
      first.ensureBuilt(x.shape);
      second.ensureBuilt([2, 3, 3]);
      rnn.ensureBuilt(x.shape);
      expect(rnn.cell).toBeInstanceOf(pc.StackedRNNCells);
      expect(rnn.stateSize).toEqual([3, 3, 2]);
      drawWeights([first, second], 30);
      drawWeights([rnn], 30);
      const [sequence1, h1, c1] = first.apply(x);
      const [sequence2, h2] = second.apply(sequence1!);
      const [sequence, ...states] = rnn.apply(x);
      expect(valuesOf(sequence!)).toEqual(valuesOf(sequence2!));
      expect(states.map(valuesOf)).toEqual([h1!, c1!, h2!].map(valuesOf));
      // The states in the other order start the stack elsewhere: the order matters.
      const given = [pc.tensor(draws(6, 50, -1, 1), [2, 3]), pc.tensor(draws(6, 51, -1, 1), [2, 3]), pc.tensor(draws(4, 52, -1, 1), [2, 2])];
      const [fromStates] = rnn.apply([x, ...given]);
      const [byLayers] = second.apply([first.apply([x, given[0]!, given[1]!])[0]!, given[2]!]);
      expect(valuesOf(fromStates!)).toEqual(valuesOf(byLayers!));
    }));

    it('a cell written by the user matches its float64 recurrence, and its gradient central finite differences', () => pc.tidy(() => {
      const shape = [2, 4, 3];
      const units = 2;
      const x = pc.tensor(draws(24, 13, -1, 1), shape);
      const cell = new MinimalGatedCell(units);
      const rnn = new pc.RNN(cell);
      rnn.ensureBuilt(shape);
      drawWeights([rnn], 60);
      const names = ['wf', 'uf', 'bf', 'wh', 'uh', 'bh'] as const;
      const values = Object.fromEntries(names.map((n) => [n, valuesOf(cell[n])])) as Record<(typeof names)[number], number[]>;
      const xValues = valuesOf(x);
      const want = minimalGatedReference(xValues, shape, units, values);
      const got = valuesOf(rnn.apply(x));
      recordError('custom cell values', got, want);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      const weights = draws(shape[0]! * units, 14, -1, 1);
      const [dx, ...dw] = tapeGradients(rnn, x, weights, names.map((n) => cell[n]));
      const wantDx = finiteDifferences(xValues, weights, (moved) => minimalGatedReference(moved, shape, units, values));
      recordError('custom cell gradients', dx!, wantDx);
      dx!.forEach((v, i) => expect(v).toBeCloseTo(wantDx[i]!, 4));
      names.forEach((n, k) => {
        const wantDw = finiteDifferences(values[n], weights, (moved) => minimalGatedReference(xValues, shape, units, { ...values, [n]: moved }));
        recordError('custom cell gradients', dw[k]!, wantDw);
        dw[k]!.forEach((v, i) => expect(v).toBeCloseTo(wantDw[i]!, 4));
      });
    }));

    it('a model with a user\'s cell and a stack of built-in cells learns with fit, leaks nothing, saves and loads', async () => {
      const n = 32;
      const xValues = draws(n * 5 * 2, 15, -1, 1);
      // Label: whether the sum of the first feature over time is positive.
      const labels = Array.from({ length: n }, (_, b) => (Array.from({ length: 5 }, (_, t) => xValues[(b * 5 + t) * 2]!).reduce((a, v) => a + v, 0) > 0 ? 1 : 0));
      const [x, y] = [pc.tensor(xValues, [n, 5, 2]), pc.tensor(labels, [n, 1])];
      const input = pc.Input({ shape: [5, 2] });
      const custom = new pc.RNN(new MinimalGatedCell(4), { returnSequences: true, name: 'custom' });
      const stacked = new pc.RNN([new pc.LSTMCell(3), new pc.SimpleRNNCell(3)], { name: 'stacked' });
      const output = new pc.Dense(1, { activation: 'sigmoid' }).apply(stacked.apply(custom.apply(input)));
      const model = new pc.Model({ inputs: input, outputs: output });
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy' });
      const history = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses.at(-1)!).toBeLessThan(0.75 * losses[0]!);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [custom, stacked]);
      pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    it('reads Keras 3 descriptions of RNN(LSTMCell) and of RNN(StackedRNNCells) with their weights', async () => {
      const units = 2;
      const features = 3;
      const initializers = {
        kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
        recurrent_initializer: { module: 'keras.initializers', class_name: 'Orthogonal', config: { gain: 1.0, seed: null }, registered_name: null },
        bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      };
      const lstmCell = (name: string) => ({
        module: 'keras.layers', class_name: 'LSTMCell', registered_name: null,
        config: {
          name, trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
          units, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: true, ...initializers,
          kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
          dropout: 0.0, recurrent_dropout: 0.0, seed: null,
        },
      });
      const rnnConfig = { return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: false };
      const weightsOf = (prefix: string, seed: number, inputs: number) => [
        { name: `${prefix}/kernel`, shape: [inputs, 4 * units], values: draws(inputs * 4 * units, seed, -0.7, 0.7) },
        { name: `${prefix}/recurrent_kernel`, shape: [units, 4 * units], values: draws(units * 4 * units, seed + 1, -0.7, 0.7) },
        { name: `${prefix}/bias`, shape: [4 * units], values: draws(4 * units, seed + 2, -0.5, 0.5) },
      ];
      const x = pc.tensor(draws(2 * 4 * features, 16, -1, 1), [2, 4, features]);
      const single = weightsOf('rnn/lstm_cell', 70, features);
      const loaded = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'sequence', shape: [4, features] }],
        layers: [{ className: 'RNN', name: 'rnn', config: { ...rnnConfig, cell: lstmCell('lstm_cell') } }],
        weights: single,
      }));
      const rnn = loaded.layers.find((l) => l instanceof pc.RNN) as pc.RNN;
      expect(rnn.cell).toBeInstanceOf(pc.LSTMCell);
      const lstm = new pc.LSTM(units);
      lstm.ensureBuilt(x.shape);
      pc.tidy(() => lstm.weights.forEach((w, i) => w.assign(pc.tensor(single[i]!.values, w.shape))));
      expect(valuesOf(loaded.predict(x) as pc.Tensor)).toEqual(valuesOf(lstm.apply(x)));

      const stackedWeights = [...weightsOf('rnn/stacked_rnn_cells/lstm_cell', 80, features), ...weightsOf('rnn/stacked_rnn_cells/lstm_cell_1', 90, units)];
      const stacked = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'sequence', shape: [4, features] }],
        layers: [{
          className: 'RNN', name: 'rnn',
          config: { ...rnnConfig, cell: { module: 'keras.layers', class_name: 'StackedRNNCells', registered_name: null, config: { name: 'stacked_rnn_cells', trainable: true, cells: [lstmCell('lstm_cell'), lstmCell('lstm_cell_1')] } } },
        }],
        weights: stackedWeights,
      }));
      const [first, second] = [new pc.LSTM(units, { returnSequences: true }), new pc.LSTM(units)];
      first.ensureBuilt(x.shape);
      second.ensureBuilt([2, 4, units]);
      pc.tidy(() => [...first.weights, ...second.weights].forEach((w, i) => w.assign(pc.tensor(stackedWeights[i]!.values, w.shape))));
      expect(valuesOf(stacked.predict(x) as pc.Tensor)).toEqual(valuesOf(second.apply(first.apply(x))));
      [loaded, stacked, lstm, first, second].forEach((m) => m.dispose());
      x.dispose();
    });

    it('configs round trip and write what Keras writes', () => {
      const rnn = new pc.RNN([new pc.GRUCell(2, { resetAfter: false }), new pc.LSTMCell(3, { unitForgetBias: false })], { returnSequences: true, goBackwards: true, name: 'r' });
      const again = pc.deserializeLayer(pc.serializeLayer(rnn)) as pc.RNN;
      expect(again.getConfig()).toEqual(rnn.getConfig());
      expect(rnn.getConfig()).toMatchObject({ returnSequences: true, returnState: false, goBackwards: true, stateful: false, unroll: false, zeroOutputForMask: false, cell: { className: 'StackedRNNCells' } });
      expect((again.cell as pc.StackedRNNCells).cells.map((c) => c.constructor)).toEqual([pc.GRUCell, pc.LSTMCell]);
    });

    it('refuses bad cells and states, naming the layer and what was given', () => {
      class Stateless extends pc.RNNCell {
        get stateSize(): number {
          return undefined as unknown as number;
        }
        step(x: pc.Tensor): [pc.Tensor, pc.Tensor[]] {
          return [x, []];
        }
      }
      class Forgetful extends pc.RNNCell {
        get stateSize(): number[] {
          return [2, 2];
        }
        step(x: pc.Tensor, states: readonly pc.Tensor[]): [pc.Tensor, pc.Tensor[]] {
          return [x, [states[0]!]];
        }
      }
      expect(() => new pc.RNN(new Stateless({ name: 's' }), { name: 'r1' })).toThrow("RNN 'r1': expected cell Stateless 's''s stateSize to be a positive integer or a non-empty list of them, got undefined");
      expect(() => new pc.RNN(new pc.Dense(2, { name: 'd' }) as unknown as pc.RNNCell, { name: 'r2' })).toThrow("RNN 'r2': expected a cell extending RNNCell (with stateSize and step), got Dense 'd'");
      expect(() => new pc.RNN(new pc.LSTMCell(2), { name: 'r3' }).resetStates()).toThrow("RNN 'r3'.resetStates: the layer is not stateful");
      expect(() => new pc.LSTMCell(2, { dropout: 1.5 })).toThrow('LSTMCell: dropout must be in [0, 1], got 1.5');
      // SimpleRNNCell has no gates, so no gate activation, as in Keras.
      expect(() => new pc.SimpleRNNCell(2, { recurrentActivation: 'sigmoid' })).toThrow(/SimpleRNNCell: unknown option 'recurrentActivation'/);
      pc.tidy(() => {
        const x = pc.ones([2, 3, 2]);
        expect(() => new pc.RNN(new Forgetful({ name: 'f' }), { name: 'r4' }).apply(x)).toThrow("RNN 'r4': cell Forgetful 'f' returned 1 states from step, expected 2 (its stateSize [2,2])");
        expect(() => new pc.RNN(new pc.LSTMCell(2), { name: 'r5' }).apply([x, pc.ones([2, 2])])).toThrow("RNN 'r5': expected 2 initial states (state 0, state 1) after the sequence, or none, got 1");
        expect(() => new pc.RNN(new pc.GRUCell(2), { name: 'r6' }).apply([x, pc.ones([2, 3])])).toThrow("RNN 'r6': expected initial state state 0 of shape [2,2], got [2,3]");
        expect(() => new pc.LSTMCell(2, { name: 'c' }).apply([pc.ones([2, 2]), pc.ones([2, 2])])).toThrow("LSTMCell 'c': expected 2 states of [batch, 2], got 1");
      });
    });
  });
}
