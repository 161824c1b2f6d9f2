import {
  add, logSoftmax, matMul, mean, mul, neg, oneHot, randomNormal, relu, softmax, square, sub, sum, tensor, type Tensor,
} from '@perceptron/core';
import * as ref from './reference/index.js';
import type { NDArray } from './reference/index.js';

/** A 2-hidden-layer MLP's parameter shapes: 5 inputs → 6 → 6 → 3 classes. */
export const MLP_SHAPES: Record<string, number[]> = {
  w1: [5, 6], b1: [6], w2: [6, 6], b2: [6], w3: [6, 3], b3: [3],
};
/** The rows of the MLP's batch. */
export const MLP_BATCH = 8;
/** The MLP batch's class labels, one per row. */
export const MLP_LABELS = [0, 2, 1, 1, 0, 2, 2, 1];

/** Seeded weights, inputs and labels, drawn by core's random ops on the active backend. */
export function mlpTensors(): { params: Record<string, Tensor>; x: Tensor; labels: Tensor } {
  const params = Object.fromEntries(Object.entries(MLP_SHAPES).map(([name, shape], i) => [name, randomNormal(shape, 0, 0.7, 'float32', 100 + i)]));
  return { params, x: randomNormal([MLP_BATCH, 5], 0, 1, 'float32', 99), labels: tensor(MLP_LABELS, [MLP_BATCH], 'int32') };
}

/**
 * Cross-entropy through logSoftmax plus a squared error on softmax, so both are exercised:
 * mean(−Σ y·logSoftmax(z)) + mean((softmax(z) − y)²). Plain ops only.
 */
export function mlpLoss(p: Record<string, Tensor>, x: Tensor, labels: Tensor): Tensor {
  const h1 = relu(add(matMul(x, p.w1!), p.b1!));
  const h2 = relu(add(matMul(h1, p.w2!), p.b2!));
  const z = add(matMul(h2, p.w3!), p.b3!);
  const y = oneHot(labels, 3);
  const crossEntropy = mean(neg(sum(mul(y, logSoftmax(z)), -1)));
  return add(crossEntropy, mean(square(sub(softmax(z), y))));
}

/** The same loss on the float64 oracle. */
export function mlpLossReference(p: Record<string, NDArray>, x: NDArray): number {
  const relu64 = (a: NDArray): NDArray => ref.elementwise([a], (v) => Math.max(v, 0));
  const layer = (a: NDArray, w: NDArray, b: NDArray): NDArray => ref.elementwise([ref.matMul(a, w), b], (u, v) => u + v);
  const z = layer(relu64(layer(relu64(layer(x, p.w1!, p.b1!)), p.w2!, p.b2!)), p.w3!, p.b3!);
  const y = ref.oneHot(ref.ndarray([MLP_BATCH], MLP_LABELS), 3, 1, 0);
  const crossEntropy = ref.mean(ref.sum(ref.elementwise([y, ref.logSoftmax(z)], (a, b) => -a * b), -1)).data[0]!;
  return crossEntropy + ref.mean(ref.elementwise([ref.softmax(z), y], (s, t) => (s - t) ** 2)).data[0]!;
}

/** ∂loss/∂parameter on the oracle, by central differences. */
export function mlpGradientReference(p: Record<string, NDArray>, x: NDArray): Record<string, number[]> {
  return Object.fromEntries(Object.keys(p).map((name) => [name, Array.from(p[name]!.data, (v, i) => {
    const h = 1e-6 * (Math.abs(v) || 1);
    const at = (value: number): number => {
      const data = p[name]!.data.slice();
      data[i] = value;
      return mlpLossReference({ ...p, [name]: { shape: p[name]!.shape, data } }, x);
    };
    return (at(v + h) - at(v - h)) / (v + h - (v - h));
  })]));
}
