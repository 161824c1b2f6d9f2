/**
 * The float64 oracle's array: a shape and row-major values. Written from scratch, sharing no
 * code with any backend, so that agreement with it means something.
 */
export interface NDArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function ndarray(shape: readonly number[], data: ArrayLike<number>): NDArray {
  if (data.length !== sizeOfShape(shape)) throw new Error(`reference: ${data.length} values for shape [${shape.join(',')}]`);
  return { shape: [...shape], data: Float64Array.from(data) };
}

/** Multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/** Flat position of a multi-index. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + index[d]!;
  return flat;
}

/**
 * The value of `x` at `index`, NumPy broadcasting style: `index` may have more (leading)
 * dimensions than `x`, and size-1 dimensions of `x` repeat.
 */
export function at(x: NDArray, index: readonly number[]): number {
  const offset = index.length - x.shape.length;
  let flat = 0;
  for (let d = 0; d < x.shape.length; d++) {
    const size = x.shape[d]!;
    flat = flat * size + (size === 1 ? 0 : index[d + offset]!);
  }
  return x.data[flat]!;
}

/** Builds an array of `shape` whose value at each multi-index is `f(index)`. */
export function zeros(shape: readonly number[]): NDArray {
  return { shape: [...shape], data: new Float64Array(sizeOfShape(shape)) };
}

export function generate(shape: readonly number[], f: (index: number[]) => number): NDArray {
  const data = new Float64Array(sizeOfShape(shape));
  for (let i = 0; i < data.length; i++) data[i] = f(unravel(i, shape));
  return { shape: [...shape], data };
}

/** NumPy's broadcasting rule, checked. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, d) => {
    const dims = shapes.map((s) => s[s.length - rank + d] ?? 1).filter((n) => n !== 1);
    if (new Set(dims).size > 1) throw new Error(`reference: shapes ${shapes.map((s) => `[${s.join(',')}]`).join(' ')} do not broadcast`);
    return dims[0] ?? 1;
  });
}
