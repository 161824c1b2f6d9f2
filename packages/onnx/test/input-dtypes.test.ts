// Each graph input keeps the model input's dtype, as tf2onnx keeps a Keras model's: an int32
// Input of token indices becomes an int32 graph input that the Embedding gathers from without a
// Cast, so onnxruntime takes Int32Array indices as they are; a bool Input a bool one. A
// Sequential without an Input and a subclassed model declare no dtype: their graph input is
// float32 (the Embedding casts) unless exportOnnx's inputDtype says otherwise. onnxruntime and
// the re-imported model match predict on every backend.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel, type ExportOnnxOptions, type OnnxRunResult } from '../src/index.js';
import { elemTypes, graphOf } from './decoded-graph.js';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, maxRelativeDifference, randomBatch } from './models.js';

const { onnx } = pkg;
const { FLOAT, INT32, INT64, BOOL } = onnx.TensorProto.DataType;
/** The core dtype each ONNX element type is imported as. */
const DTYPE_OF: Record<number, pc.DType> = { [FLOAT]: 'float32', [INT32]: 'int32', [BOOL]: 'bool' };
const TIMESTEPS = 5;
const VOCABULARY = 9;

/** `rows` sequences of token indices in [0, VOCABULARY), from a seeded generator. */
function tokens(rows: number, seed: number, dtype: 'int32' | 'float32' = 'int32'): pc.Tensor {
  const g = new pc.RandomGenerator(seed);
  return pc.tensor(Array.from({ length: rows * TIMESTEPS }, () => Math.floor(g.nextFloat() * VOCABULARY)), [rows, TIMESTEPS], dtype);
}

/** Input(int32) 'tokens' → Embedding → Flatten → Dense(2). */
function functionalTokens(): pc.Model {
  const input = pc.Input({ shape: [TIMESTEPS], dtype: 'int32', name: 'tokens' });
  const embedded = new pc.Flatten().apply(new pc.Embedding({ inputDim: VOCABULARY, outputDim: 3 }).apply(input));
  return new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(embedded), name: 'token_classifier' });
}

/** Embedding → Flatten → Dense(2), after an Input of the given dtype or, without one, on a declared input shape. */
function sequentialTokens(input: 'int32' | 'none'): pc.Sequential {
  const embedding = input === 'none'
    ? new pc.Embedding({ inputDim: VOCABULARY, outputDim: 3, inputShape: [TIMESTEPS] })
    : new pc.Embedding({ inputDim: VOCABULARY, outputDim: 3 });
  const layers = [embedding, new pc.Flatten(), new pc.Dense(2)];
  return new pc.Sequential(input === 'none' ? layers : [pc.Input({ shape: [TIMESTEPS], dtype: input }), ...layers]);
}

/** The same as a subclassed model: its input's dtype is known only from exportOnnx's inputDtype. */
class TokenModel extends pc.Model {
  readonly embedding = new pc.Embedding({ inputDim: VOCABULARY, outputDim: 3 });
  readonly flatten = new pc.Flatten();
  readonly dense = new pc.Dense(2);
  override call(x: pc.Tensor): pc.Tensor {
    return this.dense.apply(this.flatten.apply(this.embedding.apply(x)));
  }
}

/** Row indices for int64LookupGraph, and the rows they pick from its table [[0, 1], [10, 11], [20, 21]]. */
const LOOKUP_IDS = [2, 0, 1, 1];
const LOOKED_UP = [20, 21, 0, 1, 10, 11, 10, 11];

/** ONNX bytes of one Gather whose indices are an int64 graph input 'ids' [batch, 2], as tf2onnx writes token indices. */
function int64LookupGraph(): Uint8Array {
  const ids = { name: 'ids', type: { tensorType: { elemType: INT64, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 2 }] } } } };
  const rows = { name: 'rows', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 2 }, { dimValue: 2 }] } } } };
  const table = onnx.TensorProto.create({ name: 'table', dataType: FLOAT, dims: [3, 2], floatData: [0, 1, 10, 11, 20, 21] });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'lookup', node: [{ name: 'gather', opType: 'Gather', input: ['table', 'ids'], output: ['rows'] }], initializer: [table], input: [ids], output: [rows] },
  }).finish();
}

/** Two inputs of two dtypes: int32 'tokens' embedded and flattened, joined with float32 'features' [2], then Dense(2). */
function tokensAndFeatures(): pc.Model {
  const ids = pc.Input({ shape: [TIMESTEPS], dtype: 'int32', name: 'tokens' });
  const features = pc.Input({ shape: [2], name: 'features' });
  const embedded = new pc.Flatten().apply(new pc.Embedding({ inputDim: VOCABULARY, outputDim: 3 }).apply(ids));
  const joined = new pc.Concatenate().apply([embedded, features]);
  return new pc.Model({ inputs: [ids, features], outputs: new pc.Dense(2).apply(joined), name: 'tokens_and_features' });
}

/** Casts its input to float32. */
class AsFloat extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.cast(x, 'float32');
  }
}

/** Input(bool) [4] → AsFloat → Dense(2). */
function boolMask(): pc.Model {
  const mask = pc.Input({ shape: [4], dtype: 'bool', name: 'mask' });
  return new pc.Model({ inputs: mask, outputs: new pc.Dense(2).apply(new AsFloat().apply(mask)), name: 'mask_model' });
}

interface Case {
  name: string;
  make(): pc.Model;
  inputOf(batch: number): pc.Tensor | pc.Tensor[];
  options?: ExportOnnxOptions;
  /** The element type of each graph input. */
  inputs: Record<string, number>;
  /** How many Cast nodes the graph has: the Embedding's, when its indices arrive as floats. */
  casts: number;
}

const CASES: Case[] = [
  { name: 'a functional model of an int32 Input', make: functionalTokens, inputOf: (b) => tokens(b, 100 + b), inputs: { input: INT32 }, casts: 0 },
  { name: 'a Sequential starting with an int32 Input', make: () => sequentialTokens('int32'), inputOf: (b) => tokens(b, 200 + b), inputs: { input: INT32 }, casts: 0 },
  {
    name: 'a subclassed model exported with inputDtype int32',
    make: () => new TokenModel({ name: 'token_model' }),
    inputOf: (b) => tokens(b, 300 + b),
    options: { inputShape: [TIMESTEPS], inputDtype: 'int32' },
    inputs: { input: INT32 },
    casts: 0,
  },
  {
    name: 'an int32 and a float32 Input',
    make: tokensAndFeatures,
    inputOf: (b) => [tokens(b, 400 + b), randomBatch(b, 2, 500 + b)],
    inputs: { tokens: INT32, features: FLOAT },
    casts: 0,
  },
  {
    name: 'a functional model of a bool Input',
    make: boolMask,
    inputOf: (b) => pc.tidy(() => pc.greater(randomBatch(b, 4, 600 + b), 0)),
    inputs: { input: BOOL },
    casts: 1,
  },
  { name: 'a Sequential without an Input (float32, as Keras makes its Input)', make: () => sequentialTokens('none'), inputOf: (b) => tokens(b, 700 + b, 'float32'), inputs: { input: FLOAT }, casts: 1 },
  {
    name: 'a subclassed model exported without inputDtype',
    make: () => new TokenModel({ name: 'token_model' }),
    inputOf: (b) => tokens(b, 800 + b, 'float32'),
    options: { inputShape: [TIMESTEPS] },
    inputs: { input: FLOAT },
    casts: 1,
  },
  {
    name: 'an int32 Input exported with inputDtype float32',
    make: functionalTokens,
    inputOf: (b) => tokens(b, 900 + b, 'float32'),
    options: { inputDtype: 'float32' },
    inputs: { input: FLOAT },
    casts: 1,
  },
];

const log = new DifferenceLog('models of int32, bool and float32 inputs');
afterAll(() => log.print());

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: onnxruntime and the imported model match predict', async ({ make, inputOf, options }) => {
    await pc.setBackend(backend);
    pc.setSeed(41);
    const model = make();
    try {
      await expectExportMatchesPredict(model, inputOf, [1, 7], log, backend, options);
    } finally {
      model.dispose();
    }
  });
});

describe('graph input element types', () => {
  beforeAll(() => pc.setBackend('naive'));

  it.each(CASES)('$name: the graph, onnxruntime and the imported model keep the input dtypes', async ({ make, options, inputs, casts }) => {
    const model = make();
    const bytes = exportOnnx(model, options);
    const graph = graphOf(bytes);
    expect(elemTypes(graph.input)).toEqual(inputs);
    expect(graph.node.filter((n) => n.opType === 'Cast')).toHaveLength(casts);
    const session = await OnnxModel.load(bytes);
    expect(Object.fromEntries(session.inputs.map((v) => [v.name, v.elemType]))).toEqual(inputs);
    const imported = importOnnx(bytes);
    expect(imported.inputDtypes).toEqual(Object.values(inputs).map((t) => DTYPE_OF[t]));
    await session.release();
    imported.dispose();
    model.dispose();
  });

  it('rejects an inputDtype of another count or an unknown dtype, naming what it expected', () => {
    const pair = tokensAndFeatures();
    expect(() => exportOnnx(pair, { inputDtype: 'int32' })).toThrow(`exportOnnx: expected inputDtype to give 2 dtypes, one per input of model 'tokens_and_features' (each one of float32, int32, bool), got "int32"`);
    const single = functionalTokens();
    expect(() => exportOnnx(single, { inputDtype: 'int64' as pc.DType })).toThrow(`exportOnnx: expected inputDtype to give the dtype of the input of model 'token_classifier' (each one of float32, int32, bool), got "int64"`);
    pair.dispose();
    single.dispose();
  });
});

describe('serving a bool input', () => {
  it('onnxruntime takes a Uint8Array of 0s and 1s and its shape, and refuses other bytes', async () => {
    await pc.setBackend('naive');
    pc.setSeed(47);
    const model = boolMask();
    const session = await OnnxModel.load(exportOnnx(model));
    const bits = [1, 0, 0, 1, 0, 1, 1, 1];
    const x = pc.tensor(bits.map((b) => b === 1), [2, 4], 'bool');
    const expected = model.predict(x) as pc.Tensor;
    const { data, shape } = await session.run(Uint8Array.from(bits), [2, 4]) as OnnxRunResult;
    expect(shape).toEqual([2, 2]);
    expect(maxRelativeDifference(data, expected.dataSync())).toBeLessThan(1e-5);
    await expect(session.run(Uint8Array.from([0, 2, 1, 1]), [1, 4])).rejects.toThrow('OnnxModel.run: a Uint8Array feeds a bool input with 0s and 1s, got 2 at index 1');
    await expect(session.run(new Float32Array(4), [1, 4])).rejects.toThrow("OnnxModel.run: expected input 'input' of [batch,4] bool, got float32 [1,4] (element type float32 instead of bool)");
    pc.dispose([x, expected]);
    await session.release();
    model.dispose();
  });
});

describe('serving and importing an int32 input', () => {
  let model: pc.Model;
  let bytes: Uint8Array;
  beforeAll(async () => {
    await pc.setBackend('naive');
    pc.setSeed(43);
    model = functionalTokens();
    bytes = exportOnnx(model);
  });
  afterAll(() => model.dispose());

  it('onnxruntime takes an Int32Array and its shape', async () => {
    const session = await OnnxModel.load(bytes);
    const x = tokens(3, 1);
    const expected = model.predict(x) as pc.Tensor;
    const { data, shape } = await session.run(x.dataSync() as Int32Array, [3, TIMESTEPS]) as OnnxRunResult;
    expect(shape).toEqual([3, 2]);
    expect(maxRelativeDifference(data, expected.dataSync())).toBeLessThan(1e-5);
    pc.dispose([x, expected]);
    await session.release();
  });

  it('onnxruntime refuses float32 indices, naming the input, the expected and the given type', async () => {
    const session = await OnnxModel.load(bytes);
    const floats = tokens(3, 1, 'float32');
    await expect(session.run(floats)).rejects.toThrow("OnnxModel.run: expected input 'input' of [batch,5] int32, got float32 [3,5] (element type float32 instead of int32)");
    await expect(session.run(new Float32Array(15), [3, TIMESTEPS])).rejects.toThrow('element type float32 instead of int32');
    floats.dispose();
    await session.release();
  });

  it('the imported model refuses float32 indices, naming the input, the expected and the given type', () => {
    const imported = importOnnx(bytes, { name: 'again' });
    const floats = tokens(3, 1, 'float32');
    expect(() => imported.predict(floats)).toThrow("OnnxGraphModel 'again': expected input 'input' to be int32, got float32 [3,5]");
    floats.dispose();
    imported.dispose();
  });

  it('the imported model exports again with its int32 input, and onnxruntime gives the first model\'s predictions', async () => {
    const imported = importOnnx(bytes);
    const again = exportOnnx(imported);
    expect(elemTypes(graphOf(again).input)).toEqual({ input: INT32 });
    const session = await OnnxModel.load(again);
    const x = tokens(4, 2);
    const [expected, served] = [model.predict(x) as pc.Tensor, await session.run(x) as pc.Tensor];
    expect(maxRelativeDifference(served.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    pc.dispose([x, expected, served]);
    await session.release();
    imported.dispose();
  });

  it('imports a graph whose input is int64 (as tf2onnx writes indices) as an int32 input', () => {
    const imported = importOnnx(int64LookupGraph());
    expect(imported.inputDtypes).toEqual(['int32']);
    const x = pc.tensor(LOOKUP_IDS, [2, 2], 'int32');
    const y = imported.predict(x) as pc.Tensor;
    expect([y.shape, Array.from(y.dataSync())]).toEqual([[2, 2, 2], LOOKED_UP]);
    pc.dispose([x, y]);
    imported.dispose();
  });

  it('onnxruntime feeds a graph\'s int64 input from int32 tensors and Int32Arrays (widened) or a BigInt64Array, and refuses float32', async () => {
    const session = await OnnxModel.load(int64LookupGraph());
    const x = pc.tensor(LOOKUP_IDS, [2, 2], 'int32');
    const served = await session.run(x) as pc.Tensor;
    expect([served.shape, Array.from(served.dataSync())]).toEqual([[2, 2, 2], LOOKED_UP]);
    for (const ids of [Int32Array.from(LOOKUP_IDS), BigInt64Array.from(LOOKUP_IDS, (v) => BigInt(v))]) {
      const { data, shape } = await session.run(ids, [2, 2]) as OnnxRunResult;
      expect([shape, Array.from(data)]).toEqual([[2, 2, 2], LOOKED_UP]);
    }
    await expect(session.run(new Float32Array(4), [2, 2])).rejects.toThrow("OnnxModel.run: expected input 'ids' of [batch,2] int64, got float32 [2,2] (element type float32 instead of int64)");
    await expect(session.run(BigInt64Array.from([0n, 1n]), [1, 3])).rejects.toThrow("OnnxModel.run: expected input 'ids' of [batch,2] int64, got int64 [1,3]");
    pc.dispose([x, served]);
    await session.release();
  });
});
