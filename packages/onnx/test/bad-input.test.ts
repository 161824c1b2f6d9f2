// Errors: ops without ONNX mappings, batch-dependent constants, wrong runtime inputs, files
// that are not ONNX, and graphs the importer cannot run.
import * as pc from '@perceptron/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel } from '../src/index.js';
import { MultilayerPerceptron } from './models.js';

const { onnx } = pkg;

/** Sums rows into segments: unsortedSegmentSum has no ONNX mapping. */
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
beforeAll(async () => {
  await pc.setBackend('naive');
  dir = await mkdtemp(join(tmpdir(), 'perceptron-onnx-bad-'));
  lab = new MultilayerPerceptron();
  lab.buildFromShape([null, 12]);
  labBytes = exportOnnx(lab);
});
afterAll(async () => {
  lab.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('exportOnnx errors', () => {
  it('names the op without an ONNX mapping and the layer running it', () => {
    const model = new pc.Sequential([new pc.Dense(4, { inputShape: [3] }), new SegmentLayer({ name: 'segments' })]);
    expect(() => exportOnnx(model)).toThrow(/op 'unsortedSegmentSum' in layer 'segments' \(sequential(_\d+)? > segments\) cannot be exported: it has no ONNX mapping/);
  });

  it('refuses a constant that depends on the batch size, naming op and layer', () => {
    const model = new pc.Sequential([new BatchCentering({ name: 'batch_centering', inputShape: [3] })]);
    expect(() => exportOnnx(model)).toThrow(/op 'div' in layer 'batch_centering' .*constant operands depends on the batch size/);
  });

  it('asks for the input shape of a model that was never built', () => {
    expect(() => exportOnnx(new MultilayerPerceptron())).toThrow(/has not been built and declares no input shape; pass options.inputShape/);
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
        node: [{ name: 'erf_1', opType: 'Erf', input: ['input'], output: ['output'] }],
        input: [valueInfo('input')],
        output: [valueInfo('output')],
      },
    }).finish();
    expect(() => importOnnx(bytes)).toThrow(/importOnnx: node 'erf_1' has op type 'Erf', which Perceptron cannot import/);
  });
});
