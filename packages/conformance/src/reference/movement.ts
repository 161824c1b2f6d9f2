import { at, generate, ravel, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** One dimension may be −1: whatever the others leave. */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  const known = shape.filter((d) => d !== -1).reduce((n, d) => n * d, 1);
  return { shape: shape.map((d) => (d === -1 ? x.data.length / known : d)), data: x.data.slice() };
}

export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  return generate(shape, (index) => at(x, index));
}

export function transpose(x: NDArray, perm: readonly number[]): NDArray {
  return generate(perm.map((p) => x.shape[p]!), (index) => {
    const source = new Array<number>(perm.length);
    perm.forEach((p, d) => (source[p] = index[d]!));
    return x.data[ravel(source, x.shape)]!;
  });
}

/** `size[i]` −1 (or missing) means to the end of dimension i. */
export function slice(x: NDArray, begin: readonly number[], size: readonly number[]): NDArray {
  const sizes = x.shape.map((d, i) => (size[i] === undefined || size[i] === -1 ? d - begin[i]! : size[i]!));
  return generate(sizes, (index) => x.data[ravel(index.map((v, d) => v + begin[d]!), x.shape)]!);
}

export function pad(x: NDArray, paddings: readonly (readonly [number, number])[], value: number): NDArray {
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  return generate(shape, (index) => {
    const source = index.map((v, d) => v - paddings[d]![0]);
    const inside = source.every((v, d) => v >= 0 && v < x.shape[d]!);
    return inside ? x.data[ravel(source, x.shape)]! : value;
  });
}

export function concat(xs: readonly NDArray[], axisArg: number): NDArray {
  const axis = axisArg < 0 ? axisArg + xs[0]!.shape.length : axisArg;
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  return generate(shape, (index) => {
    let k = index[axis]!;
    for (const x of xs) {
      if (k < x.shape[axis]!) return x.data[ravel(index.map((v, d) => (d === axis ? k : v)), x.shape)]!;
      k -= x.shape[axis]!;
    }
    throw new Error('reference concat: index out of range');
  });
}

export function gather(x: NDArray, indices: NDArray, axisArg: number): NDArray {
  const axis = axisArg < 0 ? axisArg + x.shape.length : axisArg;
  const r = indices.shape.length;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return generate(shape, (index) => {
    const picked = indices.data[ravel(index.slice(axis, axis + r), indices.shape)]!;
    return x.data[ravel([...index.slice(0, axis), picked, ...index.slice(axis + r)], x.shape)]!;
  });
}

export function unsortedSegmentSum(x: NDArray, ids: NDArray, numSegments: number): NDArray {
  const r = ids.shape.length;
  const rowShape = x.shape.slice(r);
  const shape = [numSegments, ...rowShape];
  const data = new Float64Array(sizeOfShape(shape));
  for (let i = 0; i < x.data.length; i++) {
    const index = unravel(i, x.shape);
    const segment = ids.data[ravel(index.slice(0, r), ids.shape)]!;
    if (segment >= 0 && segment < numSegments) data[ravel([segment, ...index.slice(r)], shape)]! += x.data[i]!;
  }
  return { shape, data };
}

export function oneHot(indices: NDArray, depth: number, onValue: number, offValue: number): NDArray {
  return generate([...indices.shape, depth], (index) => {
    const k = index[index.length - 1]!;
    return indices.data[ravel(index.slice(0, -1), indices.shape)] === k ? onValue : offValue;
  });
}

/** Tensors of one shape joined along a new dimension `axis` of the result. */
export function stack(xs: readonly NDArray[], axis: number): NDArray {
  const shape = [...xs[0]!.shape];
  shape.splice(axis, 0, xs.length);
  return generate(shape, (index) => {
    const source = index.filter((_, d) => d !== axis);
    return xs[index[axis]!]!.data[ravel(source, xs[0]!.shape)]!;
  });
}

/** Piece `piece` of x cut along `axis` into pieces of `sizes` (the reference of split; unstack's with sizes of 1, its axis then dropped). */
export function piece(x: NDArray, sizes: readonly number[], axis: number, piece: number): NDArray {
  const begin = sizes.slice(0, piece).reduce((a, b) => a + b, 0);
  return slice(x, x.shape.map((_, d) => (d === axis ? begin : 0)), x.shape.map((n, d) => (d === axis ? sizes[piece]! : n)));
}

/** Entry i of the result is x's entry i mod x's shape: the copies laid side by side. */
export function tile(x: NDArray, reps: readonly number[]): NDArray {
  return generate(x.shape.map((d, i) => d * reps[i]!), (index) => x.data[ravel(index.map((v, d) => v % x.shape[d]!), x.shape)]!);
}

/** Entry k along each axis of `axes` comes from entry (length − 1 − k). */
export function reverse(x: NDArray, axes: readonly number[]): NDArray {
  return generate(x.shape, (index) => x.data[ravel(index.map((v, d) => (axes.includes(d) ? x.shape[d]! - 1 - v : v)), x.shape)]!);
}

/** The flat row of `shape`'s first K dimensions that each K-tuple (the last axis of `indices`) names. */
function addressedRows(indices: NDArray, shape: readonly number[]): { rows: number[]; depth: number } {
  const depth = indices.shape[indices.shape.length - 1]!;
  const count = sizeOfShape(indices.shape.slice(0, -1));
  const rows = Array.from({ length: count }, (_, r) => ravel(Array.from(indices.data.subarray(r * depth, (r + 1) * depth)), shape.slice(0, depth)));
  return { rows, depth };
}

/** tf.gatherND: entry [i..., j...] is x[indices[i..., :], j...]. */
export function gatherND(x: NDArray, indices: NDArray): NDArray {
  const { rows, depth } = addressedRows(indices, x.shape);
  const inner = x.shape.slice(depth);
  const width = sizeOfShape(inner);
  return { shape: [...indices.shape.slice(0, -1), ...inner], data: Float64Array.from(rows.flatMap((row) => Array.from(x.data.subarray(row * width, (row + 1) * width)))) };
}

/** tf.scatterND: zeros of `shape`, each update added at the place its tuple of indices names. */
export function scatterND(indices: NDArray, updates: NDArray, shape: readonly number[]): NDArray {
  const { rows, depth } = addressedRows(indices, shape);
  const width = sizeOfShape(shape.slice(depth));
  const data = new Float64Array(sizeOfShape(shape));
  rows.forEach((row, r) => {
    for (let k = 0; k < width; k++) data[row * width + k]! += updates.data[r * width + k]!;
  });
  return { shape: [...shape], data };
}
