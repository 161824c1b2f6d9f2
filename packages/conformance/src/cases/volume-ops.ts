import * as core from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

/** A 3-D convolution row's settings, with TensorFlow's defaults. */
export const convolution3d = (a: Attrs): ref.Convolution3DSettings => ({
  strides: a.volume?.strides ?? [1, 1, 1], padding: a.padding ?? 'valid', dilations: a.volume?.dilations ?? [1, 1, 1],
});

/** A 3-D pooling row's settings, with Keras's defaults (the strides those of the pool). */
export const pooling3d = (a: Attrs): ref.Pooling3DSettings => {
  const poolSize = a.volume?.poolSize ?? [2, 2, 2];
  return { poolSize, strides: a.volume?.strides ?? poolSize, padding: a.padding ?? 'valid' };
};

const product = (sizes: readonly number[]): number => sizes.reduce((a, b) => a * b, 1);

/** How many windows of a pooling row hold one input position, at most: the terms its input gradient adds. */
const overlaps = (a: Attrs): number => {
  const { poolSize, strides } = pooling3d(a);
  return product(poolSize.map((p, i) => Math.ceil(p / strides[i]!)));
};

/**
 * The volumetric ops, each a composite of the 2-D ones: float32 terms per output are the
 * filter's taps × the channels of a group for a convolution, the window's taps for an average.
 * Max pooling selects, so its value is exact; its input gradient adds what overlapping windows send.
 */
export const VOLUME_OPS = {
  conv3d: {
    run: ([x, f], a) => core.conv3d(x!, f!, convolution3d(a)),
    reference: ([x, f], a) => ref.conv3d(x!, f!, convolution3d(a)),
    reductionLength: ([, f]) => product(f!.slice(0, 4)), differentiable: true,
  },
  groupedConv3d: {
    run: ([x, f], a) => core.groupedConv3d(x!, f!, a.groups!, convolution3d(a)),
    reference: ([x, f], a) => ref.conv3d(x!, f!, convolution3d(a), a.groups),
    reductionLength: ([, f]) => product(f!.slice(0, 4)), differentiable: true,
  },
  maxPool3d: {
    run: ([x], a) => core.maxPool3d(x!, pooling3d(a)), reference: ([x], a) => ref.maxPool3d(x!, pooling3d(a)),
    reductionLength: (_shapes, a) => overlaps(a), differentiable: true,
  },
  avgPool3d: {
    run: ([x], a) => core.avgPool3d(x!, pooling3d(a)), reference: ([x], a) => ref.avgPool3d(x!, pooling3d(a)),
    reductionLength: (_shapes, a) => product(pooling3d(a).poolSize), differentiable: true,
  },
} satisfies Record<string, OpSpec>;
