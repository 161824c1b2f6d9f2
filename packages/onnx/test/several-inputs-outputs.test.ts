// Models of several outputs and inputs: two heads on a trunk (one head feeding the other), the
// two outputs of one layer, two inputs, subclassed models returning a list. onnxruntime and the
// re-imported model give predict's outputs on every backend; the graph names its inputs and
// outputs as the model does, or as the options say, each with the symbolic batch first, and
// onnxruntime takes the inputs keyed by those names.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel, type ExportOnnxOptions } from '../src/index.js';
import { graphOf, type ValueInfo } from './decoded-graph.js';
import { expectExportMatchesPredict, tensorList } from './export-check.js';
import { BACKENDS, DifferenceLog, maxRelativeDifference, randomBatch, twoHeadsModel, twoInputsModel } from './models.js';

const { onnx } = pkg;

/** A layer of two outputs: the first and second half of the last axis. */
class SplitHalves extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor[] {
    return pc.split(x, 2, -1);
  }
  override computeOutputShape(shape: pc.SymbolicShape): pc.SymbolicShape[] {
    const half = [...shape.slice(0, -1), shape.at(-1)! / 2];
    return [half, half];
  }
}

/** Input(5) → Dense(6, relu) → SplitHalves 'halves', whose two outputs are the model's. */
function halvesModel(): pc.Model {
  const input = pc.Input({ shape: [5] });
  const [first, second] = new SplitHalves({ name: 'halves' }).apply(new pc.Dense(6, { activation: 'relu' }).apply(input));
  return new pc.Model({ inputs: input, outputs: [first!, second!], name: 'halves_model' });
}

/** A subclassed model returning a list: its outputs have no names. */
class TwoRegressions extends pc.Model {
  readonly first = new pc.Dense(1);
  readonly second = new pc.Dense(2);
  override call(x: pc.Tensor): pc.Tensor[] {
    return [this.first.apply(x), this.second.apply(pc.relu(x))];
  }
}

/** A subclassed model taking a list of two inputs (of 3 and 2 features) and returning two outputs. */
class Blend extends pc.Model {
  readonly dense = new pc.Dense(3);
  override call(inputs: pc.Tensor[]): pc.Tensor[] {
    const [a, b] = inputs as [pc.Tensor, pc.Tensor];
    return [pc.add(a, this.dense.apply(b)), pc.mul(a, pc.sum(b, -1, true))];
  }
}

interface Case {
  name: string;
  make(): pc.Model;
  inputOf(batch: number): pc.Tensor | pc.Tensor[];
  options?: ExportOnnxOptions;
  /** The graph's input and output names, each with its shape. */
  inputs: Record<string, (string | number)[]>;
  outputs: Record<string, (string | number)[]>;
}

const CASES: Case[] = [
  {
    name: 'two heads, the softmax head feeding the regression head',
    make: twoHeadsModel,
    inputOf: (batch) => randomBatch(batch, 6, 100 + batch),
    inputs: { input: ['batch', 6] },
    outputs: { digit: ['batch', 3], size: ['batch', 1] },
  },
  {
    name: 'the two outputs of one layer',
    make: halvesModel,
    inputOf: (batch) => randomBatch(batch, 5, 200 + batch),
    inputs: { input: ['batch', 5] },
    outputs: { halves_0: ['batch', 3], halves_1: ['batch', 3] },
  },
  {
    name: 'two inputs, two outputs',
    make: twoInputsModel,
    inputOf: (batch) => [randomBatch(batch, 4, 300 + batch), randomBatch(batch, 3, 400 + batch)],
    inputs: { left: ['batch', 4], right: ['batch', 3] },
    outputs: { score: ['batch', 2], mix: ['batch', 4] },
  },
  {
    name: 'a subclassed model returning a list',
    make: () => new TwoRegressions({ name: 'regressions' }),
    inputOf: (batch) => randomBatch(batch, 5, 500 + batch),
    options: { inputShape: [5] },
    inputs: { input: ['batch', 5] },
    outputs: { output_1: ['batch', 1], output_2: ['batch', 2] },
  },
  {
    name: 'a subclassed model taking a list, with names given',
    make: () => new Blend({ name: 'blend' }),
    inputOf: (batch) => [randomBatch(batch, 3, 600 + batch), randomBatch(batch, 2, 700 + batch)],
    options: { inputShape: [[3], [2]], inputNames: ['a', 'b'], outputNames: ['sum', 'scaled'] },
    inputs: { a: ['batch', 3], b: ['batch', 2] },
    outputs: { sum: ['batch', 3], scaled: ['batch', 3] },
  },
];

const signatures = (values: ValueInfo[]) => Object.fromEntries(values.map((v) => [v.name, v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue)]));

const log = new DifferenceLog('models of several inputs and outputs');
afterAll(() => log.print());

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES)('$name: onnxruntime and the imported model match predict, output by output', async ({ make, inputOf, options }) => {
    await pc.setBackend(backend);
    pc.setSeed(31);
    const model = make();
    try {
      await expectExportMatchesPredict(model, inputOf, [1, 37], log, backend, options);
    } finally {
      model.dispose();
    }
  });

  it('two heads after a little training with a loss per head: onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(37);
    const model = twoHeadsModel();
    model.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', size: 'meanSquaredError' } });
    const x = randomBatch(64, 6, 1);
    const y = [pc.tensor(Array.from({ length: 64 }, (_, i) => i % 3), [64], 'int32'), randomBatch(64, 1, 2)];
    try {
      await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, 6, 100 + batch), [1, 37], log, backend);
    } finally {
      model.dispose();
      pc.dispose([x, ...y]);
    }
  });
});

describe('names', () => {
  beforeAll(() => pc.setBackend('naive'));

  it.each(CASES)('$name: the graph, onnxruntime and the imported model name each input and output', async ({ make, options, inputs, outputs }) => {
    const model = make();
    const bytes = exportOnnx(model, options);
    const graph = graphOf(bytes);
    expect(signatures(graph.input)).toEqual(inputs);
    expect(signatures(graph.output)).toEqual(outputs);
    expect(graph.output.map((v) => v.type.tensorType.elemType)).toEqual(Object.keys(outputs).map(() => onnx.TensorProto.DataType.FLOAT));
    const session = await OnnxModel.load(bytes);
    expect([session.inputs.map((v) => v.name), session.outputs.map((v) => v.name)]).toEqual([Object.keys(inputs), Object.keys(outputs)]);
    const imported = importOnnx(bytes);
    expect([imported.inputNames, imported.outputNames]).toEqual([Object.keys(inputs), Object.keys(outputs)]);
    await session.release();
    imported.dispose();
    model.dispose();
  });

  it('onnxruntime takes the inputs keyed by graph input name, in any order, and gives predict\'s outputs', async () => {
    const model = twoInputsModel();
    const [left, right] = [randomBatch(5, 4, 11), randomBatch(5, 3, 12)];
    const expected = tensorList(model.predict([left, right]));
    const session = await OnnxModel.load(exportOnnx(model));
    const renamed = await OnnxModel.load(exportOnnx(model, { inputNames: ['a', 'b'] }));
    const results = [await session.run({ right, left }), await renamed.run({ a: left, b: right })].map((r) => tensorList(r));
    for (const outputs of results) {
      expect(outputs.map((t) => t.shape)).toEqual(expected.map((t) => t.shape));
      outputs.forEach((t, i) => expect(maxRelativeDifference(t.dataSync(), expected[i]!.dataSync())).toBeLessThan(1e-5));
    }
    pc.dispose([left, right, ...expected, ...results.flat()]);
    await Promise.all([session.release(), renamed.release()]);
    model.dispose();
  });

  it('a head that also feeds the other keeps its name where the other head reads it', () => {
    const model = twoHeadsModel();
    const graph = graphOf(exportOnnx(model));
    expect(graph.node.find((n) => n.output.includes('digit'))!.opType).toBe('Softmax');
    expect(graph.node.find((n) => n.opType === 'Concat')!.input).toContain('digit');
    model.dispose();
  });

  it('outputNames, given, rename the outputs', () => {
    const model = twoHeadsModel();
    const graph = graphOf(exportOnnx(model, { inputName: 'x', outputNames: ['probabilities', 'estimate'] }));
    expect([graph.input.map((v) => v.name), graph.output.map((v) => v.name)]).toEqual([['x'], ['probabilities', 'estimate']]);
    model.dispose();
  });

  it('an imported model exports again under the same input and output names', () => {
    const model = twoInputsModel();
    const imported = importOnnx(exportOnnx(model));
    // The imported graph declares no input shapes for a model of several inputs, so they are given.
    const again = graphOf(exportOnnx(imported, { inputShape: [[4], [3]] }));
    expect([again.input.map((v) => v.name), again.output.map((v) => v.name)]).toEqual([['left', 'right'], ['score', 'mix']]);
    imported.dispose();
    model.dispose();
  });

  it('an output that is the input, or another output too, is copied by an Identity node, which onnxruntime runs', async () => {
    const input = pc.Input({ shape: [3], name: 'features' });
    const hidden = new pc.Dense(2, { name: 'hidden' }).apply(input);
    const model = new pc.Model({ inputs: input, outputs: [input, hidden, hidden], name: 'echo' });
    expect(graphOf(exportOnnx(model)).output.map((v) => v.name)).toEqual(['features', 'hidden_0', 'hidden_1']);
    const bytes = exportOnnx(model, { outputNames: ['same', 'hidden', 'again'] });
    const graph = graphOf(bytes);
    expect(graph.node.filter((n) => n.opType === 'Identity').map((n) => [n.input, n.output])).toEqual([[['input'], ['same']], [['hidden'], ['again']]]);
    const session = await OnnxModel.load(bytes);
    const x = randomBatch(4, 3, 9);
    const [same, hiddenOut, again] = await session.run(x) as [pc.Tensor, pc.Tensor, pc.Tensor];
    const predicted = tensorList(model.predict(x));
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(maxRelativeDifference(hiddenOut.dataSync(), predicted[1]!.dataSync())).toBeLessThan(1e-5);
    expect(Array.from(again.dataSync())).toEqual(Array.from(hiddenOut.dataSync()));
    pc.dispose([x, same, hiddenOut, again, ...predicted]);
    await session.release();
    model.dispose();
  });
});
