import type { BinaryKernelName, DType } from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import type { JsUnaryName } from '../src/unary.js';
import { randomFloats } from './support.js';

const backend = await SimdBackend.create();

const ARITHMETIC: Partial<Record<BinaryKernelName, (a: number, b: number) => number>> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  maximum: Math.max, minimum: Math.min,
};
const COMPARISONS: Partial<Record<BinaryKernelName, (a: number, b: number) => boolean>> = {
  greater: (a, b) => a > b, greaterEqual: (a, b) => a >= b, less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b, equal: (a, b) => a === b, notEqual: (a, b) => a !== b,
};

/** Element `flat` of `outShape` read from an input of `shape` by NumPy broadcasting. */
function broadcastRead(values: ArrayLike<number>, shape: number[], outShape: number[], flat: number): number {
  let index = 0;
  let stride = 1;
  let rest = flat;
  for (let d = outShape.length - 1; d >= 0; d--) {
    const coordinate = rest % outShape[d]!;
    rest = Math.floor(rest / outShape[d]!);
    const inDim = d - (outShape.length - shape.length);
    if (inDim >= 0) {
      if (shape[inDim] !== 1) index += coordinate * stride;
      stride *= shape[inDim]!;
    }
  }
  return values[index]!;
}

// The broadcasts the wasm kernel takes (same shape, one value, a row, a column, row × column,
// odd widths around its 4-lane vectors), two it leaves to the naive kernel, and large ones.
const SHAPES: [a: number[], b: number[], out: number[]][] = [
  [[7], [7], [7]], [[3, 5], [3, 5], [3, 5]], [[3, 5], [], [3, 5]], [[], [2, 9], [2, 9]],
  [[4, 6], [6], [4, 6]], [[6], [5, 6], [5, 6]], [[3, 7], [3, 1], [3, 7]], [[3, 1], [1, 6], [3, 6]],
  [[2, 3, 5], [5], [2, 3, 5]], [[2, 3, 5], [2, 3, 1], [2, 3, 5]], [[1], [1], [1]], [[], [], []],
  [[2, 1, 3], [2, 3, 1], [2, 3, 3]], [[2, 3, 4], [3, 1], [2, 3, 4]],
  // more than one chunk of 16,384 values (chunks of whole rows, the last one short): whole
  // inputs, one value, a repeated row (a bias over [batch, height, width, channels], rows longer
  // than a chunk) and a repeated column (rows of odd width)
  [[2 * 16384 + 5], [2 * 16384 + 5], [2 * 16384 + 5]], [[], [3, 16384 + 1], [3, 16384 + 1]], [[40000], [], [40000]],
  [[3, 20000], [20000], [3, 20000]], [[5, 26, 26, 8], [8], [5, 26, 26, 8]], [[7000, 3], [7000, 1], [7000, 3]],
  [[3, 1], [1, 20000], [3, 20000]],
];

/** Random values, with NaN, ±0, ±Infinity and repeats mixed in for the comparisons. */
function operand(shape: number[], seed: number): Float32Array {
  const values = randomFloats(shape.reduce((p, d) => p * d, 1), seed).map((v) => Math.round(v * 4) / 2);
  const specials = [Number.NaN, -0, 0, Infinity, -Infinity];
  for (let i = 0; i < values.length; i += 3) values[i] = specials[(i / 3 + seed) % specials.length]!;
  return values;
}

describe('simd float32 binary kernels equal float64 results rounded to float32', () => {
  for (const [a, b, out] of SHAPES) {
    it(`[${a}] with [${b}] → [${out}]`, () => {
      const [x, y] = [operand(a, 1), operand(b, 2)];
      const size = out.reduce((p, d) => p * d, 1);
      const at = (flat: number): [number, number] => [broadcastRead(x, a, out, flat), broadcastRead(y, b, out, flat)];
      for (const [name, fn] of Object.entries(ARITHMETIC)) {
        const got = backend[name as 'add']({ handle: x, shape: a, dtype: 'float32' }, { handle: y, shape: b, dtype: 'float32' }, out);
        expect(got).toBeInstanceOf(Float32Array);
        expect([...got], name).toEqual(Array.from({ length: size }, (_, i) => Math.fround(fn(...at(i)))));
      }
      for (const [name, fn] of Object.entries(COMPARISONS)) {
        const got = backend[name as 'greater']({ handle: x, shape: a, dtype: 'float32' }, { handle: y, shape: b, dtype: 'float32' }, out);
        expect(got).toBeInstanceOf(Uint8Array);
        expect([...got], name).toEqual(Array.from({ length: size }, (_, i) => (fn(...at(i)) ? 1 : 0)));
      }
    });
  }

  it('int32 operands keep the naive kernels (int32 division floors)', () => {
    const got = backend.div({ handle: Int32Array.from([-7, 7]), shape: [2], dtype: 'int32' }, { handle: Int32Array.from([2]), shape: [], dtype: 'int32' }, [2]);
    expect(got).toBeInstanceOf(Int32Array);
    expect([...got]).toEqual([-4, 3]);
  });
});

describe('simd sum and cast', () => {
  const shape = [3, 4, 5];
  const x = randomFloats(60, 9);
  /** Sum over `axes` in float64, in increasing index order, rounded once. */
  function referenceSum(axes: number[]): number[] {
    const outShape = shape.filter((_, d) => !axes.includes(d));
    const sums = new Float64Array(outShape.reduce((p, d) => p * d, 1));
    for (let i = 0; i < x.length; i++) {
      const coords = [Math.floor(i / 20), Math.floor(i / 5) % 4, i % 5];
      const kept = coords.filter((_, d) => !axes.includes(d));
      sums[kept.reduce((o, c, d) => o * outShape[d]! + c, 0)] += x[i]!;
    }
    return [...sums].map(Math.fround);
  }
  for (const axes of [[0], [1], [2], [0, 1], [1, 2], [0, 1, 2], [0, 2]]) {
    it(`sum over axes [${axes}]`, () => {
      expect([...backend.sum({ handle: x, shape, dtype: 'float32' }, axes)]).toEqual(referenceSum(axes));
    });
  }

  it('casts bool and int32 to float32 as a float32 store rounds', () => {
    expect([...backend.cast({ handle: Uint8Array.from([1, 0, 1]), shape: [3], dtype: 'bool' }, 'float32')]).toEqual([1, 0, 1]);
    const ints = Int32Array.from([-3, 2 ** 24 + 1, 2 ** 31 - 1]);
    expect([...backend.cast({ handle: ints, shape: [3], dtype: 'int32' }, 'float32')]).toEqual([...ints].map(Math.fround));
    const dtypes: DType[] = ['int32', 'bool'];
    for (const dtype of dtypes) expect(backend.cast({ handle: Float32Array.from([1.5, -2.5, 0]), shape: [3], dtype: 'float32' }, dtype)).toBeInstanceOf(dtype === 'bool' ? Uint8Array : Int32Array);
  });
});

// Sigmoid and tanh, computed by the wasm kernel within an ulp of these, are in transcendental.test.ts.
describe('simd unary kernels give the float64 function rounded to float32', () => {
  const REFERENCE: Record<JsUnaryName, (x: number) => number> = {
    neg: (x) => -x, abs: Math.abs, sign: Math.sign, exp: Math.exp, log: Math.log, sqrt: Math.sqrt,
    square: (x) => x ** 2, relu: (x) => (x < 0 ? 0 : x), sin: Math.sin, cos: Math.cos, floor: Math.floor, ceil: Math.ceil,
    // Halves to the even neighbour: twice the nearest integer to x/2.
    round: (x) => (x - Math.floor(x) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)),
  };
  const edges = [0, -0, Number.NaN, Infinity, -Infinity, 1e-30, -1e-30, 88, 89, -88, -104, 0.5, -3, 1.5, 2.5, -2.5, -0.5, 7.25];
  const values = Float32Array.from([...edges, ...randomFloats(37, 11).map((v) => 20 * v)]);
  for (const name of Object.keys(REFERENCE) as JsUnaryName[]) {
    it(name, () => {
      const got = backend[name]({ handle: values, shape: [values.length], dtype: 'float32' }) as Float32Array;
      expect(got).toBeInstanceOf(Float32Array);
      const expected = [...values].map((v) => Math.fround(REFERENCE[name](v)));
      // NaN stays NaN (relu too, as in TensorFlow); a zero's sign is not compared (relu(-0)).
      expect([...got].map((v, i) => (Object.is(v, expected[i]) || (v === 0 && expected[i] === 0) ? 'same' : `${values[i]} → ${v}, expected ${expected[i]}`)))
        .toEqual(expected.map(() => 'same'));
    });
  }

  it('int32 inputs keep the naive kernels', () => {
    expect([...backend.neg({ handle: Int32Array.from([3, -4]), shape: [2], dtype: 'int32' })]).toEqual([-3, 4]);
  });
});

describe('simd broadcastTo copies each output value from its broadcast position', () => {
  const CASES: [from: number[], to: number[]][] = [
    [[32, 1], [32, 10]], [[], [5]], [[1], [7]], [[1, 10], [3, 10]], [[16], [4, 16]], [[2, 1, 3], [2, 4, 3]],
    [[1, 3, 1], [2, 3, 4]], [[3], [2, 2, 3]], [[5, 1, 1], [5, 2, 3]], [[2, 3], [2, 3]], [[1, 40], [3, 40]], [[3, 1], [0, 3, 5]],
  ];
  for (const [from, to] of CASES) {
    it(`[${from}] → [${to}]`, () => {
      const size = from.reduce((p, d) => p * d, 1);
      const values = randomFloats(size, size + to.length);
      const got = backend.broadcastTo({ handle: values, shape: from, dtype: 'float32' }, to) as Float32Array;
      const total = to.reduce((p, d) => p * d, 1);
      expect(got).toBeInstanceOf(Float32Array);
      expect([...got]).toEqual(Array.from({ length: total }, (_, i) => broadcastRead(values, from, to, i)));
    });
  }

  it('int32 and bool keep the naive kernel', () => {
    expect([...backend.broadcastTo({ handle: Int32Array.from([1, 2]), shape: [2, 1], dtype: 'int32' }, [2, 2])]).toEqual([1, 1, 2, 2]);
    expect(backend.broadcastTo({ handle: Uint8Array.from([1]), shape: [], dtype: 'bool' }, [3])).toBeInstanceOf(Uint8Array);
  });
});
