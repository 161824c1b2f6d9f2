// ONNX graphs of one node, written by hand, for the import tests of what Perceptron's exporter
// does not write itself: attributes and weights as onnx-proto encodes them, and the check that
// the imported graph computes what onnxruntime does.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { expect } from 'vitest';
import { importOnnx, OnnxModel } from '../src/index.js';
import { maxRelativeDifference } from './models.js';

const { onnx } = pkg;

export type Attribute = { name: string; type: number; ints?: number[]; i?: number; f?: number; s?: Uint8Array };
export const ints = (name: string, values: number[]): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
export const int = (name: string, value: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
export const float = (name: string, value: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });
export const text = (name: string, value: string): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) });

/** A float32 weight the node reads as its input `name`. */
export interface Weight {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface SingleNode {
  opType: string;
  attribute: Attribute[];
  /** Channels-first [batch, ...]: the batch is symbolic in the graph. */
  inputShape: number[];
  /** The output's channels; its batch and other sizes are symbolic (as many as the input has). */
  outputChannels: number;
  weights?: Weight[];
  /** The ai.onnx opset the graph imports; 17 unless given. */
  opset?: number;
  /** Outputs of the node beyond 'output' (optional ones, such as LayerNormalization's Mean), not outputs of the graph. */
  extraOutputs?: string[];
}

/** A graph whose node `${opType}_1` reads 'input' (then the weights) and writes 'output'. */
export function singleNodeGraph({ opType, attribute, inputShape, outputChannels, weights = [], opset = 17, extraOutputs = [] }: SingleNode): Uint8Array {
  const dims = (shape: (number | string)[]) => shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  const valueInfo = (name: string, shape: (number | string)[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims(shape) } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: opType,
      node: [{ name: `${opType}_1`, opType, input: ['input', ...weights.map((w) => w.name)], output: ['output', ...extraOutputs], attribute }],
      initializer: weights.map(({ name, shape, values }) => ({ name, dims: shape, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(values) })),
      input: [valueInfo('input', ['batch', ...inputShape.slice(1)])],
      output: [valueInfo('output', ['batch', outputChannels, ...inputShape.slice(2).map((_, i) => `size${i + 2}`)])],
    },
  }).finish();
}

/** Seeded values in [-1, 1). */
export function uniform(n: number, seed: number): Float32Array {
  const g = new pc.RandomGenerator(seed);
  return Float32Array.from({ length: n }, () => 2 * g.nextFloat() - 1);
}

/**
 * The graph `bytes` imported and run on the active backend gives onnxruntime's output for seeded
 * inputs of `inputShape` (in [-scale, scale)), to `tolerance` (1e-6 unless given) relative to
 * max(1, |onnxruntime's value|); resolves to the largest such difference.
 */
export async function expectImportMatchesOnnxruntime(bytes: Uint8Array, inputShape: number[], { tolerance = 1e-6, scale = 1 } = {}): Promise<number> {
  const session = await OnnxModel.load(bytes);
  const imported = importOnnx(bytes);
  const x = pc.tensor(uniform(inputShape.reduce((a, b) => a * b, 1), 3).map((v) => v * scale), inputShape);
  const [want, got] = [await session.run(x) as pc.Tensor, imported.predict(x) as pc.Tensor];
  expect(got.shape).toEqual(want.shape);
  const difference = maxRelativeDifference(got.dataSync(), want.dataSync());
  expect(difference).toBeLessThan(tolerance);
  pc.dispose([x, want, got]);
  imported.dispose();
  await session.release();
  return difference;
}
