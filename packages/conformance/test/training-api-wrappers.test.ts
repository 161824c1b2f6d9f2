// Bidirectional and TimeDistributed against float64 computations written here from Keras 3's
// equations: values for every merge mode (null: both outputs), from zeros and from given initial
// states, and with the final states, gradients (central finite differences, through both
// directions in time, and w.r.t. the initial states), symbolic use in a functional model (an
// encoder's states starting a decoder that reads its own input), training with fit, saving, bad
// configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { recurrentReference, type Kind, type Weights } from './recurrent-reference.js';

interface WrapperCase {
  kind: Kind;
  mergeMode: pc.BidirectionalMergeMode | null;
  returnSequences: boolean;
  /** The wrapped layer's returnState: the states of both directions follow the output(s). */
  returnState?: boolean;
  /** Whether the wrapped layer itself reads backwards: then the forward copy does, and the backward one reads forwards (tf.keras's flip). */
  goBackwards?: boolean;
}

/** [batch, timesteps, features] and units of every Bidirectional case. */
const SHAPE = [2, 4, 3] as const;
const UNITS = 3;

/** How many states each direction hands on: [h], an LSTM's [h, c]. */
const STATE_COUNT: Record<Kind, number> = { SimpleRNN: 1, LSTM: 2, GRU: 1 };

/**
 * One direction over x [batch, timesteps, features], by the recurrent layers' reference, from
 * zeros or from `initialStates`: for each sample, its states h in the order it reads the
 * timesteps; and its final states.
 */
function direction(kind: Kind, x: readonly number[], w: Weights, goBackwards: boolean, initialStates: readonly number[][]): { steps: number[][][]; finalStates: number[][] } {
  const [batch, timesteps] = SHAPE;
  const { output, states } = recurrentReference({ kind, shape: [...SHAPE], units: UNITS, config: { returnSequences: true, goBackwards } }, x, w, initialStates);
  const steps = Array.from({ length: batch }, (_, b) => Array.from({ length: timesteps }, (_, s) => output.slice((b * timesteps + s) * UNITS, (b * timesteps + s + 1) * UNITS)));
  return { steps, finalStates: states };
}

const MERGE: Record<pc.BidirectionalMergeMode, (f: number[], b: number[]) => number[]> = {
  concat: (f, b) => [...f, ...b],
  sum: (f, b) => f.map((v, j) => v + b[j]!),
  mul: (f, b) => f.map((v, j) => v * b[j]!),
  ave: (f, b) => f.map((v, j) => (v + b[j]!) / 2),
};

/**
 * Bidirectional in float64, as Keras 3 computes it, each returned tensor flattened: each
 * direction from zeros or from its half of `initialStates` (the forward one's first), the
 * backward sequence flipped back into time order, then merged (mergeMode null: both, forward
 * first), then with returnState the forward direction's final states and the backward one's.
 */
function bidirectionalReference(c: WrapperCase, x: readonly number[], forward: Weights, backward: Weights, initialStates: readonly number[][] = []): number[][] {
  const goBackwards = c.goBackwards ?? false;
  const half = initialStates.length / 2;
  const [forwards, backwards] = [
    direction(c.kind, x, forward, goBackwards, initialStates.slice(0, half)),
    direction(c.kind, x, backward, !goBackwards, initialStates.slice(half)),
  ];
  // Per sample, the rows of each direction's output: every step, the backward ones flipped, or the last.
  const rowsOf = (steps: number[][][], flip: boolean) => steps.map((rows) => (c.returnSequences ? (flip ? [...rows].reverse() : rows) : [rows.at(-1)!]));
  const [f, r] = [rowsOf(forwards.steps, false), rowsOf(backwards.steps, true)];
  const mergeMode = c.mergeMode;
  const outputs = mergeMode === null ? [f.flat(2), r.flat(2)] : [f.flatMap((rows, b) => rows.flatMap((row, t) => MERGE[mergeMode](row, r[b]![t]!)))];
  return c.returnState ? [...outputs, ...forwards.finalStates, ...backwards.finalStates] : outputs;
}

function recurrentLayer(kind: Kind, config: Omit<pc.RecurrentConfig, 'units'>): pc.Recurrent {
  return kind === 'SimpleRNN' ? new pc.SimpleRNN(UNITS, config) : kind === 'LSTM' ? new pc.LSTM(UNITS, config) : new pc.GRU(UNITS, config);
}

/** Sets `layer`'s kernel, recurrent kernel and bias to draws from `seed` on; returns them. */
function drawWeights(layer: pc.Recurrent, seed: number): Weights {
  const variables = [layer.kernel!, layer.recurrentKernel!, layer.bias!];
  const [kernel, recurrent, bias] = variables.map((v, i) => draws(v.size, seed + i, -0.7, 0.7));
  pc.tidy(() => variables.forEach((v, i) => v.assign(pc.tensor([kernel, recurrent, bias][i]!, v.shape))));
  return { kernel: kernel!, recurrent: recurrent!, bias: bias! };
}

/** A Bidirectional for the case, built for SHAPE, both directions' weights set to draws. */
function builtBidirectional(c: WrapperCase): { layer: pc.Bidirectional<boolean, pc.BidirectionalMergeMode | null>; forward: Weights; backward: Weights } {
  const wrapped = recurrentLayer(c.kind, { returnSequences: c.returnSequences, goBackwards: c.goBackwards ?? false, returnState: c.returnState ?? false });
  const layer = new pc.Bidirectional(wrapped, { mergeMode: c.mergeMode });
  layer.ensureBuilt([...SHAPE]);
  return { layer, forward: drawWeights(layer.forwardLayer, 10), backward: drawWeights(layer.backwardLayer, 20) };
}

const FORWARD_CASES: WrapperCase[] = (['SimpleRNN', 'LSTM', 'GRU'] as const).flatMap((kind) => [
  ...(['concat', 'sum', 'mul', 'ave', null] as const).flatMap((mergeMode) => [true, false].map((returnSequences) => ({ kind, mergeMode, returnSequences }))),
  ...(['concat', null] as const).flatMap((mergeMode) => [true, false].map((returnSequences) => ({ kind, mergeMode, returnSequences, returnState: true }))),
]);
FORWARD_CASES.push({ kind: 'SimpleRNN', mergeMode: 'concat', returnSequences: true, goBackwards: true });
FORWARD_CASES.push({ kind: 'LSTM', mergeMode: null, returnSequences: true, returnState: true, goBackwards: true });

const GRADIENT_CASES: WrapperCase[] = [
  { kind: 'SimpleRNN', mergeMode: 'concat', returnSequences: true },
  { kind: 'LSTM', mergeMode: 'mul', returnSequences: false },
  { kind: 'GRU', mergeMode: 'ave', returnSequences: true },
  { kind: 'LSTM', mergeMode: 'sum', returnSequences: true, goBackwards: true },
  { kind: 'LSTM', mergeMode: null, returnSequences: true, returnState: true },
  { kind: 'GRU', mergeMode: 'sum', returnSequences: false, returnState: true },
];

/** Through both outputs and the final states, through one merged last state, and through a goBackwards pair. */
const STATE_GRADIENT_CASES: WrapperCase[] = [
  { kind: 'LSTM', mergeMode: null, returnSequences: true, returnState: true },
  { kind: 'GRU', mergeMode: 'concat', returnSequences: false },
  { kind: 'SimpleRNN', mergeMode: 'ave', returnSequences: true, goBackwards: true },
];

const caseName = (c: WrapperCase) => `Bidirectional(${c.kind}${c.goBackwards ? ' goBackwards' : ''}${c.returnState ? ' returnState' : ''}) ${c.mergeMode}, ${c.returnSequences ? 'sequences' : 'last state'}`;

/** The shapes Keras 3 gives the case's outputs, in order, batch first. */
function expectedShapes(c: WrapperCase, batch: number | null): (number | null)[][] {
  const row = (units: number) => (c.returnSequences ? [batch, SHAPE[1], units] : [batch, units]);
  const outputs = c.mergeMode === null ? [row(UNITS), row(UNITS)] : [row(c.mergeMode === 'concat' ? 2 * UNITS : UNITS)];
  const states = c.returnState ? new Array<(number | null)[]>(2 * STATE_COUNT[c.kind]).fill([batch, UNITS]) : [];
  return [...outputs, ...states];
}

/** Both directions' initial states, [batch, units] each, in the order Bidirectional takes them: the forward layer's, then the backward one's. */
function drawInitialStates(c: WrapperCase, seed: number): number[][] {
  return Array.from({ length: 2 * STATE_COUNT[c.kind] }, (_, k) => draws(SHAPE[0] * UNITS, seed + k, -1, 1));
}

const stateTensors = (states: readonly number[][]): pc.Tensor[] => states.map((values) => pc.tensor(values, [SHAPE[0], UNITS]));

/** What a layer returns, as a list. */
const listOf = (output: pc.LayerOutput): pc.Tensor[] => (Array.isArray(output) ? output : [output]);

const recordError = errorRecorder('wrappers');

/** Dense(units, tanh) on the last axis of x, in float64. */
function denseReference(x: readonly number[], features: number, kernel: readonly number[], bias: readonly number[]): number[] {
  const units = bias.length;
  return Array.from({ length: x.length / features }, (_, row) => bias.map((b, j) => {
    const inputs = x.slice(row * features, (row + 1) * features);
    return Math.tanh(inputs.reduce((s, v, k) => s + v * kernel[k * units + j]!, b));
  })).flat();
}

/** A TimeDistributed(Dense(units, tanh)) built for `shape`, its weights set to draws. */
function timeDistributedDense(shape: readonly number[], units: number): { layer: pc.TimeDistributed; dense: pc.Dense; kernel: number[]; bias: number[] } {
  const dense = new pc.Dense(units, { activation: 'tanh' });
  const layer = new pc.TimeDistributed(dense);
  layer.ensureBuilt([...shape]);
  const [kernel, bias] = [draws(dense.kernel!.size, 30, -0.8, 0.8), draws(units, 31, -0.5, 0.5)];
  pc.tidy(() => {
    dense.kernel!.assign(pc.tensor(kernel, dense.kernel!.shape));
    dense.bias!.assign(pc.tensor(bias, [units]));
  });
  return { layer, dense, kernel, bias };
}

/** n sequences of `timesteps` tokens in [0, vocabulary) (int32), and a class from the first and last token together. */
function firstAndLastTokenTask(n: number, timesteps: number, vocabulary: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const tokens = Int32Array.from({ length: n * timesteps }, () => Math.floor(generator.nextFloat() * vocabulary));
  const labels = Int32Array.from({ length: n }, (_, i) => tokens[i * timesteps]! * vocabulary + tokens[(i + 1) * timesteps - 1]!);
  return { x: pc.tensor(tokens, [n, timesteps], 'int32'), y: pc.tensor(labels, [n], 'int32') };
}

/**
 * A Bidirectional(LSTM) encoder returning both sequences and the four final states; the sum of
 * the sequences is read by a GRU started from the two directions' h side by side, then a Dense.
 */
function bidirectionalEncoder() {
  const input = pc.Input({ shape: [5, 2] });
  const bi = new pc.Bidirectional(new pc.LSTM(3, { returnSequences: true, returnState: true }), { mergeMode: null });
  const returned = bi.apply(input);
  const [forward, backward, forwardH, , backwardH] = returned;
  const start = new pc.Concatenate().apply([forwardH, backwardH]);
  const read = new pc.GRU(6).apply([new pc.Add().apply([forward, backward]), start]);
  return { model: new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(read) }), bi, returned };
}

/**
 * Source tokens [n, 5] and decoder tokens [n, 3], each in [0, vocabulary) (int32), and a class
 * that needs both: the source's first token and the decoder's last together.
 */
function sourceAndDecoderTokenTask(n: number, vocabulary: number, seed: number): { x: [pc.Tensor, pc.Tensor]; y: pc.Tensor } {
  const source = firstAndLastTokenTask(n, 5, vocabulary, seed).x;
  const decoderTokens = firstAndLastTokenTask(n, 3, vocabulary, seed + 1).x;
  const [first, last] = [source.dataSync(), decoderTokens.dataSync()];
  const labels = Int32Array.from({ length: n }, (_, i) => first[i * 5]! * vocabulary + last[i * 3 + 2]!);
  return { x: [source, decoderTokens], y: pc.tensor(labels, [n], 'int32') };
}

/**
 * An encoder–decoder: the source tokens [n, 5] embedded and read by an encoder
 * Bidirectional(LSTM); the decoder tokens [n, 3] embedded and read by a decoder
 * Bidirectional(LSTM), each direction starting from the encoder's final states for that
 * direction; then a softmax over the vocabulary² classes of sourceAndDecoderTokenTask.
 */
function bidirectionalEncoderDecoder(vocabulary: number) {
  const [source, decoderTokens] = [pc.Input({ shape: [5], dtype: 'int32', name: 'source' }), pc.Input({ shape: [3], dtype: 'int32', name: 'decoder_tokens' })];
  const embedding = new pc.Embedding({ inputDim: vocabulary, outputDim: 4 });
  const encoder = new pc.Bidirectional(new pc.LSTM(8, { returnState: true }), { name: 'encoder' });
  const decoder = new pc.Bidirectional(new pc.LSTM(8), { name: 'decoder' });
  const [, ...states] = encoder.apply(embedding.apply(source));
  const decoderSequence = embedding.apply(decoderTokens);
  const head = new pc.Dense(vocabulary * vocabulary, { activation: 'softmax' });
  const model = new pc.Model({ inputs: [source, decoderTokens], outputs: head.apply(decoder.apply([decoderSequence, ...states])) });
  return { model, embedding, encoder, decoder, head, decoderSequence, states };
}

for (const backend of MODEL_BACKENDS) {
  describe(`layer wrappers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    const xValues = draws(SHAPE[0] * SHAPE[1] * SHAPE[2], 1, -1.5, 1.5);

    it.each(FORWARD_CASES.map((c) => [caseName(c), c] as const))('%s: forward, from zeros and from given initial states, matches the float64 computation', (_, c) => {
      const { layer, forward, backward } = builtBidirectional(c);
      const symbolic = expectedShapes(c, null);
      for (const initial of [[], drawInitialStates(c, 40)]) {
        const returned = pc.tidy(() => layer.apply([pc.tensor(xValues, [...SHAPE]), ...stateTensors(initial)]));
        const outputs = listOf(returned);
        expect(Array.isArray(returned)).toBe(c.mergeMode === null || c.returnState === true);
        expect(outputs.map((t) => t.shape)).toEqual(expectedShapes(c, SHAPE[0]));
        expect(layer.computeOutputShape([[null, SHAPE[1], SHAPE[2]], ...initial.map(() => [null, UNITS])])).toEqual(symbolic.length === 1 ? symbolic[0] : symbolic);
        const want = bidirectionalReference(c, xValues, forward, backward, initial);
        const start = initial.length > 0 ? ' from initial states' : '';
        outputs.forEach((y, k) => {
          recordError((k === 0 || (k === 1 && c.mergeMode === null) ? 'Bidirectional forward values' : 'Bidirectional final states') + start, y.dataSync(), want[k]!);
          expectClose(y.dataSync(), want[k]!, 1e-5, 1e-6);
        });
        pc.dispose(outputs);
      }
      // The sequence's shape alone, not in a list, as a layer that reads one input is given it.
      expect(layer.computeOutputShape([null, SHAPE[1], SHAPE[2]])).toEqual(symbolic.length === 1 ? symbolic[0] : symbolic);
      layer.dispose();
    });

    it.each(GRADIENT_CASES.map((c) => [caseName(c), c] as const))('%s: gradients w.r.t. input, backward kernel and forward recurrent kernel match central finite differences', (_, c) => {
      const { layer, forward, backward } = builtBidirectional(c);
      const x = pc.tensor(xValues, [...SHAPE]);
      const flat = (moved: number[], f: Weights, b: Weights) => bidirectionalReference(c, moved, f, b).flat();
      const w = draws(flat(xValues, forward, backward).length, 2, -1, 1);
      const got = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        const loss = tape.record(() => pc.sum(pc.mul(pc.concat(listOf(layer.apply(x)).map((t) => pc.reshape(t, [-1]))), pc.tensor(w))));
        return tape.gradient(loss, [x, layer.backwardLayer.kernel!, layer.forwardLayer.recurrentKernel!]).map((g) => Array.from(g!.dataSync()));
      });
      const want = [
        finiteDifferences(xValues, w, (moved) => flat(moved, forward, backward)),
        finiteDifferences(backward.kernel, w, (kernel) => flat(xValues, forward, { ...backward, kernel })),
        finiteDifferences(forward.recurrent, w, (recurrent) => flat(xValues, { ...forward, recurrent }, backward)),
      ];
      ['input', 'backward kernel', 'forward recurrent kernel'].forEach((name, k) => {
        recordError(`Bidirectional gradient w.r.t. ${name}`, got[k]!, want[k]!);
        expectClose(got[k]!, want[k]!, 1e-4, 2e-5);
      });
      x.dispose();
      layer.dispose();
    });

    it.each(STATE_GRADIENT_CASES.map((c) => [caseName(c), c] as const))("%s: gradients w.r.t. both directions' initial states match central finite differences", (_, c) => {
      const { layer, forward, backward } = builtBidirectional(c);
      const x = pc.tensor(xValues, [...SHAPE]);
      const initial = drawInitialStates(c, 40);
      const states = stateTensors(initial);
      const flat = (moved: number[][]) => bidirectionalReference(c, xValues, forward, backward, moved).flat();
      const w = draws(flat(initial).length, 2, -1, 1);
      const got = pc.tidy(() => {
        const tape = new pc.GradientTape();
        for (const s of states) tape.watch(s);
        const loss = tape.record(() => pc.sum(pc.mul(pc.concat(listOf(layer.apply([x, ...states])).map((t) => pc.reshape(t, [-1]))), pc.tensor(w))));
        return tape.gradient(loss, states).map((g) => Array.from(g!.dataSync()));
      });
      initial.forEach((values, k) => {
        const want = finiteDifferences(values, w, (moved) => flat(initial.map((other, j) => (j === k ? moved : other))));
        recordError('Bidirectional gradient w.r.t. the initial states', got[k]!, want);
        expectClose(got[k]!, want, 1e-4, 2e-5);
      });
      pc.dispose([x, ...states]);
      layer.dispose();
    });

    it("Bidirectional: fresh forward_/backward_ copies of the layer, Keras 3's weight order, a given backward layer used as it is", () => {
      const lstm = new pc.LSTM(2, { name: 'words', returnSequences: true });
      const bi = new pc.Bidirectional(lstm);
      bi.ensureBuilt([1, 3, 4]);
      expect(bi.weights.map((v) => `${v.name} ${JSON.stringify(v.shape)}`)).toEqual([
        'forward_words/kernel [4,8]', 'forward_words/recurrent_kernel [2,8]', 'forward_words/bias [8]',
        'backward_words/kernel [4,8]', 'backward_words/recurrent_kernel [2,8]', 'backward_words/bias [8]',
      ]);
      expect([bi.forwardLayer.goBackwards, bi.backwardLayer.goBackwards, bi.backwardLayer.returnSequences]).toEqual([false, true, true]);
      // The wrapped instance only lends its config, as in Keras 3: it stays unbuilt and untracked.
      expect(lstm.built).toBe(false);
      expect(bi.childLayers).toEqual([bi.forwardLayer, bi.backwardLayer]);
      const backwardLayer = new pc.GRU(3, { name: 'reader', goBackwards: true, activation: 'relu' });
      const custom = new pc.Bidirectional(new pc.GRU(2, { name: 'g' }), { backwardLayer });
      expect(custom.backwardLayer).toBe(backwardLayer);
      expect(custom.computeOutputShape([null, 5, 4])).toEqual([null, 5]);
      for (const layer of [bi, custom]) layer.dispose();
    });

    it('TimeDistributed(Dense): every time slice through the same weights, values and gradients against float64', () => {
      const shape = [2, 3, 4];
      const { layer, dense, kernel, bias } = timeDistributedDense(shape, 5);
      const values = draws(24, 3, -1.5, 1.5);
      const x = pc.tensor(values, shape);
      const w = draws(30, 4, -1, 1);
      const { y, grads } = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        let output: pc.Tensor | undefined;
        const loss = tape.record(() => pc.sum(pc.mul(pc.reshape((output = layer.apply(x)), [-1]), pc.tensor(w))));
        return { y: pc.keep(output!), grads: tape.gradient(loss, [x, dense.kernel!]).map((g) => Array.from(g!.dataSync())) };
      });
      expect(y.shape).toEqual([2, 3, 5]);
      const want = denseReference(values, 4, kernel, bias);
      recordError('TimeDistributed(Dense) values', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-6, 1e-7);
      const wantGrads = [
        finiteDifferences(values, w, (moved) => denseReference(moved, 4, kernel, bias)),
        finiteDifferences(kernel, w, (k) => denseReference(values, 4, k, bias)),
      ];
      ['input', 'kernel'].forEach((name, k) => {
        recordError(`TimeDistributed(Dense) gradient w.r.t. ${name}`, grads[k]!, wantGrads[k]!);
        expectClose(grads[k]!, wantGrads[k]!, 1e-5, 1e-6);
      });
      expect(layer.weights).toEqual(dense.weights);
      pc.dispose([x, y]);
      layer.dispose();
    });

    it('TimeDistributed: output shapes of Flatten, Reshape, Dense, Dropout, LSTM and Bidirectional on [batch, timesteps, ...]', () => {
      const x = pc.tensor(draws(2 * 3 * 4 * 5, 5, -1, 1), [2, 3, 4, 5]);
      const cases: [pc.Layer, number[]][] = [
        [new pc.Flatten(), [2, 3, 20]],
        [new pc.Reshape([5, 2, 2]), [2, 3, 5, 2, 2]],
        [new pc.Dense(6), [2, 3, 4, 6]],
        [new pc.Dropout({ rate: 0.5 }), [2, 3, 4, 5]],
        [new pc.LSTM(2), [2, 3, 2]],
        [new pc.Bidirectional(new pc.GRU(2, { returnSequences: true })), [2, 3, 4, 4]],
      ];
      for (const [inner, shape] of cases) {
        const layer = new pc.TimeDistributed(inner);
        const y = pc.tidy(() => layer.apply(x, { training: false }));
        expect(y.shape).toEqual(shape);
        expect(layer.computeOutputShape([null, 3, 4, 5])).toEqual([null, ...shape.slice(1)]);
        // Each time slice through the inner layer alone gives that slice of the output.
        const slice = pc.tidy(() => Array.from((inner.apply(pc.squeeze(pc.slice(x, [0, 1, 0, 0], [-1, 1, -1, -1]), 1), { training: false }) as pc.Tensor).dataSync()));
        const ofOutput = pc.tidy(() => Array.from(pc.slice(y, [0, 1], [-1, 1]).dataSync()));
        expectClose(ofOutput, slice, 1e-6, 1e-7);
        y.dispose();
        layer.dispose();
      }
      x.dispose();
    });

    it('both wrappers on symbolic tensors inside a functional model: shapes, then the same values as the layers applied by hand', () => {
      const [timesteps, features] = [5, 3];
      const input = pc.Input({ shape: [timesteps, features] });
      const distributed = new pc.TimeDistributed(new pc.Dense(4, { activation: 'relu' }));
      const bi = new pc.Bidirectional(new pc.SimpleRNN(3, { returnSequences: true }), { mergeMode: 'sum' });
      const perStep = distributed.apply(input);
      const output = bi.apply(perStep);
      expect([perStep.shape, output.shape]).toEqual([[null, timesteps, 4], [null, timesteps, 3]]);
      const model = new pc.Model({ inputs: input, outputs: output });
      expect(model.weights.map((v) => v.name)).toEqual([...distributed.weights, ...bi.weights].map((v) => v.name));
      const x = pc.tensor(draws(2 * timesteps * features, 6, -1, 1), [2, timesteps, features]);
      const [predicted, byHand] = [model.predict(x) as pc.Tensor, pc.tidy(() => bi.apply(distributed.apply(x)))];
      expect(predicted.shape).toEqual([2, timesteps, 3]);
      expect(Array.from(predicted.dataSync())).toEqual(Array.from(byHand.dataSync()));
      pc.dispose([x, predicted, byHand]);
      model.dispose();
    });

    it('Bidirectional(LSTM) with mergeMode null and returnState on symbolic tensors: one per output and state, which a functional model can use; saved and loaded with the same predictions', async () => {
      const { model, bi, returned } = bidirectionalEncoder();
      expect(returned.map((t) => [t.shape, t.index])).toEqual([
        [[null, 5, 3], 0], [[null, 5, 3], 1], [[null, 3], 2], [[null, 3], 3], [[null, 3], 4], [[null, 3], 5],
      ]);
      expect(bi.outputShape).toEqual(returned.map((t) => t.shape));
      const x = pc.tensor(draws(2 * 5 * 2, 7, -1, 1), [2, 5, 2]);
      await expectSaveLoadRoundTrip(model, x, [bi]);
      x.dispose();
      model.dispose();
    });

    it("an encoder Bidirectional(LSTM)'s four final states start a decoder Bidirectional(LSTM) reading its own input in a functional model of two inputs, which replays the layers applied by hand, learns with fit, and saves and loads", async () => {
      const vocabulary = 3;
      const { x, y } = sourceAndDecoderTokenTask(128, vocabulary, 33);
      const { model, embedding, encoder, decoder, head, decoderSequence, states } = bidirectionalEncoderDecoder(vocabulary);
      expect([decoderSequence, ...states].map((t) => t.shape)).toEqual([[null, 3, 4], [null, 8], [null, 8], [null, 8], [null, 8]]);
      expect(decoder.input).toEqual([decoderSequence, ...states]);
      expect(decoder.outputShape).toEqual([null, 16]);
      // The graph replays the layers applied by hand, the decoder starting from the encoder's
      // states (which changes what it computes: from zeros it gives other values).
      const [byHand, fromZeros] = pc.tidy(() => {
        const [, ...final] = encoder.apply(embedding.apply(x[0]));
        const read = embedding.apply(x[1]);
        return [head.apply(decoder.apply([read, ...final])), head.apply(decoder.apply(read))];
      });
      const predicted = model.predict(x) as pc.Tensor;
      expect(Array.from(predicted.dataSync())).toEqual(Array.from(byHand.dataSync()));
      expect(Array.from(fromZeros.dataSync())).not.toEqual(Array.from(byHand.dataSync()));

      model.compile({ optimizer: new pc.Adam({ learningRate: 0.03 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(0.1 * losses[0]!);
      await expectSaveLoadRoundTrip(model, x, [encoder, decoder]);
      pc.dispose([...x, y, byHand, fromZeros, predicted]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    it('a training step through a Bidirectional that returns both outputs and its states leaves no tensor behind', () => {
      const { model } = bidirectionalEncoder();
      const x = pc.tensor(draws(2 * 5 * 2, 8, -1, 1), [2, 5, 2]);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });

    it('Embedding → Bidirectional(LSTM) → Dense learns to name the first and last tokens together with fit', async () => {
      const vocabulary = 3;
      const { x, y } = firstAndLastTokenTask(128, 5, vocabulary, 31);
      const model = new pc.Sequential([
        pc.Input({ shape: [5], dtype: 'int32' }),
        new pc.Embedding({ inputDim: vocabulary, outputDim: 4 }),
        new pc.Bidirectional(new pc.LSTM(8)),
        new pc.Dense(vocabulary * vocabulary, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.03 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 12, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(0.2 * losses[0]!);
      expect(history.history['accuracy']!.at(-1)!).toBeGreaterThan(0.9);
      pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    it('save -> loadModel restores both wrappers, their inner layers, weights and predictions; configs round trip', async () => {
      const { x } = firstAndLastTokenTask(6, 4, 5, 32);
      const model = new pc.Sequential([
        pc.Input({ shape: [4], dtype: 'int32' }),
        new pc.Embedding({ inputDim: 5, outputDim: 3 }),
        new pc.Bidirectional(new pc.LSTM(3, { returnSequences: true, recurrentRegularizer: 'l2' }), { mergeMode: 'ave' }),
        new pc.TimeDistributed(new pc.Dense(2, { activation: 'tanh' })),
        new pc.Bidirectional(new pc.GRU(2, { resetAfter: false }), { backwardLayer: new pc.GRU(3, { goBackwards: true, activation: 'relu' }) }),
        new pc.Dense(1),
      ]);
      await expectSaveLoadRoundTrip(model, x, model.layers.slice(1, 4));
      x.dispose();
      model.dispose();
    });

    it('a training step leaves no tensor behind', () => {
      const model = new pc.Sequential([
        new pc.Embedding({ inputDim: 5, outputDim: 3, inputShape: [4] }),
        new pc.Bidirectional(new pc.GRU(2, { returnSequences: true }), { mergeMode: 'mul' }),
        new pc.TimeDistributed(new pc.Dense(3)),
        new pc.Bidirectional(new pc.LSTM(2)),
        new pc.Dense(1),
      ]);
      const x = pc.tensor([0, 1, 2, 3, 4, 3, 2, 1], [2, 4], 'int32');
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });

    it('bad configs and inputs are errors naming the layer, what it expected and what it got', () => {
      const lstm = new pc.LSTM(2, { name: 'l' });
      expect(() => new pc.Bidirectional(new pc.Dense(2, { name: 'd' }) as unknown as pc.Recurrent, { name: 'b1' }))
        .toThrow("Bidirectional 'b1': expected the wrapped layer to be a recurrent layer (SimpleRNN, LSTM, GRU), got Dense 'd'");
      expect(() => new pc.Bidirectional(lstm, { name: 'b2', mergeMode: 'max' as pc.BidirectionalMergeMode }))
        .toThrow(`Bidirectional 'b2': mergeMode must be one of 'concat', 'sum', 'mul', 'ave' or null, got "max"`);
      expect(() => new pc.Bidirectional(lstm, { name: 'b3', backwardLayer: new pc.LSTM(2, { name: 'r', goBackwards: true, returnState: true }) }))
        .toThrow("Bidirectional 'b3': expected the forward and backward layers to agree on returnState, got returnState false (forward 'forward_l') and true (backward 'r')");
      expect(() => new pc.Bidirectional(lstm, { name: 'b4', backwardLayer: new pc.LSTM(2, { name: 'r' }) }))
        .toThrow("Bidirectional 'b4': expected the forward and backward layers to read in opposite directions, got goBackwards false (forward 'forward_l') and false (backward 'r')");
      expect(() => new pc.Bidirectional(lstm, { name: 'b5', backwardLayer: new pc.LSTM(2, { name: 'r', goBackwards: true, returnSequences: true }) }))
        .toThrow("Bidirectional 'b5': expected the forward and backward layers to agree on returnSequences, got returnSequences false (forward 'forward_l') and true (backward 'r')");
      expect(() => new pc.Bidirectional(lstm, { name: 'b6', mergeMode: 'sum', backwardLayer: new pc.LSTM(3, { name: 'r', goBackwards: true }) }))
        .toThrow("Bidirectional 'b6': mergeMode 'sum' combines outputs elementwise, so it expects layers of as many units, got units 2 (forward 'forward_l') and 3 (backward 'r')");
      expect(() => new pc.Bidirectional(lstm, { name: 'b7', backwardLayer: 'gru' as unknown as pc.Recurrent }))
        .toThrow(`Bidirectional 'b7': expected backwardLayer to be a recurrent layer (SimpleRNN, LSTM, GRU), got "gru"`);
      expect(() => new pc.TimeDistributed(3 as unknown as pc.Layer, { name: 't1' })).toThrow("TimeDistributed 't1': expected a Layer to apply to each timestep, got 3");
      const flat = pc.ones([2, 3]);
      expect(() => new pc.TimeDistributed(new pc.Dense(2), { name: 't2' }).apply(flat)).toThrow("TimeDistributed 't2': expected inputs of rank 3 or more ([batch, timesteps, ...]), got shape [2,3]");
      expect(() => new pc.Bidirectional(lstm).apply(flat)).toThrow("LSTM 'forward_l': expected inputs of rank 3 ([batch, timesteps, features]), got shape [2,3]");
      expect(() => pc.Bidirectional.fromConfig(pc.Bidirectional as pc.LayerClass, { mergeMode: 'sum' })).toThrow('Bidirectional.fromConfig: expected config.layer, the serialized forward layer, got none');
      expect(() => new pc.Sequential([pc.Input({ shape: [3, 4] }), new pc.Bidirectional(lstm, { name: 'pair', mergeMode: null })]))
        .toThrow("expected layer 'pair' to return one tensor, got a list of 2; use a functional model (new Model({inputs, outputs})) for layers of several outputs");
      flat.dispose();
    });

    it('wrong initial states for a Bidirectional are errors naming the layer, what it expected and what it got, and leave it unbuilt', () => {
      const x = pc.ones([2, 3, 4]);
      const [h2, h3, wide] = [pc.ones([2, 2]), pc.ones([3, 2]), pc.ones([2, 3])];
      const lstm = new pc.LSTM(2, { name: 'l' });
      const lstmStates = '4 initial states (forward h, forward c, backward h, backward c) after the sequence, or none';
      const b1 = new pc.Bidirectional(lstm, { name: 'b1' });
      expect(() => b1.apply([x, h2, h2, h2])).toThrow(`Bidirectional 'b1': expected ${lstmStates}, got 3`);
      expect(b1.built).toBe(false);
      expect(() => new pc.Bidirectional(lstm, { name: 'b4' }).apply([x, h2, h2])).toThrow(`Bidirectional 'b4': expected ${lstmStates}, got 2`);
      expect(() => new pc.Bidirectional(new pc.GRU(2, { name: 'g' }), { name: 'b5' }).apply([x, h2, h2, h2, h2]))
        .toThrow("Bidirectional 'b5': expected 2 initial states (forward h, backward h) after the sequence, or none, got 4");
      const b6 = new pc.Bidirectional(lstm, { name: 'b6' });
      expect(() => b6.apply([x, h2, h2, h2, h3])).toThrow("Bidirectional 'b6': expected initial state backward c of shape [batch, units] = [2,2], got [3,2]");
      expect(b6.built).toBe(false);
      expect(() => new pc.Bidirectional(new pc.SimpleRNN(2, { name: 's' }), { name: 'b7' }).apply([x, wide, h2]))
        .toThrow("Bidirectional 'b7': expected initial state forward h of shape [batch, units] = [2,2], got [2,3]");
      // A backward layer of its own: its half is split after the forward layer's states and checked against its units.
      const mixed = new pc.Bidirectional(lstm, { name: 'b8', backwardLayer: new pc.GRU(3, { goBackwards: true, name: 'r' }) });
      expect(() => mixed.apply([x, h2, h2, h2])).toThrow("Bidirectional 'b8': expected initial state backward h of shape [batch, units] = [2,3], got [2,2]");
      expect(() => new pc.Bidirectional(lstm, { name: 'b2' }).apply(x, { initialState: [h2, h2, h2, h2] }))
        .toThrow("Bidirectional 'b2': expected the initial states in the inputs list, apply([sequence, forward h, forward c, backward h, backward c]), got them as kwargs.initialState");
      // On symbolic tensors the batch is unknown; the error comes when the call is recorded.
      const [sequence, state] = [pc.Input({ shape: [3, 4] }), pc.Input({ shape: [5] })];
      expect(() => new pc.Bidirectional(lstm, { name: 'b3' }).apply([sequence, state])).toThrow(`Bidirectional 'b3': expected ${lstmStates}, got 1`);
      expect(() => new pc.Bidirectional(new pc.GRU(2, { name: 'sg' }), { name: 'b9' }).apply([sequence, state, state]))
        .toThrow("Bidirectional 'b9': expected initial state forward h of shape [batch, units] = [-1,2] (-1: any), got [-1,5] (-1: any)");
      pc.dispose([x, h2, h3, wide]);
    });
  });
}
