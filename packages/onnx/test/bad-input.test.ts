// Errors: ops without ONNX mappings, batch-dependent constants, names and shapes that do not fit
// a model of several inputs or outputs, wrong runtime inputs, files that are not ONNX, and graphs
// the importer cannot run.
import * as pc from '@perceptron/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel } from '../src/index.js';
import { MultilayerPerceptron, twoHeadsModel, twoInputsModel } from './models.js';

const { onnx } = pkg;

/** The cross-entropy of the inputs with themselves as labels: softmaxCrossEntropyWithLogits has no ONNX mapping (losses are not exported). */
class SelfEntropyLayer extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.softmaxCrossEntropyWithLogits(pc.softmax(x), x);
  }
}

/** Sums the columns of each example into two segments: the result [2, batch] follows the batch size. */
class SegmentLayer extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.transpose(pc.unsortedSegmentSum(pc.transpose(x, [1, 0]), pc.tensor([0, 1, 0, 1], [4], 'int32'), 2), [1, 0]);
  }
}

/** Centres over the batch: the mean divides by the batch size, which a graph cannot bake in. */
class BatchCentering extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.sub(x, pc.mean(x, 0, true));
  }
}

let dir: string;
let lab: MultilayerPerceptron;
let labBytes: Uint8Array;
let heads: pc.Model;
let pair: pc.Model;
let pairBytes: Uint8Array;
beforeAll(async () => {
  await pc.setBackend('naive');
  dir = await mkdtemp(join(tmpdir(), 'perceptron-onnx-bad-'));
  lab = new MultilayerPerceptron();
  lab.buildFromShape([null, 12]);
  labBytes = exportOnnx(lab);
  heads = twoHeadsModel();
  pair = twoInputsModel();
  pairBytes = exportOnnx(pair);
});
afterAll(async () => {
  for (const model of [lab, heads, pair]) model.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('exportOnnx errors', () => {
  it('names the op without an ONNX mapping and the layer running it', () => {
    const model = new pc.Sequential([new pc.Dense(4, { inputShape: [3] }), new SelfEntropyLayer({ name: 'entropy' })]);
    expect(() => exportOnnx(model)).toThrow(/op 'softmaxCrossEntropyWithLogits' in layer 'entropy' \(sequential(_\d+)? > entropy\) cannot be exported: it has no ONNX mapping/);
  });

  it('refuses a segment sum whose result follows the batch size below opset 16, naming op, layer and opset', () => {
    const model = new pc.Sequential([new pc.Dense(4, { inputShape: [3] }), new SegmentLayer({ name: 'segments' })]);
    expect(() => exportOnnx(model, { opset: 15 })).toThrow(/op 'unsortedSegmentSum' in layer 'segments' .*its number of segments follows the batch size, which needs opset 16 or later .*got opset 15/);
  });

  it('refuses a constant that depends on the batch size, naming op and layer', () => {
    const model = new pc.Sequential([new BatchCentering({ name: 'batch_centering', inputShape: [3] })]);
    expect(() => exportOnnx(model)).toThrow(/op 'div' in layer 'batch_centering' .*constant operands depends on the batch size/);
  });

  it('asks for the input shape of a model that was never built', () => {
    expect(() => exportOnnx(new MultilayerPerceptron())).toThrow(/has not been built and declares no input shape; pass options.inputShape/);
  });

  it('names how many output names a model of several outputs needs, and what was given', () => {
    expect(() => exportOnnx(heads, { outputNames: ['digit'] })).toThrow("exportOnnx: expected outputNames to give 2 names, one per output of model 'two_heads', got 1: ['digit']");
    expect(() => exportOnnx(heads, { outputName: 'digit' })).toThrow("exportOnnx: outputName names the only output of a model, but model 'two_heads' has 2 outputs; pass outputNames (2 names)");
    expect(() => exportOnnx(heads, { outputName: 'a', outputNames: ['b', 'c'] })).toThrow("exportOnnx: expected outputName or outputNames, not both, got 'a' and ['b', 'c']");
  });

  it('names how many input names and shapes a model of several inputs needs, and what was given', () => {
    expect(() => exportOnnx(pair, { inputNames: ['left', 'right', 'extra'] })).toThrow("exportOnnx: expected inputNames to give 2 names, one per input of model 'pair', got 3: ['left', 'right', 'extra']");
    expect(() => exportOnnx(pair, { inputName: 'x' })).toThrow("exportOnnx: inputName names the only input of a model, but model 'pair' has 2 inputs; pass inputNames (2 names)");
    expect(() => exportOnnx(pair, { inputShape: [4] })).toThrow("exportOnnx: expected inputShape to give 2 feature shapes, one per input of model 'pair', got 1: [4]");
    expect(() => exportOnnx(pair, { inputShape: [[4], [0]] })).toThrow('exportOnnx: expected inputShape to be positive integers (the feature dimensions, without the batch), or a list of such shapes for a model of several inputs, got [[4],[0]]');
  });

  it('refuses names that repeat or are empty, listing every input and output name', () => {
    expect(() => exportOnnx(heads, { outputNames: ['input', 'size'] })).toThrow("exportOnnx: expected different, non-empty input and output names, got inputs ['input'] and outputs ['input', 'size']");
    expect(() => exportOnnx(pair, { inputNames: ['left', ''] })).toThrow("got inputs ['left', ''] and outputs ['score', 'mix']");
    // An output layer may be named like the default input; the options tell them apart.
    const input = pc.Input({ shape: [2] });
    const clash = new pc.Model({ inputs: input, outputs: [new pc.Dense(3, { name: 'input' }).apply(input), new pc.Dense(1).apply(input)], name: 'clash' });
    expect(() => exportOnnx(clash)).toThrow(/got inputs \['input'\] and outputs \['input', 'dense(_\d+)?'\]; options.inputNames and options.outputNames choose them/);
    expect(() => exportOnnx(clash, { inputName: 'x' })).not.toThrow();
    clash.dispose();
  });
});

describe('OnnxModel.run errors', () => {
  it('names the expected and the given shape', async () => {
    const session = await OnnxModel.load(labBytes);
    const wrong = pc.zeros([2, 5]);
    await expect(session.run(wrong)).rejects.toThrow("OnnxModel.run: expected input 'input' of [batch,12] float, got float32 [2,5]");
    await expect(session.run(new Float32Array(24), [2, 12, 1])).rejects.toThrow('got float32 [2,12,1]');
    await expect(session.run(new Float32Array(23), [2, 12])).rejects.toThrow('shape [2,12] needs 24 values, the array has 23');
    wrong.dispose();
    await session.release();
  });

  it('names the expected and the given dtype', async () => {
    const session = await OnnxModel.load(labBytes);
    const ints = pc.zeros([2, 12], 'int32');
    await expect(session.run(ints)).rejects.toThrow("expected input 'input' of [batch,12] float, got int32 [2,12] (element type int32 instead of float)");
    await expect(session.run(new Int32Array(24), [2, 12])).rejects.toThrow('element type int32 instead of float');
    ints.dispose();
    await session.release();
  });

  it('names the inputs of a model of several when given another count, a typed array, or a wrong shape', async () => {
    const session = await OnnxModel.load(pairBytes);
    const [left, right, wide] = [pc.zeros([2, 4]), pc.zeros([2, 3]), pc.zeros([2, 5])];
    const inputs = "input 'left' of [batch,4] float, input 'right' of [batch,3] float";
    await expect(session.run(left)).rejects.toThrow(`OnnxModel.run: expected 2 tensors, one per input (${inputs}), got one`);
    await expect(session.run([left, right, right])).rejects.toThrow(`OnnxModel.run: expected 2 tensors, one per input (${inputs}), got a list of 3`);
    await expect(session.run(new Float32Array(8), [2, 4])).rejects.toThrow(`OnnxModel.run: a typed array feeds a model of one input; this one takes 2 (${inputs}), so pass a list of 2 tensors`);
    await expect(session.run([left, wide])).rejects.toThrow("OnnxModel.run: expected input 'right' of [batch,3] float, got float32 [2,5]");
    await expect(session.run([left, new Float32Array(6)] as unknown as pc.Tensor[])).rejects.toThrow(`OnnxModel.run: expected a list of Tensors, one per input (${inputs}), got a list whose item 1 is Float32Array`);
    pc.dispose([left, right, wide]);
    await session.release();
  });

  it('names the expected and the given input names when tensors keyed by name miss one or add another', async () => {
    const session = await OnnxModel.load(pairBytes);
    const [left, right, wide] = [pc.zeros([2, 4]), pc.zeros([2, 3]), pc.zeros([2, 5])];
    const expected = "OnnxModel.run: expected tensors keyed by the graph's input names 'left', 'right'";
    await expect(session.run({ left })).rejects.toThrow(`${expected}, got keys 'left' (missing 'right')`);
    await expect(session.run({ left, rigth: right })).rejects.toThrow(`${expected}, got keys 'left', 'rigth' (missing 'right', unknown 'rigth')`);
    await expect(session.run({ left, right, extra: right })).rejects.toThrow(`${expected}, got keys 'left', 'right', 'extra' (unknown 'extra')`);
    await expect(session.run({})).rejects.toThrow(`${expected}, got no keys (missing 'left', 'right')`);
    const inputs = "input 'left' of [batch,4] float, input 'right' of [batch,3] float";
    await expect(session.run({ left, right: new Float32Array(6) } as unknown as pc.NamedTensors)).rejects.toThrow(`OnnxModel.run: expected Tensors keyed by input name (${inputs}), got Float32Array for 'right'`);
    await expect(session.run({ left, right: wide })).rejects.toThrow("OnnxModel.run: expected input 'right' of [batch,3] float, got float32 [2,5]");
    await expect(session.run(null as unknown as pc.Tensor)).rejects.toThrow(`OnnxModel.run: expected a Tensor, a list of Tensors or Tensors keyed by input name (${inputs}), or a typed array and its shape, got null`);
    pc.dispose([left, right, wide]);
    await session.release();
  });
});

describe('loading files that are not ONNX models', () => {
  it('names a file that is not ONNX', async () => {
    const path = join(dir, 'notes.onnx');
    await writeFile(path, 'these are not the weights you are looking for\n');
    await expect(OnnxModel.load(path)).rejects.toThrow(`OnnxModel.load: ${path} is not a valid ONNX model`);
  });

  it('names a truncated file', async () => {
    const path = join(dir, 'truncated.onnx');
    await writeFile(path, labBytes.subarray(0, Math.floor(labBytes.length / 2)));
    await expect(OnnxModel.load(path)).rejects.toThrow(new RegExp(`OnnxModel.load: ${path} is not a valid ONNX model: .*truncated`));
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing.onnx');
    await expect(OnnxModel.load(path)).rejects.toThrow(`OnnxModel.load: model file ${path} does not exist`);
  });

  it('importOnnx rejects bytes that are not a model', () => {
    expect(() => importOnnx(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(/importOnnx: bytes is not a valid ONNX model/);
  });
});

describe('importOnnx errors', () => {
  it('names the op type and the node it cannot run', () => {
    const valueInfo = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 4 }] } } } });
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [{ name: 'tfidf_1', opType: 'TfIdfVectorizer', input: ['input'], output: ['output'] }],
        input: [valueInfo('input')],
        output: [valueInfo('output')],
      },
    }).finish();
    expect(() => importOnnx(bytes)).toThrow(/importOnnx: node 'tfidf_1' has op type 'TfIdfVectorizer', which Perceptron cannot import/);
  });

  it('the imported model of two inputs names them when given one tensor', () => {
    const imported = importOnnx(pairBytes);
    const x = pc.zeros([2, 4]);
    expect(() => imported.predict(x)).toThrow("OnnxGraphModel 'pair': expected 2 input tensors ('left', 'right'), got 1");
    x.dispose();
    imported.dispose();
  });

  it('refuses a graph without outputs, naming the counts', () => {
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g', input: [{ name: 'input', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }] } } } }] },
    }).finish();
    expect(() => importOnnx(bytes)).toThrow('importOnnx: bytes is not a valid ONNX model: expected a graph with at least one input and one output, got 1 inputs and 0 outputs');
  });
});
