import { generate, ravel, type NDArray } from './ndarray.js';
import { reduce, resolveAxes } from './reduce.js';

// The float64 oracle for the array and reduction ops tfjs adds beyond the basics: logSumExp,
// moments, norm, cumprod, addN, dot, outerProduct. Each is written from its definition, with
// none of the tricks (max shift, doubling scan) the ops use.

const map = (x: NDArray, f: (v: number) => number): NDArray => ({ shape: x.shape, data: x.data.map(f) });
const reshaped = (x: NDArray, shape: readonly number[]): NDArray => ({ shape: [...shape], data: x.data });
const keptShape = (shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] =>
  keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));

export function logSumExp(x: NDArray, axis: number | readonly number[] | undefined, keepDims: boolean): NDArray {
  return map(reduce(x, axis, keepDims, 0, (a, v) => a + Math.exp(v)), Math.log);
}

/** The mean, and the mean squared deviation from it, over `axis`. */
export function moments(x: NDArray, axis: number | readonly number[] | undefined, keepDims: boolean): { mean: NDArray; variance: NDArray } {
  const axes = resolveAxes(axis, x.shape.length);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const centre = map(reduce(x, axes, true, 0, (a, v) => a + v), (s) => s / count);
  const deviations = generate(x.shape, (index) => (x.data[ravel(index, x.shape)]! - centre.data[ravel(index.map((v, d) => (axes.includes(d) ? 0 : v)), centre.shape)]!) ** 2);
  const variance = map(reduce(deviations, axes, keepDims, 0, (a, v) => a + v), (s) => s / count);
  return { mean: reshaped(centre, variance.shape), variance };
}

/** tf.norm's vector norms (one axis, or every entry) and matrix norms ([rows, columns]). */
export function norm(x: NDArray, ord: number | string, axis: number | readonly number[] | undefined, keepDims: boolean): NDArray {
  const list = axis === undefined ? x.shape.map((_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
  const axes = list.map((a) => (a < 0 ? a + x.shape.length : a));
  const abs = map(x, Math.abs);
  const total = (y: NDArray, a: number | number[]): NDArray => reduce(y, a, true, 0, (s, v) => s + v);
  const largest = (y: NDArray, a: number): NDArray => reduce(y, a, true, -Infinity, Math.max);
  const smallest = (y: NDArray, a: number): NDArray => reduce(y, a, true, Infinity, Math.min);
  let result: NDArray;
  if (axis !== undefined && axes.length === 2) {
    const [rows, columns] = axes as [number, number];
    if (ord === 1) result = largest(total(abs, rows), columns);
    else if (ord === Infinity) result = largest(total(abs, columns), rows);
    else if (ord === -Infinity) result = smallest(total(abs, columns), rows);
    else result = map(total(map(x, (v) => v * v), axes), Math.sqrt);
  } else if (ord === 1) result = total(abs, axes);
  else if (ord === Infinity) result = reduce(abs, axes, true, -Infinity, Math.max);
  else if (ord === -Infinity) result = reduce(abs, axes, true, Infinity, Math.min);
  else result = map(total(map(x, (v) => v * v), axes), Math.sqrt);
  return reshaped(result, keptShape(x.shape, axes, keepDims));
}

/** Running products along `axis`, each one's own entry left out when exclusive, from the end when reversed. */
export function cumprod(x: NDArray, axis: number, exclusive: boolean, reverse: boolean): NDArray {
  return generate(x.shape, (index) => {
    let product = 1;
    for (let k = 0; k < x.shape[axis]!; k++) {
      const counted = reverse ? (exclusive ? k > index[axis]! : k >= index[axis]!) : (exclusive ? k < index[axis]! : k <= index[axis]!);
      if (counted) product *= x.data[ravel(index.map((v, d) => (d === axis ? k : v)), x.shape)]!;
    }
    return product;
  });
}

export function addN(xs: NDArray[]): NDArray {
  return generate(xs[0]!.shape, (index) => xs.reduce((s, x) => s + x.data[ravel(index, x.shape)]!, 0));
}

/** tf.dot: a vector is a row on the left and a column on the right; vector·vector is a scalar. */
export function dot(a: NDArray, b: NDArray): NDArray {
  const inner = a.shape[a.shape.length - 1]!;
  const rows = a.shape.length === 2 ? a.shape[0]! : 1;
  const columns = b.shape.length === 2 ? b.shape[1]! : 1;
  const shape = [...a.shape.slice(0, -1), ...b.shape.slice(1)];
  return reshaped(generate([rows, columns], ([i, j]) => {
    let s = 0;
    for (let k = 0; k < inner; k++) s += a.data[i! * inner + k]! * b.data[k * columns + j!]!;
    return s;
  }), shape);
}

export function outerProduct(a: NDArray, b: NDArray): NDArray {
  return generate([a.shape[0]!, b.shape[0]!], ([i, j]) => a.data[i!]! * b.data[j!]!);
}
