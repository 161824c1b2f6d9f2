// ONNX's recurrent ops — LSTM, GRU and RNN — import as core ops unrolled over the sequence and
// agree with onnxruntime on the same node, output by output (Y, Y_h and LSTM's Y_c): each
// direction, with and without B and initial states, peepholes, clip, GRU's linear_before_reset
// 0 and 1, sequence_lens, input_forget and activation lists of other functions with their alphas
// and betas. onnxruntime runs only layout 0, so a layout 1 node is held to the same node at
// layout 0 between Transposes. What the importer cannot run is an error naming the node and value.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS, maxRelativeDifference } from './models.js';
import { expectGraphMatchesOnnxruntime, graphBytes, type GraphNode, type Literal } from './onnx-graph.js';
import { float, int, ints, text, uniform, type Attribute } from './single-node-graph.js';

type Op = 'LSTM' | 'GRU' | 'RNN';
type Direction = 'forward' | 'reverse' | 'bidirectional';

const GATES: Record<Op, number> = { LSTM: 4, GRU: 3, RNN: 1 };
const [SEQ, BATCH, FEATURES, HIDDEN] = [5, 3, 4, 5];
/** Lengths per batch row: one full, one of a single step, one between. */
const LENGTHS = [5, 1, 3];
const TOLERANCE = 1e-6;

interface RecurrentCase {
  name: string;
  op: Op;
  direction: Direction;
  /** Inputs given besides X, W and R. */
  bias?: boolean;
  initial?: boolean;
  peepholes?: boolean;
  lengths?: readonly number[];
  layout1?: boolean;
  /** hidden_size is left out, for the importer to read from R. */
  hiddenFromR?: boolean;
  attribute?: Attribute[];
}

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
/** Seeded values in [-scale, scale): weights small enough that the gates do not saturate. */
const literal = (name: string, shape: number[], seed: number, scale = 0.6): Literal => ({ name, shape, values: Array.from(uniform(sizeOf(shape), seed), (v) => v * scale) });

/**
 * The node's graph: X (and sequence_lens, int32) are graph inputs, the weights and initial states
 * initializers, and every output of the op a graph output. 'batch-major' writes layout 1;
 * 'batch-major via Transpose' computes the same at layout 0 between Transposes, for onnxruntime.
 */
function recurrentGraph(rc: RecurrentCase, layout: 'seq-major' | 'batch-major' | 'batch-major via Transpose'): Uint8Array {
  const { op, direction, bias, initial, peepholes, lengths, hiddenFromR, attribute = [] } = rc;
  const directions = direction === 'bidirectional' ? 2 : 1;
  const rows = GATES[op] * HIDDEN;
  const batchMajor = layout !== 'seq-major';
  const viaTranspose = layout === 'batch-major via Transpose';
  const states = op === 'LSTM' ? ['initial_h', 'initial_c'] : ['initial_h'];
  const initializers = [literal('W', [directions, rows, FEATURES], 1), literal('R', [directions, rows, HIDDEN], 2)];
  if (bias) initializers.push(literal('B', [directions, 2 * rows], 3));
  if (initial) states.forEach((name, i) => initializers.push(literal(name, batchMajor ? [BATCH, directions, HIDDEN] : [directions, BATCH, HIDDEN], 4 + i, 1)));
  if (peepholes) initializers.push(literal('P', [directions, 3 * HIDDEN], 6));
  const nodes: GraphNode[] = [];
  const transpose = (from: string, to: string, perm: number[]) => nodes.push({ opType: 'Transpose', inputs: [from], outputs: [to], attribute: [ints('perm', perm)] });
  const seqMajor = (name: string) => {
    if (!viaTranspose) return name;
    transpose(name, `${name}_seq_major`, [1, 0, 2]);
    return `${name}_seq_major`;
  };
  const inputs = [seqMajor('X'), 'W', 'R', bias ? 'B' : '', lengths ? 'sequence_lens' : '', ...states.map((name) => (initial ? seqMajor(name) : '')), peepholes ? 'P' : ''];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const outputs = op === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h'];
  const layoutAttribute = layout === 'batch-major' ? [int('layout', 1)] : [];
  nodes.push({
    opType: op, inputs, outputs: outputs.map((name) => (viaTranspose ? `${name}_seq_major` : name)),
    // The case's own attributes replace these (the error cases write another direction or hidden_size).
    attribute: [...(hiddenFromR ? [] : [int('hidden_size', HIDDEN)]), text('direction', direction), ...layoutAttribute].filter((a) => !attribute.some((own) => own.name === a.name)).concat(attribute),
  });
  if (viaTranspose) outputs.forEach((name) => transpose(`${name}_seq_major`, name, name === 'Y' ? [2, 0, 1, 3] : [1, 0, 2]));
  return graphBytes({
    nodes,
    inputs: [{ name: 'X', shape: batchMajor ? [BATCH, SEQ, FEATURES] : [SEQ, BATCH, FEATURES] }, ...(lengths ? [{ name: 'sequence_lens', type: 'int32' as const, shape: [BATCH] }] : [])],
    outputs: outputs.map((name) => ({ name })),
    initializers,
  });
}

/** X (batch-major for layout 1) and sequence_lens when the case has them. */
function inputsOf({ lengths, layout1 }: RecurrentCase): pc.Tensor[] {
  const x = pc.tensor(uniform(SEQ * BATCH * FEATURES, 7), layout1 ? [BATCH, SEQ, FEATURES] : [SEQ, BATCH, FEATURES]);
  return lengths ? [x, pc.tensor([...lengths], [BATCH], 'int32')] : [x];
}

const OPS: Op[] = ['LSTM', 'GRU', 'RNN'];
const DIRECTIONS: Direction[] = ['forward', 'reverse', 'bidirectional'];
const eachOp = (f: (op: Op) => RecurrentCase[]) => OPS.flatMap(f);
const eachDirection = (f: (direction: Direction) => RecurrentCase) => DIRECTIONS.map(f);
/** torch writes GRU with linear_before_reset 1; GRU cases take that unless they say otherwise. */
const torchGru = (op: Op): Attribute[] => (op === 'GRU' ? [int('linear_before_reset', 1)] : []);

const CASES: RecurrentCase[] = [
  ...eachOp((op) => eachDirection((direction) => ({ name: `${op} ${direction}, with B, initial states`, op, direction, bias: true, initial: true, attribute: torchGru(op) }))),
  ...eachOp((op) => eachDirection((direction) => ({ name: `${op} ${direction}, X, W and R only`, op, direction, attribute: torchGru(op) }))),
  ...eachOp((op) => eachDirection((direction) => ({ name: `${op} ${direction}, sequence_lens [${LENGTHS}]`, op, direction, bias: true, initial: true, lengths: LENGTHS, attribute: torchGru(op) }))),
  ...eachOp((op) => [{ name: `${op} bidirectional, clip 0.3`, op, direction: 'bidirectional', bias: true, initial: true, attribute: [float('clip', 0.3), ...torchGru(op)] }]),
  ...eachDirection((direction) => ({ name: `GRU ${direction}, linear_before_reset 0`, op: 'GRU', direction, bias: true, initial: true })),
  { name: 'GRU forward, linear_before_reset 0, no B', op: 'GRU', direction: 'forward', initial: true },
  { name: 'GRU bidirectional, linear_before_reset 0, sequence_lens, clip 0.5', op: 'GRU', direction: 'bidirectional', bias: true, lengths: LENGTHS, attribute: [float('clip', 0.5)] },
  ...eachDirection((direction) => ({ name: `LSTM ${direction}, peepholes`, op: 'LSTM', direction, bias: true, initial: true, peepholes: true })),
  { name: 'LSTM bidirectional, peepholes, clip 0.4, sequence_lens', op: 'LSTM', direction: 'bidirectional', bias: true, initial: true, peepholes: true, lengths: LENGTHS, attribute: [float('clip', 0.4)] },
  { name: 'LSTM forward, input_forget 1, peepholes', op: 'LSTM', direction: 'forward', bias: true, initial: true, peepholes: true, attribute: [int('input_forget', 1)] },
  {
    name: 'LSTM bidirectional, activations HardSigmoid, LeakyRelu, Softsign / Sigmoid, ScaledTanh, Elu',
    op: 'LSTM', direction: 'bidirectional', bias: true, initial: true,
    attribute: [activations('HardSigmoid', 'LeakyRelu', 'Softsign', 'Sigmoid', 'ScaledTanh', 'Elu'), floats('activation_alpha', [0.3, 0.2, 1.5, 0.7]), floats('activation_beta', [0.45, 0.8])],
  },
  {
    name: 'GRU bidirectional, activations Sigmoid, Affine / hardsigmoid (lower case, its defaults), Softplus',
    op: 'GRU', direction: 'bidirectional', bias: true, initial: true,
    attribute: [activations('Sigmoid', 'Affine', 'hardsigmoid', 'Softplus'), floats('activation_alpha', [0.9]), floats('activation_beta', [0.1]), int('linear_before_reset', 1)],
  },
  { name: 'RNN forward, activation Relu', op: 'RNN', direction: 'forward', bias: true, initial: true, attribute: [activations('Relu')] },
  {
    name: 'RNN bidirectional, activations ThresholdedRelu / LeakyRelu',
    op: 'RNN', direction: 'bidirectional', bias: true, initial: true, attribute: [activations('ThresholdedRelu', 'LeakyRelu'), floats('activation_alpha', [0.1, 0.25])],
  },
  ...eachOp((op) => [{ name: `${op} bidirectional, layout 1, with B, initial states`, op, direction: 'bidirectional', bias: true, initial: true, layout1: true, attribute: torchGru(op) }]),
  { name: 'LSTM reverse, layout 1, peepholes, sequence_lens', op: 'LSTM', direction: 'reverse', bias: true, initial: true, peepholes: true, lengths: LENGTHS, layout1: true },
];

/** The attributes single-node-graph.ts has no helper for: a list of strings, a list of floats. */
function activations(...names: string[]): Attribute {
  return { name: 'activations', type: pkg.onnx.AttributeProto.AttributeType.STRINGS, strings: names.map((n) => new TextEncoder().encode(n)) } as Attribute;
}

function floats(name: string, values: number[]): Attribute {
  return { name, type: pkg.onnx.AttributeProto.AttributeType.FLOATS, floats: values } as Attribute;
}

/** The imported layout 1 graph gives what the imported layout 0 graph between Transposes does. */
function expectLayoutsAgree(rc: RecurrentCase, inputs: pc.Tensor[]): void {
  const [batchMajor, viaTranspose] = [importOnnx(recurrentGraph(rc, 'batch-major')), importOnnx(recurrentGraph(rc, 'batch-major via Transpose'))];
  const call = (model: typeof batchMajor) => [pc.tidy(() => model.call(inputs.length === 1 ? inputs[0]! : inputs))].flat() as pc.Tensor[];
  const [got, want] = [call(batchMajor), call(viaTranspose)];
  expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
  got.forEach((t, i) => expect(maxRelativeDifference(t.dataSync(), want[i]!.dataSync())).toBeLessThan(1e-6));
  pc.dispose([...got, ...want]);
  batchMajor.dispose();
  viaTranspose.dispose();
}

const largest = new Map<Op, number>();

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: Y, Y_h (and Y_c) match onnxruntime and leak nothing', async (rc) => {
    await pc.setBackend(backend);
    const inputs = inputsOf(rc);
    const before = pc.memory().numTensors;
    try {
      const difference = await expectGraphMatchesOnnxruntime(recurrentGraph(rc, rc.layout1 ? 'batch-major via Transpose' : 'seq-major'), inputs, TOLERANCE);
      if (rc.layout1) expectLayoutsAgree(rc, inputs);
      expect(pc.memory().numTensors).toBe(before);
      largest.set(rc.op, Math.max(largest.get(rc.op) ?? 0, difference));
    } finally {
      pc.dispose(inputs);
    }
  });
});

afterAll(() => largest.size > 0 && console.info(`recurrent import: largest difference to onnxruntime ${[...largest].map(([op, d]) => `${op} ${d.toExponential(2)}`).join(', ')}`));

describe('what the importer cannot run', () => {
  const base: RecurrentCase = { name: '', op: 'LSTM', direction: 'forward', bias: true };
  it.each([
    { name: 'an unknown direction', rc: { ...base, attribute: [text('direction', 'sideways')] }, error: /node 'LSTM_1' \(LSTM\): direction 'sideways' is not supported; expected forward, reverse or bidirectional/ },
    { name: 'layout 2', rc: { ...base, attribute: [int('layout', 2)] }, error: /node 'LSTM_1' \(LSTM\): layout 2 is not supported/ },
    { name: 'an activation ONNX does not list', rc: { ...base, op: 'RNN', attribute: [activations('Swish')] } as RecurrentCase, error: /node 'RNN_1' \(RNN\): activation 'Swish' is not supported/ },
    { name: 'too few activations', rc: { ...base, attribute: [activations('Sigmoid', 'Tanh')] }, error: /node 'LSTM_1' \(LSTM\): expected 3 activations \(3 per direction, 1 direction\), got 2: \[Sigmoid, Tanh\]/ },
    { name: 'Affine without its alpha', rc: { ...base, op: 'RNN', attribute: [activations('Affine')] } as RecurrentCase, error: /node 'RNN_1' \(RNN\): activation 'Affine' needs an alpha, but activation_alpha has too few values/ },
    { name: 'a clip of 0', rc: { ...base, attribute: [float('clip', 0)] }, error: /node 'LSTM_1' \(LSTM\): clip 0 is not supported; expected a positive threshold/ },
    { name: 'linear_before_reset 2', rc: { ...base, op: 'GRU', attribute: [int('linear_before_reset', 2)] } as RecurrentCase, error: /node 'GRU_1' \(GRU\): linear_before_reset 2 is not supported; expected 0 or 1/ },
    { name: 'input_forget 3', rc: { ...base, attribute: [int('input_forget', 3)] }, error: /node 'LSTM_1' \(LSTM\): input_forget 3 is not supported; expected 0 or 1/ },
    { name: 'a hidden_size W does not have', rc: { ...base, attribute: [int('hidden_size', 4)] }, error: /node 'LSTM_1' \(LSTM\): expected W \(input 1\) of shape \[1,16,4\], got \[1,20,4\]/ },
  ])('$name is an error naming the node and the value', async ({ rc, error }) => {
    await pc.setBackend(BACKENDS[0]!);
    const model = importOnnx(recurrentGraph(rc, 'seq-major'));
    const x = pc.tensor(uniform(SEQ * BATCH * FEATURES, 7), [SEQ, BATCH, FEATURES]);
    const before = pc.memory().numTensors;
    expect(() => pc.tidy(() => model.call(x))).toThrow(error);
    expect(pc.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});

/** The imported graph's outputs for the case's inputs, flattened into one list. */
function importedOutputs(rc: RecurrentCase): Float32Array {
  const model = importOnnx(recurrentGraph(rc, 'seq-major'));
  const inputs = inputsOf(rc);
  const all = pc.tidy(() => pc.concat(([model.call(inputs.length === 1 ? inputs[0]! : inputs)].flat() as pc.Tensor[]).map((y) => pc.reshape(y, [-1]))));
  const values = all.dataSync() as Float32Array;
  pc.dispose([all, ...inputs]);
  model.dispose();
  return values;
}

// Where onnxruntime departs from ONNX: it takes 0 for an alpha that activation_alpha leaves out
// unless it knows a default (ONNX: the default of the ONNX op of that name), and it requires
// hidden_size (ONNX: optional, R's last axis). The importer follows ONNX: each such node gives
// what the same node with the value written out does.
const rnnWith = (...attribute: Attribute[]): RecurrentCase => ({ name: '', op: 'RNN', direction: 'forward', bias: true, initial: true, attribute });
const ALPHA_DEFAULTS: [string, number][] = [['ThresholdedRelu', 1], ['LeakyRelu', 0.01], ['Elu', 1]];

describe.each(BACKENDS)('on %s, what ONNX leaves to defaults', (backend) => {
  it.each([
    ...ALPHA_DEFAULTS.map(([name, alpha]) => ({ name: `${name} without an alpha is ${name} with alpha ${alpha}`, implicit: rnnWith(activations(name)), explicit: rnnWith(activations(name), floats('activation_alpha', [alpha])) })),
    ...OPS.map((op) => {
      const explicit: RecurrentCase = { name: '', op, direction: 'bidirectional', bias: true, initial: true, attribute: torchGru(op) };
      return { name: `${op} without hidden_size reads it from R`, implicit: { ...explicit, hiddenFromR: true }, explicit };
    }),
  ])('$name', async ({ implicit, explicit }) => {
    await pc.setBackend(backend);
    expect(importedOutputs(implicit)).toEqual(importedOutputs(explicit));
  });
});

/** Σ of each output squared, halved: every output element counts, with a weight of its own value. */
const objective = (outputs: pc.Tensor[]): pc.Tensor => pc.addN(outputs.map((y) => pc.mul(pc.sum(pc.square(y)), 0.5)));

describe.each(BACKENDS)('on %s, the unrolled recurrence differentiates', (backend) => {
  it.each<RecurrentCase>([
    { name: 'LSTM bidirectional, peepholes, sequence_lens', op: 'LSTM', direction: 'bidirectional', bias: true, initial: true, peepholes: true, lengths: LENGTHS },
    { name: 'GRU reverse, linear_before_reset 0', op: 'GRU', direction: 'reverse', bias: true, initial: true },
    { name: 'GRU forward, linear_before_reset 1, sequence_lens', op: 'GRU', direction: 'forward', bias: true, initial: true, lengths: LENGTHS, attribute: torchGru('GRU') },
    { name: 'RNN bidirectional', op: 'RNN', direction: 'bidirectional', bias: true, initial: true },
  ])('$name: the tape\'s gradients for W, R, B, the initial states (and P) match central differences', async (rc) => {
    await pc.setBackend(backend);
    const model = importOnnx(recurrentGraph(rc, 'seq-major'));
    const inputs = inputsOf(rc);
    const lossOf = () => pc.tidy(() => objective([model.call(inputs.length === 1 ? inputs[0]! : inputs)].flat() as pc.Tensor[]).dataSync()[0]!);
    const tape = new pc.GradientTape();
    const loss = tape.record(() => objective([model.call(inputs.length === 1 ? inputs[0]! : inputs)].flat() as pc.Tensor[]));
    const gradients = tape.gradient(loss, model.trainableWeights);
    const epsilon = 1e-2;
    try {
      model.trainableWeights.forEach((w, k) => {
        const values = w.dataSync().slice() as Float32Array;
        const analytic = gradients[k]!.dataSync();
        // Six entries spread over the weight, its first and last among them.
        for (const i of Array.from({ length: 6 }, (_, j) => Math.round((j * (values.length - 1)) / 5))) {
          const at = (delta: number) => {
            const shifted = values.slice();
            shifted[i] = values[i]! + delta;
            pc.tidy(() => w.assign(pc.tensor(shifted, w.shape)));
            return lossOf();
          };
          const numeric = (at(epsilon) - at(-epsilon)) / (2 * epsilon);
          pc.tidy(() => w.assign(pc.tensor(values, w.shape)));
          expect(Math.abs(analytic[i]! - numeric), `${w.name}[${i}]: tape ${analytic[i]}, central difference ${numeric}`).toBeLessThan(5e-3 * Math.max(1, Math.abs(numeric)));
        }
      });
    } finally {
      pc.dispose([loss, ...gradients.filter((g): g is pc.Tensor => g !== null), ...inputs]);
      model.dispose();
    }
  });
});
