// Shared by the layer tests that check a layer against a float64 computation written in the test
// (normalization, convolution, recurrent): seeded float32 inputs, central finite differences,
// and a record of the largest error each check saw.
import * as pc from '@perceptron/core';
import { afterAll, expect } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { valuesOf } from './support/values.js';

/** `count` float32 values in [low, high) from a generator seeded with `seed`. */
export function draws(count: number, seed: number, low: number, high: number): number[] {
  const generator = new pc.RandomGenerator(seed);
  return Array.from({ length: count }, () => Math.fround(low + (high - low) * generator.nextFloat()));
}

export type Matrix = number[][];

/** `values` as rows of `columns`. */
export function rows(values: readonly number[], columns: number): Matrix {
  return Array.from({ length: values.length / columns }, (_, r) => values.slice(r * columns, (r + 1) * columns));
}

/** x·kernel + bias of a built Dense in float64, then `activation`. */
export function denseReference(x: Matrix, layer: pc.Dense, activation: (v: number) => number = (v) => v): Matrix {
  const kernel = rows(valuesOf(layer.kernel!), layer.units);
  const bias = valuesOf(layer.bias!);
  return x.map((row) => bias.map((b, j) => activation(row.reduce((s, v, k) => s + v * kernel[k]![j]!, b))));
}

export const relu = (v: number): number => Math.max(0, v);

/** d/dv of Σ weights·f over each v in `values`, by central differences of the float64 `f`. */
export function finiteDifferences(values: readonly number[], weights: readonly number[], f: (moved: number[]) => number[]): number[] {
  const objective = (moved: number[]) => f(moved).reduce((s, y, i) => s + y * weights[i]!, 0);
  return values.map((v, i) => {
    const h = 1e-5 * Math.max(1, Math.abs(v));
    const at = (u: number) => objective(values.map((old, j) => (j === i ? u : old)));
    return (at(v + h) - at(v - h)) / (2 * h);
  });
}

/**
 * A function recording the largest |got − want| seen per check; the suite prints them after it
 * has run, for the record (the assertions themselves use tolerances).
 */
export function errorRecorder(suite: string): (check: string, got: ArrayLike<number>, want: readonly number[]) => void {
  const worst = new Map<string, number>();
  afterAll(() => {
    for (const [check, error] of worst) console.log(`${suite}: largest |error| of ${check}: ${error.toExponential(2)}`);
  });
  return (check, got, want) => {
    const error = want.reduce((m, v, i) => Math.max(m, Math.abs(got[i]! - v)), 0);
    worst.set(check, Math.max(worst.get(check) ?? 0, error));
  };
}

/**
 * `model` saved to memory and loaded back has the same layer classes, the same weights (names and
 * values) and the same predictions on `x` (one tensor, or one per input), and each of `layers` comes back from its serialized config as it was.
 */
export async function expectSaveLoadRoundTrip(model: pc.Model, x: pc.ModelInput, layers: readonly pc.Layer[]): Promise<void> {
  const store = pc.memoryStore();
  await model.save(store);
  const loaded = await pc.loadModel(store);
  expect(loaded.layers.map((l) => l.constructor)).toEqual(model.layers.map((l) => l.constructor));
  expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
  expect(loaded.weights.map((w) => Array.from(w.dataSync()))).toEqual(model.weights.map((w) => Array.from(w.dataSync())));
  const [before, after] = [model.predict(x) as pc.Tensor, loaded.predict(x) as pc.Tensor];
  expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
  for (const layer of layers) {
    const again = pc.deserializeLayer(pc.serializeLayer(layer));
    expect(again.constructor).toBe(layer.constructor);
    expect({ ...again.getConfig(), name: layer.name }).toEqual(layer.getConfig());
  }
  pc.dispose([before, after]);
  loaded.dispose();
}

/**
 * Training steps on `x` (SGD on mean(output²) through a tape, in training mode) leave
 * `memory().numTensors` unchanged once the first step has made the optimizer's state.
 */
export function expectTrainingStepsLeakNothing(model: pc.Model, x: pc.Tensor): void {
  const optimizer = new pc.SGD({ learningRate: 0.1 });
  const step = () => pc.tidy(() => {
    const tape = new pc.GradientTape();
    const loss = tape.record(() => pc.mean(pc.square(model.apply(x, { training: true }) as pc.Tensor)));
    optimizer.applyGradients(tape.gradient(loss, model.trainableWeights), model.trainableWeights);
  });
  step();
  const before = pc.memory().numTensors;
  for (let i = 0; i < 3; i++) step();
  expect(pc.memory().numTensors).toBe(before);
}

/**
 * Sets a built layer's kernel to draws in [-1, 1) and its bias to draws in [-0.5, 0.5) (its
 * initial zeros would hide a bias applied wrongly); returns the values.
 */
export function drawKernelAndBias(layer: pc.KernelLayer): { kernel: number[]; bias: number[] } {
  const kernel = draws(layer.kernel!.size, 3, -1, 1);
  const bias = draws(layer.bias!.size, 4, -0.5, 0.5);
  pc.tidy(() => {
    layer.kernel!.assign(pc.tensor(kernel, layer.kernel!.shape));
    layer.bias!.assign(pc.tensor(bias, layer.bias!.shape));
  });
  return { kernel, bias };
}

/**
 * `n` side×side images, row-major, each with a bright vertical (label 0, even samples) or
 * horizontal (label 1) line at a random place, plus noise: a task a small CNN learns quickly.
 */
export function stripeImages(n: number, side: number, seed: number): { pixels: Float32Array; labels: Int32Array } {
  const generator = new pc.RandomGenerator(seed);
  const pixels = new Float32Array(n * side * side);
  const labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    labels[s] = s % 2;
    const line = Math.floor(generator.nextFloat() * side);
    for (let p = 0; p < side * side; p++) {
      const onLine = (labels[s] ? Math.floor(p / side) : p % side) === line;
      pixels[s * side * side + p] = (onLine ? 1 : 0) + 0.1 * generator.nextNormal();
    }
  }
  return { pixels, labels };
}

/** softmax of one row of scores in float64, shifted by the largest. */
export function softmaxRow(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, e) => a + e, 0);
  return exps.map((e) => e / total);
}

/** The gradients of Σ weights·layer(x) w.r.t. x and `variables`, from the tape. */
export function tapeGradients(layer: pc.Layer, x: pc.Tensor, weights: readonly number[], variables: pc.Variable[] = []): number[][] {
  return pc.tidy(() => {
    const tape = new pc.GradientTape();
    tape.watch(x);
    const loss = tape.record(() => {
      const y = layer.apply(x, { training: true }) as pc.Tensor;
      return pc.sum(pc.mul(y, pc.tensor(weights, y.shape)));
    });
    return tape.gradient(loss, [x, ...variables]).map((g) => Array.from(g!.dataSync()));
  });
}

/** The coordinates of the element at flat (row-major) index `flat` of a tensor of `shape`. */
export function coordinatesOf(flat: number, shape: readonly number[]): number[] {
  const coordinates = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coordinates[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return coordinates;
}

/** A layer's gradients to check against its float64 reference (see expectReferenceGradients). */
export interface ReferenceGradients {
  layer: pc.Layer;
  x: pc.Tensor;
  variables: pc.Variable[];
  /** x's values, then each variable's, in the order `reference` takes them. */
  values: readonly (readonly number[])[];
  /** What each entry of `values` is, for the record: 'input', 'kernel', ... */
  names: readonly string[];
  /** The layer's output in float64 for `values`. */
  reference: (values: number[][]) => number[];
  /** Seeds the weights w of the checked sum Σ w·output. */
  seed: number;
  /** Records each gradient's largest error, as `${label} gradient w.r.t. ${name}`. */
  record: (check: string, got: ArrayLike<number>, want: readonly number[]) => void;
  label?: string;
}

/**
 * The tape's gradients of Σ w·layer(x) w.r.t. x and the variables against central finite
 * differences of the reference, each value list moved in turn (to 1e-4 relative and absolute).
 */
export function expectReferenceGradients(c: ReferenceGradients): void {
  const values = c.values.map((v) => [...v]);
  const w = draws(c.reference(values).length, c.seed, -1, 1);
  const got = tapeGradients(c.layer, c.x, w, c.variables);
  values.forEach((own, k) => {
    const want = finiteDifferences(own, w, (moved) => c.reference(values.map((other, j) => (j === k ? moved : other))));
    c.record(`${c.label ?? ''} gradient w.r.t. ${c.names[k]}`.trim(), got[k]!, want);
    expectClose(got[k]!, want, 1e-4, 1e-4);
  });
}
