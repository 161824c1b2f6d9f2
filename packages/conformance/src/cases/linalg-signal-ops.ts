import * as core from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';

/** tf.linalg's bandPart, gramSchmidt, qr; ensureShape, broadcastArgs; tf.signal's hannWindow, hammingWindow, frame. */
export const LINALG_SIGNAL_OPS = {
  bandPart: {
    run: ([x], a) => core.bandPart(x!, a.numLower!, a.numUpper!),
    reference: ([x], a) => ref.bandPart(x!, a.numLower!, a.numUpper!), differentiable: true,
  },
  /** One input: a matrix of rows; several: a list of vectors, whose results are stacked to be checked. */
  gramSchmidt: {
    run: (xs) => (xs.length === 1 ? core.gramSchmidt(xs[0]!) : core.tidy(() => core.stack(core.gramSchmidt(xs)))),
    reference: (xs) => ref.gramSchmidt(xs.length === 1 ? xs[0]! : ref.stack(xs, 0)),
    // Each vector is projected off every earlier one in float32.
    reductionLength: (shapes) => (shapes.length === 1 ? shapes[0]![0]! * shapes[0]![1]! : shapes.length * shapes[0]![0]!), differentiable: true,
  },
  /** Row `piece` 0 checks Q, 1 checks R. */
  qr: {
    run: ([x], a) => {
      const [q, r] = core.qr(x!, a.fullMatrices);
      const [checked, other] = a.piece === 1 ? [r, q] : [q, r];
      other.dispose();
      return checked;
    },
    reference: ([x], a) => { const { q, r } = ref.qr(x!, a.fullMatrices ?? false); return a.piece === 1 ? r : q; },
    // Every reflection touches every entry: min(M, N) steps of products of length M.
    reductionLength: ([s]) => s![s!.length - 2]! * Math.min(s![s!.length - 2]!, s![s!.length - 1]!), differentiable: true,
  },
  ensureShape: { run: ([x], a) => core.ensureShape(x!, a.expectedShape!), reference: ([x]) => x!, differentiable: true },
  broadcastArgs: {
    run: ([s0, s1]) => core.broadcastArgs(s0!, s1!), reference: ([s0, s1]) => ref.broadcastArgs(s0!, s1!),
    dtype: () => 'int32', differentiable: false,
  },
  hannWindow: {
    run: (_xs, a) => core.hannWindow(a.windowLength!, a.periodic), reference: (_xs, a) => ref.hannWindow(a.windowLength!, a.periodic ?? true),
    dtype: () => 'float32', differentiable: false,
  },
  hammingWindow: {
    run: (_xs, a) => core.hammingWindow(a.windowLength!, a.periodic), reference: (_xs, a) => ref.hammingWindow(a.windowLength!, a.periodic ?? true),
    dtype: () => 'float32', differentiable: false,
  },
  frame: {
    run: ([x], a) => core.frame(x!, a.frameLength!, a.frameStep!, a.padEnd, a.value),
    reference: ([x], a) => ref.frame(x!, a.frameLength!, a.frameStep!, a.padEnd ?? false, a.value ?? 0), differentiable: true,
  },
} satisfies Record<string, OpSpec>;
