// IntegerLookup ('int' output, out-of-vocabulary tokens by floormod) leaves as ONNX ops on its
// input, although core looks the tokens up on the host: the tokens compared with the vocabulary
// (Equal, ArgMax), the others' floormod (Mod) into the OOV indices, the mask token 0. In trained
// models that embed the indices, onnxruntime and the re-imported model agree with predict on
// every backend at batch sizes the exporter did not trace, for tokens in the vocabulary, out of it
// (negative ones too) and the mask token. Lookups the graph does not make (an encoded output)
// are refused, as before. (float32 tokens cannot be traced: the exporter's dummy floats are not
// whole numbers, which IntegerLookup refuses.)
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const TOKENS = 5;
const VOCABULARY = [3, 7, 9, 12, -4];

const CASES: { title: string; make(): pc.Sequential }[] = [
  {
    title: 'Input(int32) → IntegerLookup (mask 0, 2 OOV indices) → Embedding → Flatten → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: [TOKENS], dtype: 'int32' }),
      new pc.IntegerLookup({ vocabulary: VOCABULARY, maskToken: 0, numOovIndices: 2 }),
      new pc.Embedding({ inputDim: VOCABULARY.length + 3, outputDim: 3 }),
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'Input(int32) → IntegerLookup (1 OOV index) → Embedding → GlobalAveragePooling1D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: [TOKENS], dtype: 'int32' }),
      new pc.IntegerLookup({ vocabulary: VOCABULARY }),
      new pc.Embedding({ inputDim: VOCABULARY.length + 1, outputDim: 3 }),
      new pc.GlobalAveragePooling1D(),
      new pc.Dense(2),
    ]),
  },
];

const logs = CASES.map((c) => new DifferenceLog(c.title));
afterAll(() => logs.forEach((log) => log.print()));

/** `rows` rows of tokens in [-6, 14): the vocabulary's, the mask token 0, and others on both sides. */
function tokens(rows: number, seed: number): pc.Tensor {
  const g = new pc.RandomGenerator(seed);
  return pc.tensor(Array.from({ length: rows * TOKENS }, () => Math.floor(g.nextFloat() * 20) - 6), [rows, TOKENS], 'int32');
}

const { onnx } = pkg;
const opTypesOf = (bytes: Uint8Array) => (onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { arrays: true }) as { graph: { node: { opType: string }[] } }).graph.node.map((n) => n.opType);

describe('the exported graph', () => {
  it('looks the tokens up in-graph: Equal against the vocabulary, ArgMax, Mod for the OOV indices, at every opset', async () => {
    await pc.setBackend('naive');
    const model = CASES[0]!.make();
    for (const opset of [13, 17, 18]) expect(opTypesOf(exportOnnx(model, { opset }))).toEqual(expect.arrayContaining(['Equal', 'ArgMax', 'ReduceMax', 'Mod', 'Where', 'Gather']));
    // The lookup's call, watched while tracing, is its class's again.
    const lookup = model.layers.find((l) => l instanceof pc.IntegerLookup)!;
    expect(Object.hasOwn(lookup, 'call')).toBe(false);
    model.dispose();
  });

  it('refuses a lookup it does not make (one_hot output), whose indices stay a constant of the batch size', async () => {
    await pc.setBackend('naive');
    const model = new pc.Sequential([pc.Input({ shape: [TOKENS], dtype: 'int32' }), new pc.IntegerLookup({ vocabulary: VOCABULARY, outputMode: 'one_hot' })]);
    expect(() => exportOnnx(model)).toThrow(/integer_lookup.*constant operands depends on the batch size/);
    model.dispose();
  });
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES.map((c, i) => ({ ...c, log: logs[i]! })))('$title: after a little training, onnxruntime and the imported model match predict', async ({ make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(53);
    const model = make();
    const x = tokens(32, 1);
    // Targets from the first token: whether it is in the vocabulary, and its size.
    const y = pc.tidy(() => {
      const first = pc.cast(pc.slice(x, [0, 0], [-1, 1]), 'float32');
      return pc.concat([pc.tanh(pc.div(first, 6)), pc.cast(pc.greater(first, 5), 'float32')], 1);
    });
    try {
      model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      await expectExportMatchesPredict(model, (batch) => tokens(batch, 100 + batch), [1, 37], log, backend);
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });
});
