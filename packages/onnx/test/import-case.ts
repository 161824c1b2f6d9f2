// One ONNX node with its inputs, run by the imported graph and by onnxruntime on every backend:
// the table form the import-limits and gather-scatter tests share.
import * as pc from '@perceptron/core';
import { expect } from 'vitest';
import { importOnnx } from '../src/index.js';
import { expectGraphMatchesOnnxruntime, graphBytes, type ElementType, type Literal, type NodeAttribute, type Signature } from './onnx-graph.js';
import { uniform } from './single-node-graph.js';

/** A graph input fed at run time: given values, or seeded ones in [-scale, scale) (scale 1 unless given). */
export interface CaseInput {
  name: string;
  shape: number[];
  type?: ElementType;
  values?: number[];
  scale?: number;
  seed?: number;
}

export interface ImportCase {
  name: string;
  opType: string;
  attribute?: NodeAttribute[];
  /** The graph's inputs, fed when it runs. */
  inputs: CaseInput[];
  /** Constant inputs (initializers), known when the graph is imported. */
  constants?: Literal[];
  /** The node's input names in order; the inputs' then the constants' unless given ('' leaves one out). */
  nodeInputs?: string[];
  /** The node's outputs, each a graph output ('' leaves one out). */
  outputs: Signature[];
  /** 17 unless given. */
  opset?: number;
  /** 1e-6 unless given. */
  tolerance?: number;
}

export function caseBytes({ opType, attribute = [], inputs, constants = [], nodeInputs, outputs, opset }: ImportCase): Uint8Array {
  return graphBytes({
    nodes: [{ opType, inputs: nodeInputs ?? [...inputs, ...constants].map((i) => i.name), outputs: outputs.map((o) => o.name), attribute }],
    inputs: inputs.map(({ name, shape, type }) => ({ name, shape, ...(type ? { type } : {}) })),
    outputs: outputs.filter((o) => o.name !== ''),
    initializers: constants,
    ...(opset ? { opset } : {}),
  });
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Seeded values in [-scale, scale). */
export const seeded = (shape: readonly number[], seed: number, scale = 1): number[] => Array.from(uniform(sizeOf(shape), seed), (v) => v * scale);

/** A case's input tensors on the active backend. */
export function caseInputs({ inputs }: ImportCase): pc.Tensor[] {
  return inputs.map(({ shape, type = 'float', values, scale = 1, seed = 3 }) => {
    const dtype = type === 'float' ? 'float32' : type === 'bool' ? 'bool' : 'int32';
    return pc.tensor(values ?? seeded(shape, seed, scale), shape, dtype);
  });
}

/** Runs the case against onnxruntime on the active backend; resolves to the largest difference. */
export async function runCase(importCase: ImportCase): Promise<number> {
  const inputs = caseInputs(importCase);
  try {
    return await expectGraphMatchesOnnxruntime(caseBytes(importCase), inputs, importCase.tolerance ?? 1e-6);
  } finally {
    pc.dispose(inputs);
  }
}

/**
 * The gradient of Σ output·target (target seeded) with respect to the imported graph's weights
 * named `names` (initializer names) agrees with central differences of step `epsilon` to
 * `tolerance` relative to max(1, |difference quotient|), every entry; no gradient is all zeros.
 * Leaks no tensor.
 */
export function expectGradientsMatchDifferences(bytes: Uint8Array, x: pc.Tensor, names: readonly string[], epsilon: number, tolerance: number): void {
  const before = pc.memory().numTensors;
  const model = importOnnx(bytes);
  const outputShape = pc.tidy(() => (model.call(x) as pc.Tensor).shape);
  const target = pc.tensor(seeded(outputShape, 62), outputShape);
  const loss = () => pc.sum(pc.mul(model.call(x) as pc.Tensor, target));
  const weights = names.map((name) => model.trainableWeights.find((w) => w.name.endsWith(`/${name}`) || w.name === name)!);
  expect(weights.every((w) => w !== undefined)).toBe(true);
  const gradients = pc.tidy(() => {
    const tape = new pc.GradientTape();
    return tape.gradient(tape.record(loss), weights) as pc.Tensor[];
  });
  for (const [k, weight] of weights.entries()) {
    const original = Float32Array.from(weight.dataSync());
    const analytic = gradients[k]!.dataSync();
    expect(analytic.some((g) => g !== 0)).toBe(true);
    for (let i = 0; i < original.length; i++) {
      const at = (delta: number) => pc.tidy(() => {
        const shifted = Float32Array.from(original);
        shifted[i]! += delta;
        weight.assign(pc.tensor(shifted, weight.shape));
        return loss().dataSync()[0]!;
      });
      const numeric = (at(epsilon) - at(-epsilon)) / (2 * epsilon);
      expect(Math.abs(analytic[i]! - numeric)).toBeLessThan(tolerance * Math.max(1, Math.abs(numeric)));
    }
    pc.tidy(() => weight.assign(pc.tensor(original, weight.shape)));
  }
  pc.dispose([...gradients, target]);
  model.dispose();
  expect(pc.memory().numTensors).toBe(before);
}
