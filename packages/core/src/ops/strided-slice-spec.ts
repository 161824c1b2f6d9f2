import { formatShape } from '../util/shape.js';

export interface StridedSliceMasks {
  beginMask?: number;
  endMask?: number;
  ellipsisMask?: number;
  newAxisMask?: number;
  shrinkAxisMask?: number;
}

/** What a strided slice takes along one input axis: `size` entries from `begin`, `stride` apart. */
export interface AxisSelection {
  begin: number;
  size: number;
  stride: number;
}

/** The selection per input axis and the output's shape. */
export interface StridedSliceSpec {
  axes: AxisSelection[];
  shape: number[];
}

/**
 * Resolves tf.stridedSlice's begin/end/strides and masks against `shape` as TensorFlow's
 * ValidateStridedSliceOp does. Each spec entry is, by its bit: the ellipsis (every axis it
 * stands for, whole; at most one, and an implicit one at the end when none), a new axis of
 * size 1 (consuming no input axis; the ellipsis bit wins), or a range over the next input axis:
 * begin/end counted from the end when negative, clamped into the axis, defaulting to the whole
 * of it in the stride's direction under begin/end mask. A shrink bit takes the single entry at
 * begin (masks ignored, stride must be positive, begin must be in range) and drops the axis.
 */
export function stridedSliceSpec(
  shape: readonly number[], begin: readonly number[], end: readonly number[], strides: readonly number[] | undefined, masks: StridedSliceMasks,
): StridedSliceSpec {
  const steps = strides ?? begin.map(() => 1);
  const fail = (why: string): never => {
    throw new Error(`stridedSlice: ${why} (shape ${formatShape(shape)}, begin ${JSON.stringify(begin)}, end ${JSON.stringify(end)}, strides ${JSON.stringify(steps)})`);
  };
  if (begin.length !== end.length || steps.length !== begin.length) fail('begin, end and strides must have the same length');
  if ([...begin, ...end, ...steps].some((v) => !Number.isInteger(v))) fail('begin, end and strides must be integers');
  const bit = (mask: number | undefined, i: number): boolean => ((mask ?? 0) & (1 << i)) !== 0;
  const ellipses = begin.map((_, i) => i).filter((i) => bit(masks.ellipsisMask, i));
  if (ellipses.length > 1) fail(`only one ellipsis is allowed, ellipsisMask ${masks.ellipsisMask} sets ${ellipses.length}`);
  const isNewAxis = (i: number): boolean => bit(masks.newAxisMask, i) && !bit(masks.ellipsisMask, i);
  const entries = ellipses.length === 0 ? begin.length + 1 : begin.length;
  const consumed = begin.filter((_, i) => !isNewAxis(i) && !bit(masks.ellipsisMask, i)).length;
  if (consumed > shape.length) fail(`the spec indexes ${consumed} axes but the input has ${shape.length}`);

  const axes: AxisSelection[] = [];
  const out: number[] = [];
  const whole = (): void => {
    const dim = shape[axes.length]!;
    axes.push({ begin: 0, size: dim, stride: 1 });
    out.push(dim);
  };
  for (let i = 0; i < entries; i++) {
    if (i === begin.length || bit(masks.ellipsisMask, i)) {
      const covered = shape.length - consumed;
      for (let k = 0; k < covered; k++) whole();
    } else if (isNewAxis(i)) {
      out.push(1);
    } else {
      const axis = axes.length;
      const dim = shape[axis]!;
      const stride = steps[i]!;
      if (stride === 0) fail(`strides[${i}] is 0`);
      if (bit(masks.shrinkAxisMask, i)) {
        const at = begin[i]! < 0 ? dim + begin[i]! : begin[i]!;
        if (stride < 0) fail(`shrinkAxisMask takes one entry of axis ${axis}, which needs a positive stride, got ${stride}`);
        if (at < 0 || at >= dim) fail(`index ${begin[i]} is out of range for axis ${axis} of size ${dim}`);
        axes.push({ begin: at, size: 1, stride: 1 });
        continue;
      }
      const [low, high] = stride > 0 ? [0, dim] : [-1, dim - 1];
      const bound = (value: number, masked: boolean, atEnd: boolean): number => {
        if (masked) return (stride > 0) === atEnd ? high : low;
        return Math.min(high, Math.max(low, value < 0 ? value + dim : value));
      };
      const from = bound(begin[i]!, bit(masks.beginMask, i), false);
      const to = bound(end[i]!, bit(masks.endMask, i), true);
      const size = (to - from) * Math.sign(stride) <= 0 ? 0 : Math.ceil((to - from) / stride);
      axes.push({ begin: from, size, stride });
      out.push(size);
    }
  }
  return { axes, shape: out };
}
