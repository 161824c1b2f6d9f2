// The exported ModelProto itself: versions, names, the symbolic batch, initializers, op choices.
import * as pc from '@perceptron/core';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel, saveOnnx, type OnnxRunResult } from '../src/index.js';
import { everyOpModel, MultilayerPerceptron, randomBatch } from './models.js';

const { onnx } = pkg;

// The decoded message as plain objects, int64 fields as numbers.
interface ValueInfo { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } } }
interface NodeInfo { name: string; opType: string; input: string[]; output: string[]; attribute: { name: string; ints: number[] }[] }
interface Initializer { name: string; dataType: number; dims: number[]; rawData: Uint8Array }
interface Decoded {
  irVersion: number;
  opsetImport: { domain?: string; version: number }[];
  graph: { node: NodeInfo[]; initializer: Initializer[]; input: ValueInfo[]; output: ValueInfo[] };
}
const decode = (bytes: Uint8Array): Decoded => onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, arrays: true }) as Decoded;
const littleEndian = (raw: Uint8Array) => new DataView(raw.buffer, raw.byteOffset, raw.byteLength);

let lab: MultilayerPerceptron;
beforeAll(async () => {
  await pc.setBackend('naive');
  pc.setSeed(3);
  lab = new MultilayerPerceptron();
  lab.buildFromShape([null, 12]);
});
afterAll(() => lab.dispose());

describe('exported graph', () => {
  it.each([[13, 7], [17, 8], [18, 8], [19, 9], [21, 10]])('opset %i is stamped with IR version %i', (opset, ir) => {
    const model = decode(exportOnnx(lab, { opset }));
    expect((model.irVersion)).toBe(ir);
    expect(model.opsetImport.map((o) => [o.domain ?? '', o.version])).toEqual([['', opset]]);
  });

  it('defaults to opset 17 and rejects opsets it cannot write', () => {
    expect((decode(exportOnnx(lab)).opsetImport[0]!.version)).toBe(17);
    expect(() => exportOnnx(lab, { opset: 12 })).toThrow(/opset 12 is not supported; expected one of 13, .*21/);
  });

  it("names the input 'input' and the output 'output', each with the symbolic batch first", () => {
    const graph = decode(exportOnnx(lab)).graph!;
    const dims = (v: ValueInfo) => v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue);
    expect(graph.input.map((v) => v.name)).toEqual(['input']);
    expect(graph.output.map((v) => v.name)).toEqual(['output']);
    expect(dims(graph.input[0]!)).toEqual(['batch', 12]);
    expect(dims(graph.output[0]!)).toEqual(['batch', 10]);
    expect(graph.input[0]!.type!.tensorType!.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
  });

  it('stores each weight as a float initializer named like its variable, with raw little-endian data', () => {
    const graph = decode(exportOnnx(lab)).graph!;
    const weights = lab.weights;
    const floats = graph.initializer.filter((t) => t.dataType === onnx.TensorProto.DataType.FLOAT);
    expect(floats.map((t) => t.name).sort()).toEqual(weights.map((w) => w.name).sort());
    for (const w of weights) {
      const init = graph.initializer.find((t) => t.name === w.name)!;
      expect(init.dims).toEqual(w.shape);
      expect(init.rawData.length).toBe(4 * w.size);
      const view = littleEndian(init.rawData);
      const values = Array.from({ length: w.size }, (_, i) => view.getFloat32(4 * i, true));
      expect(values).toEqual(Array.from(w.dataSync()));
    }
  });

  it('maps the lab MLP to MatMul/Add/Relu and its hand-written softmax to ReduceMax, Sub, Exp, ReduceSum, Div', () => {
    const graph = decode(exportOnnx(lab)).graph!;
    expect(graph.node.map((n) => n.opType)).toEqual([
      'MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'ReduceMax', 'Sub', 'Exp', 'ReduceSum', 'Div',
    ]);
    expect(graph.node.at(-1)!.output).toEqual(['output']);
    expect(graph.node[0]!.name).toMatch(/^multilayerPerceptron\/perceptron_layer(_\d+)?\/MatMul$/);
  });

  it('gives ReduceMax its axes as an attribute before opset 18 and as an input from 18', () => {
    const reduceMax = (opset: number) => decode(exportOnnx(lab, { opset })).graph!.node.find((n) => n.opType === 'ReduceMax')!;
    const at17 = reduceMax(17);
    expect(at17.input).toHaveLength(1);
    expect(at17.attribute.find((a) => a.name === 'axes')!.ints).toEqual([1]);
    const at18 = reduceMax(18);
    expect(at18.input).toHaveLength(2);
    expect(at18.attribute.some((a) => a.name === 'axes')).toBe(false);
  });

  it('writes reshape targets without the traced batch size, and uses every mapped op family', () => {
    const model = everyOpModel();
    const graph = decode(exportOnnx(model)).graph!;
    const types = new Set(graph.node.map((n) => n.opType));
    for (const op of ['Reshape', 'MatMul', 'Transpose', 'Slice', 'Pad', 'Concat', 'Gather', 'ArgMax', 'OneHot', 'Not', 'Equal', 'Where',
      'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Expand', 'Floor', 'Div', 'Pow', 'Log', 'Exp', 'Max', 'Min', 'Sign', 'Abs', 'Neg',
      'Sqrt', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'Identity', 'LogSoftmax', 'Mul', 'Add', 'Gemm', 'Cast', 'Constant']) {
      expect(types, op).toContain(op);
    }
    const flatten = graph.node.find((n) => n.name.startsWith('sequential') && n.name.includes('flatten') && n.opType === 'Reshape')!;
    const target = graph.initializer.find((t) => t.name === flatten.input[1])!;
    const view = littleEndian(target.rawData);
    expect([0, 1].map((i) => Number(view.getBigInt64(8 * i, true)))).toEqual([0, 12]);
    model.dispose();
  });

  it('leaves no tensor and no patched layer behind', () => {
    const before = pc.memory().numTensors;
    exportOnnx(lab);
    expect(pc.memory().numTensors).toBe(before);
    for (const layer of [lab, ...lab.childLayers]) expect(Object.prototype.hasOwnProperty.call(layer, 'call')).toBe(false);
  });

  it('uses the given input and output names, which onnxruntime then expects', async () => {
    const bytes = exportOnnx(lab, { inputName: 'pixels', outputName: 'probabilities' });
    const graph = decode(bytes).graph!;
    expect([graph.input[0]!.name, graph.output[0]!.name]).toEqual(['pixels', 'probabilities']);
    const session = await OnnxModel.load(bytes);
    const x = randomBatch(4, 12, 1);
    const y = await session.run(x) as pc.Tensor;
    expect(y.shape).toEqual([4, 10]);
    // Each row is a probability distribution.
    const rows = pc.sum(y, -1).dataSync();
    for (const total of rows) expect(total).toBeCloseTo(1, 5);
    pc.dispose([x, y, pc.tensor(rows)]);
    await session.release();
  });

  it('exports a model that returns its input as an Identity node', async () => {
    const model = new pc.Sequential([new pc.Activation({ activation: 'linear', inputShape: [3] })]);
    const bytes = exportOnnx(model);
    expect(decode(bytes).graph.node.map((n) => [n.opType, n.input, n.output])).toEqual([['Identity', ['input'], ['output']]]);
    const session = await OnnxModel.load(bytes);
    const { data, shape } = await session.run(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]) as OnnxRunResult;
    expect([Array.from(data), shape]).toEqual([[1, 2, 3, 4, 5, 6], [2, 3]]);
    await session.release();
  });

  it('an imported model exports again to the same ops and weights', () => {
    const original = decode(exportOnnx(lab));
    const imported = importOnnx(exportOnnx(lab));
    const again = decode(exportOnnx(imported));
    expect(again.graph.node.map((n) => n.opType)).toEqual(original.graph.node.map((n) => n.opType));
    const floats = (m: Decoded) => m.graph.initializer.filter((t) => t.dataType === onnx.TensorProto.DataType.FLOAT).map((t) => Array.from(t.rawData)).sort();
    expect(floats(again)).toEqual(floats(original));
    imported.dispose();
  });

  it('saveOnnx writes the file atomically, and OnnxModel.load reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perceptron-onnx-'));
    try {
      const path = join(dir, 'lab.onnx');
      await saveOnnx(lab, path);
      expect(await readdir(dir)).toEqual(['lab.onnx']);
      const session = await OnnxModel.load(path);
      expect(session.source).toBe(path);
      expect([session.opset, session.irVersion]).toEqual([17, 8]);
      await session.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
