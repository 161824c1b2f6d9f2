import { generate, ravel, unravel, type NDArray } from './ndarray.js';

// The float64 oracle for tfjs's extra creation and movement ops: linspace, eye, diag, meshgrid,
// stridedSlice, mirrorPad, depthToSpace, spaceToBatchND, batchToSpaceND. Each says where an
// output entry comes from, index by index, rather than composing moves as the ops do.

export function linspace(start: number, stop: number, num: number): NDArray {
  return generate([num], ([i]) => (num === 1 ? start : start + ((stop - start) * i!) / (num - 1)));
}

export function eye(rows: number, columns: number, batchShape: readonly number[]): NDArray {
  return generate([...batchShape, rows, columns], (index) => Number(index[index.length - 1] === index[index.length - 2]));
}

export function diag(x: NDArray): NDArray {
  const rank = x.shape.length;
  return generate([...x.shape, ...x.shape], (index) => {
    const [a, b] = [index.slice(0, rank), index.slice(rank)];
    return a.every((v, d) => v === b[d]) ? x.data[ravel(a, x.shape)]! : 0;
  });
}

/** meshgrid(x, y)'s two grids stacked, with 'xy' or 'ij' indexing. */
export function meshgrid(x: NDArray, y: NDArray, indexing: 'xy' | 'ij'): NDArray {
  const [nx, ny] = [x.data.length, y.data.length];
  return generate([2, ...(indexing === 'xy' ? [ny, nx] : [nx, ny])], ([grid, r, c]) => {
    const [i, j] = indexing === 'xy' ? [c!, r!] : [r!, c!];
    return grid === 0 ? x.data[i]! : y.data[j]!;
  });
}

interface StridedSliceMasks { beginMask?: number; endMask?: number; ellipsisMask?: number; newAxisMask?: number; shrinkAxisMask?: number }

type Item = { kind: 'ellipsis' } | { kind: 'newAxis' } | { kind: 'index'; at: number } | { kind: 'range'; start?: number; stop?: number; step: number };

/** The entries Python's slice(start, stop, step).indices(length) visits. */
function pythonRange(length: number, item: { start?: number; stop?: number; step: number }): number[] {
  const { step } = item;
  const resolve = (v: number | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    const w = v < 0 ? v + length : v;
    return step > 0 ? Math.min(Math.max(w, 0), length) : Math.min(Math.max(w, -1), length - 1);
  };
  const start = resolve(item.start, step > 0 ? 0 : length - 1);
  const stop = resolve(item.stop, step > 0 ? length : -1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/**
 * stridedSlice as NumPy basic indexing: the masks turn begin/end/strides into a Python index
 * tuple (x[..., None, 2, 1:-1:2]), which NumPy's rules then apply.
 */
export function stridedSlice(x: NDArray, begin: number[], end: number[], strides: number[], masks: StridedSliceMasks): NDArray {
  const bit = (name: keyof StridedSliceMasks, i: number): boolean => (((masks[name] ?? 0) >> i) & 1) === 1;
  const items: Item[] = begin.map((b, i): Item => {
    if (bit('ellipsisMask', i)) return { kind: 'ellipsis' };
    if (bit('newAxisMask', i)) return { kind: 'newAxis' };
    if (bit('shrinkAxisMask', i)) return { kind: 'index', at: b };
    return { kind: 'range', start: bit('beginMask', i) ? undefined : b, stop: bit('endMask', i) ? undefined : end[i], step: strides[i]! };
  });
  if (!items.some((item) => item.kind === 'ellipsis')) items.push({ kind: 'ellipsis' });
  const consuming = items.filter((item) => item.kind === 'index' || item.kind === 'range').length;
  const expanded = items.flatMap((item): Item[] => (item.kind === 'ellipsis' ? Array.from({ length: x.shape.length - consuming }, () => ({ kind: 'range', step: 1 })) : [item]));
  // Per input axis, the entries taken (and whether the axis stays); new axes add a 1 to the output.
  const picks: { entries: number[]; kept: boolean }[] = [];
  const outShape: number[] = [];
  const outToInput: (number | null)[] = [];
  for (const item of expanded) {
    if (item.kind === 'newAxis') { outShape.push(1); outToInput.push(null); continue; }
    const length = x.shape[picks.length]!;
    const entries = item.kind === 'index' ? [item.at < 0 ? item.at + length : item.at] : pythonRange(length, item as { step: number });
    if (item.kind === 'range') { outShape.push(entries.length); outToInput.push(picks.length); }
    picks.push({ entries, kept: item.kind === 'range' });
  }
  return generate(outShape, (index) => {
    const source = picks.map((p) => p.entries[0]!);
    outToInput.forEach((axis, o) => { if (axis !== null) source[axis] = picks[axis]!.entries[index[o]!]!; });
    return x.data[ravel(source, x.shape)]!;
  });
}

export function mirrorPad(x: NDArray, paddings: [number, number][], mode: 'reflect' | 'symmetric'): NDArray {
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  return generate(shape, (index) => x.data[ravel(index.map((o, d) => {
    const [i, n] = [o - paddings[d]![0], x.shape[d]!];
    if (i < 0) return mode === 'reflect' ? -i : -i - 1;
    if (i >= n) return mode === 'reflect' ? 2 * (n - 1) - i : 2 * n - 1 - i;
    return i;
  }), x.shape)]!);
}

export function depthToSpace(x: NDArray, block: number, dataFormat: 'NHWC' | 'NCHW'): NDArray {
  const nhwc = dataFormat === 'NHWC';
  const [n, h, w, c] = nhwc ? x.shape : [x.shape[0]!, x.shape[2]!, x.shape[3]!, x.shape[1]!];
  const channels = c! / (block * block);
  const shape = nhwc ? [n!, h! * block, w! * block, channels] : [n!, channels, h! * block, w! * block];
  return generate(shape, (index) => {
    const [b, y, xx, ch] = nhwc ? index : [index[0]!, index[2]!, index[3]!, index[1]!];
    const depth = ((y! % block) * block + (xx! % block)) * channels + ch!;
    const source = [b!, Math.floor(y! / block), Math.floor(xx! / block)];
    return x.data[ravel(nhwc ? [...source, depth] : [source[0]!, depth, source[1]!, source[2]!], x.shape)]!;
  });
}

export function spaceToBatchND(x: NDArray, blockShape: number[], paddings: [number, number][]): NDArray {
  const m = blockShape.length;
  const batch = x.shape[0]!;
  const blocks = blockShape.map((b, i) => (x.shape[i + 1]! + paddings[i]![0] + paddings[i]![1]) / b);
  const rest = x.shape.slice(m + 1);
  return generate([batch * blockShape.reduce((a, b) => a * b, 1), ...blocks, ...rest], (index) => {
    const offsets = unravel(Math.floor(index[0]! / batch), blockShape);
    const spatial = blockShape.map((b, i) => index[i + 1]! * b + offsets[i]! - paddings[i]![0]);
    if (spatial.some((s, i) => s < 0 || s >= x.shape[i + 1]!)) return 0;
    return x.data[ravel([index[0]! % batch, ...spatial, ...index.slice(m + 1)], x.shape)]!;
  });
}

export function batchToSpaceND(x: NDArray, blockShape: number[], crops: [number, number][]): NDArray {
  const m = blockShape.length;
  const batch = x.shape[0]! / blockShape.reduce((a, b) => a * b, 1);
  const shape = [batch, ...blockShape.map((b, i) => x.shape[i + 1]! * b - crops[i]![0] - crops[i]![1]), ...x.shape.slice(m + 1)];
  return generate(shape, (index) => {
    const full = blockShape.map((_, i) => index[i + 1]! + crops[i]![0]);
    const offset = ravel(full.map((f, i) => f % blockShape[i]!), blockShape);
    return x.data[ravel([offset * batch + index[0]!, ...full.map((f, i) => Math.floor(f / blockShape[i]!)), ...index.slice(m + 1)], x.shape)]!;
  });
}
