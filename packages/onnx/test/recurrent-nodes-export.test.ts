// Each call of an LSTM, GRU or SimpleRNN layer leaves as one ONNX LSTM, GRU or RNN node (the
// sequence transposed to [seq, batch, features], the kernels reordered into W, R and B, the
// returned values taken from Y, Y_h and Y_c) rather than unrolled step by step: every direction,
// returnSequences, returnState, initial states given in the inputs list, both GRU resets, no bias,
// the activations ONNX has, and a Bidirectional's two layers as one node of both directions. With weights drawn at random
// (biases too, so that a wrong split of a GRU's two biases shows), onnxruntime and the
// re-imported model agree with predict on every backend at batch sizes the exporter did not trace.
// A call the node cannot express (a mask, an activation ONNX lacks) keeps its parts, which export.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { graphOf } from './decoded-graph.js';
import { expectExportMatchesPredict, sampleBatch } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const TIMESTEPS = 5;
const FEATURES = 3;
const SAMPLE = [TIMESTEPS, FEATURES];
const BATCHES = [1, 7];

interface Attribute { name: string; i?: number; strings?: Uint8Array[]; s?: Uint8Array; floats?: number[] }
interface Node { opType: string; input: string[]; output: string[]; attribute: Attribute[] }
const nodesOf = (bytes: Uint8Array) => graphOf(bytes).node as Node[];
const RECURRENT = ['LSTM', 'GRU', 'RNN'];

/** A recurrent node's settings, as the tests name them: op, direction, hidden size, activations, GRU's linear_before_reset. */
function settingsOf(node: Node): (string | number)[] {
  const find = (name: string) => node.attribute.find((a) => a.name === name);
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const settings = [node.opType, text(find('direction')!.s!), find('hidden_size')!.i!, (find('activations')!.strings ?? []).map(text).join(',')];
  return node.opType === 'GRU' ? [...settings, find('linear_before_reset')!.i ?? 0] : settings;
}

const sequential = (...layers: pc.Layer[]) => () => new pc.Sequential([pc.Input({ shape: SAMPLE }), ...layers]);

interface Case {
  title: string;
  make(): pc.Model;
  /** Each recurrent node's settings (settingsOf), in graph order. */
  nodes: (string | number)[][];
  /** The model's input at a batch size; default a batch of sequences [batch, TIMESTEPS, FEATURES]. */
  inputs?: (batch: number) => pc.Tensor | pc.Tensor[];
}

const CASES: Case[] = [
  {
    title: 'LSTM(4) → Dense',
    make: () => sequential(new pc.LSTM(4), new pc.Dense(2))(),
    nodes: [['LSTM', 'forward', 4, 'Sigmoid,Tanh,Tanh']],
  },
  {
    title: 'LSTM(4, sequences, goBackwards) → LSTM(3, relu, hardSigmoid gates, no bias) → Dense',
    make: () => sequential(
      new pc.LSTM(4, { returnSequences: true, goBackwards: true }),
      new pc.LSTM(3, { activation: 'relu', recurrentActivation: 'hardSigmoid', useBias: false }),
      new pc.Dense(2),
    )(),
    nodes: [['LSTM', 'reverse', 4, 'Sigmoid,Tanh,Tanh'], ['LSTM', 'forward', 3, 'HardSigmoid,Relu,Relu']],
  },
  {
    title: 'GRU(4, sequences) → GRU(3, resetAfter false, goBackwards) → Dense',
    make: () => sequential(new pc.GRU(4, { returnSequences: true }), new pc.GRU(3, { resetAfter: false, goBackwards: true }), new pc.Dense(2))(),
    nodes: [['GRU', 'forward', 4, 'Sigmoid,Tanh', 1], ['GRU', 'reverse', 3, 'Sigmoid,Tanh', 0]],
  },
  {
    title: 'GRU(4, sequences, goBackwards, softsign, Keras 2 hard sigmoid gates) → GRU(3, resetAfter false, no bias, elu) → Dense',
    make: () => sequential(
      new pc.GRU(4, { returnSequences: true, goBackwards: true, activation: 'softsign', recurrentActivation: 'hardSigmoidKeras2' }),
      new pc.GRU(3, { resetAfter: false, useBias: false, activation: 'elu' }),
      new pc.Dense(2),
    )(),
    nodes: [['GRU', 'reverse', 4, 'HardSigmoid,Softsign', 1], ['GRU', 'forward', 3, 'Sigmoid,Elu', 0]],
  },
  {
    title: 'SimpleRNN(4, sequences) → SimpleRNN(4, sequences, goBackwards, relu) → SimpleRNN(3, linear) → Dense',
    make: () => sequential(
      new pc.SimpleRNN(4, { returnSequences: true }),
      new pc.SimpleRNN(4, { returnSequences: true, goBackwards: true, activation: 'relu' }),
      new pc.SimpleRNN(3, { activation: 'linear' }),
      new pc.Dense(2),
    )(),
    nodes: [['RNN', 'forward', 4, 'Tanh'], ['RNN', 'reverse', 4, 'Relu'], ['RNN', 'forward', 3, 'Affine']],
  },
  {
    // returnState: the states leave as outputs and start other layers; softplus and leakyRelu too.
    title: 'LSTM(returnState, goBackwards) → [h, c] start an LSTM(sequences) → GRU(returnState, softplus) → its h starts a SimpleRNN(leakyRelu); outputs: the sequence, c, h, the SimpleRNN',
    make: () => {
      const x = pc.Input({ shape: SAMPLE });
      const [, h, c] = new pc.LSTM(4, { returnState: true, goBackwards: true }).apply(x) as pc.SymbolicTensor[];
      const sequence = new pc.LSTM(4, { returnSequences: true }).apply([x, h!, c!]) as pc.SymbolicTensor;
      const [last, gruH] = new pc.GRU(4, { returnState: true, returnSequences: true, activation: 'softplus' }).apply(sequence) as pc.SymbolicTensor[];
      const simple = new pc.SimpleRNN(4, { activation: 'leakyRelu' }).apply([last!, gruH!]) as pc.SymbolicTensor;
      return new pc.Model({ inputs: x, outputs: [sequence, c!, gruH!, simple] });
    },
    nodes: [['LSTM', 'reverse', 4, 'Sigmoid,Tanh,Tanh'], ['LSTM', 'forward', 4, 'Sigmoid,Tanh,Tanh'], ['GRU', 'forward', 4, 'Sigmoid,Softplus', 1], ['RNN', 'forward', 4, 'LeakyRelu']],
  },
  {
    // Initial states as graph inputs; one layer called on two sequences is a node per call.
    title: 'inputs x, y, h0 → GRU(3, resetAfter false, sequences) from h0 → GRU(3) from h0; one SimpleRNN(3) on x and on y',
    make: () => {
      const [x, y, h0] = [pc.Input({ shape: SAMPLE }), pc.Input({ shape: SAMPLE }), pc.Input({ shape: [3] })];
      const before = new pc.GRU(3, { resetAfter: false, returnSequences: true }).apply([x, h0]) as pc.SymbolicTensor;
      const after = new pc.GRU(3).apply([x, h0]) as pc.SymbolicTensor;
      const shared = new pc.SimpleRNN(3);
      return new pc.Model({ inputs: [x, y, h0], outputs: [before, after, shared.apply(x) as pc.SymbolicTensor, shared.apply(y) as pc.SymbolicTensor] });
    },
    nodes: [['GRU', 'forward', 3, 'Sigmoid,Tanh', 0], ['GRU', 'forward', 3, 'Sigmoid,Tanh', 1], ['RNN', 'forward', 3, 'Tanh'], ['RNN', 'forward', 3, 'Tanh']],
    inputs: (batch) => [sampleBatch(SAMPLE, batch, 100 + batch), sampleBatch(SAMPLE, batch, 200 + batch), sampleBatch([3], batch, 300 + batch)],
  },
  {
    // Both directions one node, the backward sequence in time order as ONNX gives it; the merge stays ops.
    title: 'Bidirectional(LSTM(3, sequences), concat) → Bidirectional(GRU(3), sum) → Dense',
    make: () => sequential(
      new pc.Bidirectional(new pc.LSTM(3, { returnSequences: true })),
      new pc.Bidirectional(new pc.GRU(3), { mergeMode: 'sum' }),
      new pc.Dense(2),
    )(),
    nodes: [['LSTM', 'bidirectional', 3, 'Sigmoid,Tanh,Tanh,Sigmoid,Tanh,Tanh'], ['GRU', 'bidirectional', 3, 'Sigmoid,Tanh,Sigmoid,Tanh', 1]],
  },
  {
    title: 'Bidirectional(SimpleRNN(3, sequences), ave) → Bidirectional(LSTM(2, returnState), mul) → outputs: merged, forward c, backward h',
    make: () => {
      const x = pc.Input({ shape: SAMPLE });
      const averaged = new pc.Bidirectional(new pc.SimpleRNN(3, { returnSequences: true }), { mergeMode: 'ave' }).apply(x) as pc.SymbolicTensor;
      const [merged, , forwardC, backwardH] = new pc.Bidirectional(new pc.LSTM(2, { returnState: true }), { mergeMode: 'mul' }).apply(averaged) as pc.SymbolicTensor[];
      return new pc.Model({ inputs: x, outputs: [merged!, forwardC!, backwardH!] });
    },
    nodes: [['RNN', 'bidirectional', 3, 'Tanh,Tanh'], ['LSTM', 'bidirectional', 2, 'Sigmoid,Tanh,Tanh,Sigmoid,Tanh,Tanh']],
  },
  {
    // Initial states per direction. A wrapped layer reading backwards (its forward layer is ONNX's reverse direction) and a
    // backward layer of other units (concat allows it) keep a node per direction.
    title: 'inputs x, hForward, hBackward → Bidirectional(GRU(3, sequences, resetAfter false)) from them → Bidirectional(LSTM(2, goBackwards)) and Bidirectional(SimpleRNN(3), backward SimpleRNN(2, relu))',
    make: () => {
      const [x, forwardH, backwardH] = [pc.Input({ shape: SAMPLE }), pc.Input({ shape: [3] }), pc.Input({ shape: [3] })];
      const both = new pc.Bidirectional(new pc.GRU(3, { returnSequences: true, resetAfter: false })).apply([x, forwardH, backwardH]) as pc.SymbolicTensor;
      const backwards = new pc.Bidirectional(new pc.LSTM(2, { goBackwards: true })).apply(both) as pc.SymbolicTensor;
      const uneven = new pc.Bidirectional(new pc.SimpleRNN(3), { backwardLayer: new pc.SimpleRNN(2, { goBackwards: true, activation: 'relu' }) }).apply(both) as pc.SymbolicTensor;
      return new pc.Model({ inputs: [x, forwardH, backwardH], outputs: [both, backwards, uneven] });
    },
    nodes: [
      ['GRU', 'bidirectional', 3, 'Sigmoid,Tanh,Sigmoid,Tanh', 0],
      ['LSTM', 'reverse', 2, 'Sigmoid,Tanh,Tanh'], ['LSTM', 'forward', 2, 'Sigmoid,Tanh,Tanh'],
      ['RNN', 'forward', 3, 'Tanh'], ['RNN', 'reverse', 2, 'Relu'],
    ],
    inputs: (batch) => [sampleBatch(SAMPLE, batch, 100 + batch), sampleBatch([3], batch, 200 + batch), sampleBatch([3], batch, 300 + batch)],
  },
];

/** Calls the node cannot express keep their parts: no recurrent node, per-step products instead. */
const FALLBACKS: Case[] = [
  {
    // ONNX has no selu among its recurrent activations.
    title: 'LSTM(4, selu) → GRU(3, gelu gates) → Dense (unrolled)',
    make: () => sequential(new pc.LSTM(4, { activation: 'selu', returnSequences: true }), new pc.GRU(3, { recurrentActivation: 'gelu' }), new pc.Dense(2))(),
    nodes: [],
  },
  {
    // A mask may hold gaps, which sequence_lens cannot: both layers read it, so both stay unrolled.
    title: 'Masking → LSTM(4, sequences) → SimpleRNN(3, sequences) (masked, unrolled) → GlobalAveragePooling1D → Dense',
    make: () => sequential(
      new pc.Masking({ maskValue: 0.5 }),
      new pc.LSTM(4, { returnSequences: true }),
      new pc.SimpleRNN(3, { returnSequences: true }),
      new pc.GlobalAveragePooling1D(),
      new pc.Dense(2),
    )(),
    nodes: [],
    inputs: maskedBatch,
  },
];

/**
 * Every weight of `model` drawn uniformly from [-0.6, 0.6) by a seeded generator, so that biases
 * are not the zeros they start at and each gate's weights differ.
 */
function randomizeWeights(model: pc.Model, seed: number): void {
  const g = new pc.RandomGenerator(seed);
  for (const w of model.weights) pc.tidy(() => w.assign(pc.tensor(Float32Array.from({ length: w.size }, () => 1.2 * g.nextFloat() - 0.6), w.shape)));
}

/** A batch whose rows end in steps of 0.5 (Masking's value) from step 3 on in some rows, so that the mask holds. */
function maskedBatch(batch: number): pc.Tensor {
  return pc.tidy(() => {
    const x = sampleBatch(SAMPLE, batch, 100 + batch);
    const padded = pc.tensor(Array.from({ length: batch * TIMESTEPS }, (_, i) => (Math.floor(i / TIMESTEPS) % 2 === 0 && i % TIMESTEPS >= 3 ? 1 : 0)), [batch, TIMESTEPS, 1]);
    return pc.add(pc.mul(x, pc.sub(1, padded)), pc.mul(padded, 0.5));
  });
}

const logs = new Map([...CASES, ...FALLBACKS].map((c) => [c.title, new DifferenceLog(c.title)]));
afterAll(() => logs.forEach((log) => log.print()));

describe('the exported graph', () => {
  it.each(CASES.map((c) => [c.title, c] as const))('%s: one recurrent node per layer call, with its settings, and no step left unrolled', async (_, { make, nodes: expected }) => {
    await pc.setBackend('naive');
    pc.setSeed(5);
    const model = make();
    const nodes = nodesOf(exportOnnx(model));
    expect(nodes.filter((n) => RECURRENT.includes(n.opType)).map(settingsOf)).toEqual(expected);
    // The Dense after them is a Gemm; no product or gate activation of an unrolled step is left, nor the Concat of its
    // outputs, nor a Gather flipping a backward sequence.
    const unrolled = nodes.filter((n) => ['MatMul', 'Sigmoid', 'Tanh', 'Relu', 'Gather'].includes(n.opType) || (n.opType === 'Concat' && n.input.length === TIMESTEPS));
    expect(unrolled.map((n) => n.opType)).toEqual([]);
    model.dispose();
  });

  it('Embedding → LSTM(32) over 20 steps → Dense leaves as Gather, Transpose, LSTM, Squeeze, Gemm (356 nodes unrolled)', async () => {
    await pc.setBackend('naive');
    const model = new pc.Sequential([pc.Input({ shape: [20], dtype: 'int32' }), new pc.Embedding({ inputDim: 50, outputDim: 16 }), new pc.LSTM(32), new pc.Dense(4)]);
    const nodes = nodesOf(exportOnnx(model));
    expect(nodes.map((n) => n.opType)).toEqual(['Gather', 'Transpose', 'LSTM', 'Squeeze', 'Gemm']);
    model.dispose();
  });

  it('the W, R and B initializers hold the Keras kernels transposed, gates reordered i, o, f, c', async () => {
    await pc.setBackend('naive');
    const lstm = new pc.LSTM(1);
    const model = new pc.Sequential([pc.Input({ shape: [2, 1] }), lstm]);
    // kernel [1, 4] (i, f, c, o) = 1, 2, 3, 4; recurrent 5..8; bias 9..12.
    pc.tidy(() => {
      lstm.kernel!.assign(pc.tensor([[1, 2, 3, 4]]));
      lstm.recurrentKernel!.assign(pc.tensor([[5, 6, 7, 8]]));
      lstm.bias!.assign(pc.tensor([9, 10, 11, 12]));
    });
    const graph = graphOf(exportOnnx(model)) as unknown as { initializer: { name: string; dims: number[]; rawData: Uint8Array }[] };
    const values = (suffix: string) => {
      const t = graph.initializer.find((i) => i.name.endsWith(suffix))!;
      return [t.dims, Array.from(new Float32Array(Uint8Array.from(t.rawData).buffer))];
    };
    expect([values('/W'), values('/R'), values('/B')]).toEqual([[[1, 4, 1], [1, 4, 2, 3]], [[1, 4, 1], [5, 8, 6, 7]], [[1, 8], [9, 12, 10, 11, 0, 0, 0, 0]]]);
    model.dispose();
  });

  it.each(FALLBACKS.map((c) => [c.title, c] as const))('%s: keeps the parts', async (_, { make }) => {
    await pc.setBackend('naive');
    const model = make();
    const nodes = nodesOf(exportOnnx(model));
    expect(nodes.filter((n) => RECURRENT.includes(n.opType))).toEqual([]);
    expect(nodes.filter((n) => n.opType === 'MatMul').length).toBeGreaterThanOrEqual(TIMESTEPS - 1);
    model.dispose();
  });
});

describe('opsets', () => {
  const log = new DifferenceLog('Bidirectional(LSTM(4, sequences, initial states)) → GRU(3) at opsets 13 and 21');
  afterAll(() => log.print());
  it.each([13, 21])('at opset %i (Squeeze and Unsqueeze take their axes as inputs from 13) onnxruntime and the imported model match predict', async (opset) => {
    await pc.setBackend('naive');
    pc.setSeed(5);
    const [x, ...states] = [pc.Input({ shape: SAMPLE }), ...[0, 1, 2, 3].map(() => pc.Input({ shape: [4] }))];
    const sequence = new pc.Bidirectional(new pc.LSTM(4, { returnSequences: true })).apply([x!, ...states]) as pc.SymbolicTensor;
    const model = new pc.Model({ inputs: [x!, ...states], outputs: new pc.GRU(3).apply(sequence) as pc.SymbolicTensor });
    try {
      randomizeWeights(model, 13);
      const inputs = (batch: number) => [sampleBatch(SAMPLE, batch, 100 + batch), ...states.map((_, i) => sampleBatch([4], batch, 200 + 10 * i + batch))];
      await expectExportMatchesPredict(model, inputs, BATCHES, log, 'naive', { opset });
      expect(nodesOf(exportOnnx(model, { opset })).filter((n) => RECURRENT.includes(n.opType)).map((n) => n.opType)).toEqual(['LSTM', 'GRU']);
    } finally {
      model.dispose();
    }
  });
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each([...CASES, ...FALLBACKS].map((c) => [c.title, c] as const))('%s: onnxruntime and the imported model match predict', async (title, { make, inputs }) => {
    await pc.setBackend(backend);
    pc.setSeed(5);
    const model = make();
    try {
      randomizeWeights(model, 11);
      await expectExportMatchesPredict(model, inputs ?? ((batch) => sampleBatch(SAMPLE, batch, 100 + batch)), BATCHES, logs.get(title)!, backend);
    } finally {
      model.dispose();
    }
  });
});
