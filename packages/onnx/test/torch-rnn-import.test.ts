// Sequence models in the shape torch.onnx writes them for
//   nn.LSTM(4, 6, num_layers=2, batch_first=True) → out[:, -1, :] → nn.Linear(6, 3)
// (and the same with nn.GRU, whose nodes carry linear_before_reset 1, and nn.RNN) with a
// symbolic batch and sequence length: Transpose to seq-major, the zero initial states from the
// input's Shape (Shape → Gather → Unsqueeze → Concat → ConstantOfShape) sliced per layer, two
// recurrent nodes each followed by Squeeze of the direction axis, Transpose back, Gather of the
// last step and Gemm. Imported, each matches onnxruntime at several batch sizes and lengths on
// every backend, and fine-tunes: the gradient reaches every recurrent weight and the loss falls.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { constant, expectGraphMatchesOnnxruntime, graphBytes, tensorAttribute, type GraphNode, type Literal } from './onnx-graph.js';
import { int, ints, uniform, type Attribute } from './single-node-graph.js';

type Op = 'LSTM' | 'GRU' | 'RNN';
const [FEATURES, HIDDEN, OUTPUTS, LAYERS] = [4, 6, 3, 2];
const GATES: Record<Op, number> = { LSTM: 4, GRU: 3, RNN: 1 };
/** What torch writes besides hidden_size: GRU's linear_before_reset, RNN's activation (tanh or relu). */
const TORCH_ATTRIBUTES: Record<Op, Attribute[]> = { LSTM: [], GRU: [int('linear_before_reset', 1)], RNN: [strings('activations', ['Tanh'])] };

const literal = (name: string, shape: number[], seed: number, scale: number): Literal =>
  ({ name, shape, values: Array.from(uniform(shape.reduce((a, b) => a * b, 1), seed), (v) => v * scale) });

/** Nodes as torch.onnx names them: /module/Op. */
const torchNode = (name: string, opType: string, inputs: string[], outputs: string[], attribute: GraphNode['attribute'] = []): GraphNode => ({ name, opType, inputs, outputs, attribute });

/** Layer k's node reading `input` [seq, batch, features], squeezed to [seq, batch, hidden]; torch names its weights onnx::LSTM_n (onnx::GRU_n, onnx::RNN_n). */
function recurrentLayer(op: Op, k: number, input: string): GraphNode[] {
  const suffix = k === 0 ? '' : `_${k}`;
  const states = op === 'LSTM' ? ['/lstm/h0', '/lstm/c0'] : ['/lstm/h0'];
  const sliced = states.map((_, n) => `/lstm/Slice_${2 * k + n}_output_0`);
  // Y, Y_h (and Y_c): torch names them all, though only Y is read.
  const outputs = Array.from({ length: states.length + 1 }, (_, n) => `/lstm/${op}${suffix}_output_${n}`);
  return [
    constant({ name: `/lstm/Constant_${2 * k}_output_0`, shape: [1], values: [k] }),
    constant({ name: `/lstm/Constant_${2 * k + 1}_output_0`, shape: [1], values: [k + 1] }),
    ...states.map((state, n) => torchNode(`/lstm/Slice_${2 * k + n}`, 'Slice', [state, `/lstm/Constant_${2 * k}_output_0`, `/lstm/Constant_${2 * k + 1}_output_0`, '/lstm/Constant_axes_output_0'], [sliced[n]!])),
    torchNode(`/lstm/${op}${suffix}`, op, [input, `onnx::${op}_W${k}`, `onnx::${op}_R${k}`, `onnx::${op}_B${k}`, '', ...sliced], outputs, [int('hidden_size', HIDDEN), ...TORCH_ATTRIBUTES[op]]),
    torchNode(`/lstm/Squeeze${suffix}`, 'Squeeze', [outputs[0]!, '/lstm/Constant_axes_output_0_1'], [`/lstm/Squeeze${suffix}_output_0`]),
  ];
}

function sequenceModel(op: Op): Uint8Array {
  const zeros = (name: string): GraphNode => torchNode(`${name}/ConstantOfShape`, 'ConstantOfShape', ['/lstm/Concat_output_0'], [name], [tensorAttribute('value', { name: 'value', shape: [1], values: [0], type: 'float' })]);
  const rows = GATES[op] * HIDDEN;
  return graphBytes({
    nodes: [
      torchNode('/lstm/Transpose', 'Transpose', ['input'], ['/lstm/Transpose_output_0'], [ints('perm', [1, 0, 2])]),
      // torch.zeros(num_layers, batch, hidden) for h0 and c0, the batch read from the input.
      torchNode('/lstm/Shape', 'Shape', ['input'], ['/lstm/Shape_output_0']),
      constant({ name: '/lstm/Constant_batch_output_0', shape: [], values: [0] }),
      torchNode('/lstm/Gather', 'Gather', ['/lstm/Shape_output_0', '/lstm/Constant_batch_output_0'], ['/lstm/Gather_output_0'], [int('axis', 0)]),
      constant({ name: '/lstm/Constant_axes_output_0', shape: [1], values: [0] }),
      torchNode('/lstm/Unsqueeze', 'Unsqueeze', ['/lstm/Gather_output_0', '/lstm/Constant_axes_output_0'], ['/lstm/Unsqueeze_output_0']),
      constant({ name: '/lstm/Constant_layers_output_0', shape: [1], values: [LAYERS] }),
      constant({ name: '/lstm/Constant_hidden_output_0', shape: [1], values: [HIDDEN] }),
      torchNode('/lstm/Concat', 'Concat', ['/lstm/Constant_layers_output_0', '/lstm/Unsqueeze_output_0', '/lstm/Constant_hidden_output_0'], ['/lstm/Concat_output_0'], [int('axis', 0)]),
      zeros('/lstm/h0'),
      zeros('/lstm/c0'),
      constant({ name: '/lstm/Constant_axes_output_0_1', shape: [1], values: [1] }),
      ...recurrentLayer(op, 0, '/lstm/Transpose_output_0'),
      ...recurrentLayer(op, 1, '/lstm/Squeeze_output_0'),
      torchNode('/lstm/Transpose_1', 'Transpose', ['/lstm/Squeeze_1_output_0'], ['/lstm/Transpose_1_output_0'], [ints('perm', [1, 0, 2])]),
      constant({ name: '/Constant_output_0', shape: [], values: [-1] }),
      torchNode('/Gather', 'Gather', ['/lstm/Transpose_1_output_0', '/Constant_output_0'], ['/Gather_output_0'], [int('axis', 1)]),
      torchNode('/fc/Gemm', 'Gemm', ['/Gather_output_0', 'fc.weight', 'fc.bias'], ['output'], [int('transB', 1)]),
    ],
    inputs: [{ name: 'input', shape: ['batch_size', 'sequence', FEATURES] }],
    outputs: [{ name: 'output', shape: ['batch_size', OUTPUTS] }],
    initializers: [
      ...Array.from({ length: LAYERS }, (_, k) => [
        literal(`onnx::${op}_W${k}`, [1, rows, k === 0 ? FEATURES : HIDDEN], 10 * k + 1, 0.5),
        literal(`onnx::${op}_R${k}`, [1, rows, HIDDEN], 10 * k + 2, 0.5),
        literal(`onnx::${op}_B${k}`, [1, 2 * rows], 10 * k + 3, 0.2),
      ]).flat(),
      literal('fc.weight', [OUTPUTS, HIDDEN], 31, 0.5),
      literal('fc.bias', [OUTPUTS], 32, 0.1),
    ],
  });
}

const sequences = (batch: number, length: number, seed: number) => pc.tensor(uniform(batch * length * FEATURES, seed), [batch, length, FEATURES]);

const OPS: Op[] = ['LSTM', 'GRU', 'RNN'];
const largest = new Map<Op, number>();
const losses: string[] = [];
describe.each(BACKENDS)('on %s', (backend) => {
  it.each(OPS.flatMap((op) => [[2, 7], [5, 3], [1, 1]].map(([batch, length]) => ({ op, batch: batch!, length: length! }))))('the 2-layer $op → Linear matches onnxruntime at batch $batch, length $length', async ({ op, batch, length }) => {
    await pc.setBackend(backend);
    const x = sequences(batch, length, 100 + batch * length);
    try {
      largest.set(op, Math.max(largest.get(op) ?? 0, await expectGraphMatchesOnnxruntime(sequenceModel(op), [x])));
    } finally {
      x.dispose();
    }
  });

  it.each(OPS)('the 2-layer %s → Linear fine-tunes with fit: every weight moves and the loss falls', async (op) => {
    await pc.setBackend(backend);
    const model = importOnnx(sequenceModel(op), { name: 'seq' });
    const x = sequences(8, 6, 40);
    const y = pc.tensor(uniform(8 * OUTPUTS, 41), [8, OUTPUTS]);
    try {
      const names = model.trainableWeights.map((w) => w.name);
      expect(names.sort()).toEqual(['fc.bias', 'fc.weight', ...[0, 1].flatMap((k) => ['B', 'R', 'W'].map((m) => `onnx::${op}_${m}${k}`))].map((n) => `seq/${n}`).sort());
      const initial = model.trainableWeights.map((w) => w.dataSync().slice());
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      const loss = async () => (await model.evaluate(x, y, { verbose: 0 }))[0]!;
      const before = await loss();
      const history = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 });
      const after = await loss();
      expect(history.history.loss).toHaveLength(5);
      expect(after).toBeLessThan(0.9 * before);
      losses.push(`${op} on ${backend} ${before.toFixed(4)} → ${after.toFixed(4)}`);
      model.trainableWeights.forEach((w, i) => expect(w.dataSync().some((v, j) => v !== initial[i]![j]), w.name).toBe(true));
    } finally {
      pc.dispose([x, y]);
      model.dispose();
    }
  });
});

afterAll(() => console.info(`torch-style 2-layer recurrent models: largest difference to onnxruntime ${[...largest].map(([op, d]) => `${op} ${d.toExponential(2)}`).join(', ')}; loss over 5 epochs: ${losses.join(', ')}`));

/** A list of strings attribute (single-node-graph.ts has no helper for one). */
function strings(name: string, values: string[]): Attribute {
  return { name, type: pkg.onnx.AttributeProto.AttributeType.STRINGS, strings: values.map((v) => new TextEncoder().encode(v)) } as Attribute;
}
