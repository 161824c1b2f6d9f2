import * as core from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { NDArray } from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

// tfjs's nn ops with their positional signatures, composites of core's: each row's oracle is the
// float64 loop of the op it wraps, or of its own definition (reference/nn-extra.ts).

const product = (sizes: readonly number[]): number => sizes.reduce((a, b) => a * b, 1);

const pooling = (a: Attrs): ref.PoolingSettings => ({ poolSize: a.poolSize!, strides: a.strides!, padding: a.padding ?? 'valid' });

/** `compute` on `x` of rank `rank` or rank − 1 (one image), as the tfjs ops take it. */
function batched(x: NDArray, rank: number, compute: (batch: NDArray) => NDArray): NDArray {
  return ref.withoutBatchOfOne(compute(ref.withBatchOfOne(x, rank)), rank, x.shape.length);
}

/** A sequence [batch, width, channels] as an image one row high, and a 1-D filter as a 2-D one. */
const asRow = (x: NDArray): NDArray => ref.reshape(x, [x.shape[0]!, 1, ...x.shape.slice(1)]);

export const NN_EXTRA_OPS = {
  maxPool: {
    run: ([x], a) => core.maxPool(x!, a.poolSize!, a.strides!, a.padding ?? 'valid'),
    reference: ([x], a) => batched(x!, 4, (b) => ref.maxPool2d(b, pooling(a))),
    // The input gradient adds what overlapping windows send.
    reductionLength: (_s, a) => product(a.poolSize!.map((p, i) => Math.ceil(p / a.strides![i]!))), differentiable: true,
  },
  avgPool: {
    run: ([x], a) => core.avgPool(x!, a.poolSize!, a.strides!, a.padding ?? 'valid'),
    reference: ([x], a) => batched(x!, 4, (b) => ref.avgPool2d(b, pooling(a))),
    reductionLength: (_s, a) => product(a.poolSize!), differentiable: true,
  },
  conv1d: {
    run: ([x, f], a) => core.conv1d(x!, f!, a.stride ?? 1, a.padding ?? 'valid', 'NWC', a.dilation ?? 1),
    reference: ([x, f], a) => batched(x!, 3, (b) => {
      const y = ref.conv2d(asRow(b), ref.reshape(f!, [1, ...f!.shape]), { strides: [1, a.stride ?? 1], padding: a.padding ?? 'valid', dilations: [1, a.dilation ?? 1] }, 'full');
      return ref.reshape(y, [y.shape[0]!, y.shape[2]!, y.shape[3]!]);
    }),
    reductionLength: ([, f]) => f![0]! * f![1]!, differentiable: true,
  },
  conv2dTranspose: {
    run: ([x, f], a) => core.conv2dTranspose(x!, f!, a.inputShape!, a.strides ?? [1, 1], a.padding ?? 'valid'),
    reference: ([x, f], a) => batched(x!, 4, (b) => ref.conv2dBackpropInput(b, f!, a.inputShape!.length === 4 ? a.inputShape! : [1, ...a.inputShape!], { strides: a.strides ?? [1, 1], padding: a.padding ?? 'valid', dilations: [1, 1] }, 'full')),
    reductionLength: ([, f]) => f![0]! * f![1]! * f![3]!, differentiable: true,
  },
  separableConv2d: {
    run: ([x, d, p], a) => core.separableConv2d(x!, d!, p!, a.strides ?? [1, 1], a.padding ?? 'valid', a.dilations ?? [1, 1]),
    reference: ([x, d, p], a) => batched(x!, 4, (b) => {
      const depthwise = ref.conv2d(b, d!, { strides: a.strides ?? [1, 1], padding: a.padding ?? 'valid', dilations: a.dilations ?? [1, 1] }, 'depthwise');
      return ref.conv2d(depthwise, p!, { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, 'full');
    }),
    // Two convolutions in a row: the depthwise taps, then the pointwise channels.
    reductionLength: ([, d, p]) => d![0]! * d![1]! + p![2]!, differentiable: true,
  },
  conv3dTranspose: {
    run: ([x, f], a) => core.conv3dTranspose(x!, f!, a.inputShape!, a.volume?.strides ?? [1, 1, 1], a.padding ?? 'valid'),
    reference: ([x, f], a) => batched(x!, 5, (b) => ref.conv3dTranspose(b, f!, a.inputShape!.length === 5 ? a.inputShape! : [1, ...a.inputShape!], a.volume?.strides ?? [1, 1, 1], a.padding ?? 'valid')),
    reductionLength: ([, f]) => product(f!.slice(0, 3)) * f![4]!, differentiable: true,
  },
  batchNorm: {
    run: ([x, m, v, o, s], a) => core.batchNorm(x!, m!, v!, o, s, a.varianceEpsilon),
    reference: ([x, m, v, o, s], a) => {
      const epsilon = a.varianceEpsilon ?? 0.001;
      return ref.elementwise([x!, m!, v!, ...(o ? [o] : []), ...(s ? [s] : [])], (xv, mv, vv, ov = 0, sv = 1) => ((xv - mv) * sv) / Math.sqrt(vv + epsilon) + ov);
    },
    // A subtraction, a square root, a division, a product and a sum; the statistics' gradients add up over the batch.
    reductionLength: ([x]) => 5 * product(x!.slice(0, -1)), differentiable: true,
  },
  localResponseNormalization: {
    run: ([x], a) => core.localResponseNormalization(x!, a.depthRadius, a.bias, a.alpha, a.beta),
    reference: ([x], a) => ref.localResponseNormalization(x!, a.depthRadius ?? 5, a.bias ?? 1, a.alpha ?? 1, a.beta ?? 0.5),
    // The window's squares summed, then a power (exp and log on some backends).
    reductionLength: ([x], a) => 4 + Math.min(x![x!.length - 1]!, 2 * (a.depthRadius ?? 5) + 1), differentiable: true,
  },
  dilation2d: {
    run: ([x, f], a) => core.dilation2d(x!, f!, a.strides ?? [1, 1], a.padding ?? 'valid', a.dilations ?? [1, 1]),
    reference: ([x, f], a) => batched(x!, 4, (b) => ref.dilation2d(b, f!, a.strides ?? [1, 1], a.padding ?? 'valid', a.dilations ?? [1, 1])),
    // One sum selected; the gradients add what overlapping windows send.
    reductionLength: ([, f]) => f![0]! * f![1]!, differentiable: true,
  },
  maxPoolWithArgmax: {
    run: ([x], a) => {
      const { result, indexes } = core.maxPoolWithArgmax(x!, a.poolSize!, a.strides!, a.padding ?? 'valid', a.includeBatchInIndex ?? false);
      return a.piece === 1 ? indexes : result;
    },
    reference: ([x], a) => (a.piece === 1 ? ref.maxPoolArgmax(x!, a.poolSize!, a.strides!, a.padding ?? 'valid', a.includeBatchInIndex ?? false) : ref.maxPool2d(x!, pooling(a))),
    dtype: (_d, a) => (a.piece === 1 ? 'int32' : 'float32'),
    reductionLength: (_s, a) => product(a.poolSize!.map((p, i) => Math.ceil(p / a.strides![i]!))), differentiable: true,
  },
  basicLSTMCell: {
    // `piece` 0 is c', 1 is h'.
    run: (xs, a) => core.basicLSTMCell(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4]!, xs[5]!)[a.piece ?? 0],
    reference: (xs, a) => ref.basicLSTMCell(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4]!, xs[5]!)[a.piece ?? 0]!,
    // The gates' products summed, then a few sigmoids and tanhs.
    reductionLength: ([, k]) => k![0]! + 12, differentiable: true,
  },
} satisfies Record<string, OpSpec>;
