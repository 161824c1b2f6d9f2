import { GradientTape, RandomGenerator, mul, sum, tensor, tidy, type DataArray, type DType, type Tensor } from '@perceptron/core';
import { OPS } from './cases/ops.js';
import type { Bound, InputData, OpCase } from './cases/types.js';
import { compare, type Comparison } from './compare.js';
import { ndarray, sizeOfShape, type NDArray } from './reference/index.js';
import { usesWebglColumn } from './tolerances.js';

/** The identity of a backend as far as tolerances care. */
export interface BackendId {
  readonly name: string;
  readonly floatPrecision: number;
}

/** What one check found; `comparison` is null when it could not compare (error, no bound). */
export interface CheckResult {
  readonly pass: boolean;
  readonly comparison: Comparison | null;
  readonly message: string;
}

const TYPED = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** A case's input as a tensor on the active backend. */
export function toTensor(input: InputData): Tensor {
  return tensor(TYPED[input.dtype].from(input.values), input.shape, input.dtype);
}

/** A case's input as the float64 oracle's array. */
export function toNDArray(input: InputData): NDArray {
  return ndarray(input.shape, input.values);
}

function boundsFor(c: OpCase, backend: BackendId): { forward: Bound; gradient: Bound | null } | string {
  if (!usesWebglColumn(backend)) return c.tolerance;
  return c.tolerance.webgl ?? `no WebGL tolerance has been measured for ${c.op} yet (the browser issue fills TOLERANCES' webgl column)`;
}

function fail(message: string): CheckResult {
  return { pass: false, comparison: null, message };
}

function result(comparison: Comparison, what: string): CheckResult {
  return { pass: comparison.pass, comparison, message: comparison.failure ? `${what}: ${comparison.failure}` : `${what}: ok` };
}

/** Runs `fn` inside `tidy` and returns plain data read from it; every tensor it made is freed. */
export function readInTidy<T>(fn: () => T): T {
  let out: T | undefined;
  tidy(() => {
    out = fn();
  });
  return out as T;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Runs the case's op on the active backend and compares with the oracle. */
export function checkForward(c: OpCase, backend: BackendId): CheckResult {
  const bounds = boundsFor(c, backend);
  if (typeof bounds === 'string') return fail(bounds);
  const spec = OPS[c.op as keyof typeof OPS];
  const want = spec.reference(c.inputs.map(toNDArray), c.attrs, c.inputs.map((i) => i.dtype));
  const got = readInTidy(() => {
    const y = spec.run(c.inputs.map(toTensor), c.attrs);
    return { shape: [...y.shape], dtype: y.dtype, values: y.dataSync() };
  });
  if (!sameShape(got.shape, want.shape)) return fail(`forward: shape [${got.shape}], expected [${want.shape}]`);
  if (got.dtype !== c.dtype) return fail(`forward: dtype ${got.dtype}, expected ${c.dtype}`);
  return result(compare(got.values, want.data, bounds.forward, c.tolerance.scale, c.dtype), 'forward');
}

/** A fixed random cotangent per case, so sum(op(x)·w) weighs every output differently. */
function cotangent(c: OpCase, shape: readonly number[]): NDArray {
  let seed = 0;
  for (const ch of c.id) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const g = new RandomGenerator(seed);
  return ndarray(shape, Array.from({ length: sizeOfShape(shape) }, () => Math.fround(0.5 + g.nextFloat())));
}

/** Positions at which to take finite differences: all of them, or 64 spread out for big inputs. */
function probePositions(size: number): number[] {
  const count = Math.min(size, 64);
  return Array.from({ length: count }, (_, k) => Math.floor((k * size) / count));
}

/**
 * d/dx_p of Σ_j w_j·f(x)_j on the float64 oracle, by central differences. Only the change of
 * each output is summed, so outputs that do not depend on x_p add exactly nothing.
 */
function finiteDifference(c: OpCase, xs: NDArray[], w: NDArray, input: number, position: number): number {
  const spec = OPS[c.op as keyof typeof OPS];
  const dtypes = c.inputs.map((i) => i.dtype);
  const x = xs[input]!.data[position]!;
  // A relative step keeps x ± h on the same side of 0 (log, sqrt, kinks at 0).
  const h = 1e-6 * (Math.abs(x) || 1);
  const at = (v: number): NDArray => {
    const moved = xs.map((a, i) => (i === input ? { shape: a.shape, data: a.data.slice() } : a));
    moved[input]!.data[position] = v;
    return spec.reference(moved, c.attrs, dtypes);
  };
  const plus = at(x + h);
  const minus = at(x - h);
  let total = 0;
  for (let j = 0; j < w.data.length; j++) total += w.data[j]! * (plus.data[j]! - minus.data[j]!);
  return total / (x + h - (x - h));
}

const floatInputsOf = (c: OpCase): number[] => c.inputs.flatMap((input, i) => (input.dtype === 'float32' ? [i] : []));

/** d/dx of sum(op(x)·w) for each float input x, through a GradientTape on the active backend. */
function tapeGradients(c: OpCase, w: NDArray): ({ shape: number[]; values: DataArray } | null)[] {
  const spec = OPS[c.op as keyof typeof OPS];
  return readInTidy(() => {
    const inputs = c.inputs.map(toTensor);
    const sources = floatInputsOf(c).map((i) => inputs[i]!);
    const tape = new GradientTape();
    tape.watch(sources);
    const loss = tape.record(() => sum(mul(spec.run(inputs, c.attrs), tensor(Float32Array.from(w.data), w.shape))));
    return tape.gradient(loss, sources).map((g) => (g ? { shape: [...g.shape], values: g.dataSync() } : null));
  });
}

/** A case's output and input gradients on the active backend, to compare two backends. */
export interface Evaluation {
  readonly values: DataArray;
  readonly gradients: readonly (DataArray | null)[];
}

/** Runs a case on the active backend: its output, and the gradient of each input, to compare two backends. */
export function evaluate(c: OpCase): Evaluation {
  const spec = OPS[c.op as keyof typeof OPS];
  const values = readInTidy(() => spec.run(c.inputs.map(toTensor), c.attrs).dataSync());
  if (c.gradientCheck !== 'finite-differences') return { values, gradients: [] };
  const y = spec.reference(c.inputs.map(toNDArray), c.attrs, c.inputs.map((i) => i.dtype));
  return { values, gradients: tapeGradients(c, cotangent(c, y.shape)).map((g) => g?.values ?? null) };
}

/**
 * `candidate` against `base` (two backends, or a fused kernel and its composite). Each side is
 * within the case's bounds of the truth, so they must agree within twice those bounds; exact
 * ops must agree exactly.
 */
export function checkAgreement(c: OpCase, base: Evaluation, candidate: Evaluation): CheckResult[] {
  const results = [result(compare(candidate.values, base.values, c.tolerance.forward, 2 * c.tolerance.scale, c.dtype), 'forward')];
  floatInputsOf(c).forEach((input, k) => {
    const [g, other] = [base.gradients[k], candidate.gradients[k]];
    const what = `gradient of input ${input}`;
    if (g === undefined) return;
    if (!g || !other) {
      results.push(g === other ? { pass: true, comparison: null, message: `${what}: both null` } : fail(`${what}: null on one side only`));
      return;
    }
    const fanOut = Math.max(1, base.values.length / Math.max(1, g.length));
    results.push(result(compare(other, g, c.tolerance.gradient!, 2 * c.tolerance.scale * fanOut, 'float32'), what));
  });
  return results;
}

/**
 * The gradient of every float input through a GradientTape on the active backend: against
 * finite differences of the oracle, or (for ops without a gradient) required to be null.
 */
export function checkGradient(c: OpCase, backend: BackendId): CheckResult[] {
  if (c.gradientCheck === 'none') return [];
  const bounds = boundsFor(c, backend);
  if (typeof bounds === 'string') return [fail(bounds)];
  const spec = OPS[c.op as keyof typeof OPS];
  const dtypes: DType[] = c.inputs.map((i) => i.dtype);
  const floatInputs = floatInputsOf(c);
  const xs = c.inputs.map(toNDArray);
  const y = spec.reference(xs, c.attrs, dtypes);
  const w = cotangent(c, y.shape);

  const grads = tapeGradients(c, w);

  return floatInputs.map((i, k) => {
    const g = grads[k];
    const what = `gradient of input ${i}`;
    if (c.gradientCheck === 'null') return g === null ? { pass: true, comparison: null, message: `${what}: null` } : fail(`${what}: expected null (op has no gradient), got a tensor`);
    if (!g) return fail(`${what}: the tape returned null`);
    const shape = c.inputs[i]!.shape;
    if (!sameShape(g.shape, shape)) return fail(`${what}: shape [${g.shape}], expected [${shape}]`);
    const positions = probePositions(sizeOfShape(shape));
    const want = positions.map((p) => finiteDifference(c, xs, w, i, p));
    const got = positions.map((p) => g.values[p]!);
    const fanOut = Math.max(1, sizeOfShape(y.shape) / Math.max(1, sizeOfShape(shape)));
    return result(compare(got, want, bounds.gradient!, c.tolerance.scale * fanOut, 'float32'), what);
  });
}
