import * as core from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

const slicing = (a: Attrs) => a.stridedSlice!;

/** tfjs's extra creation and movement ops: linspace, eye, diag, meshgrid, stridedSlice, mirrorPad, depthToSpace, spaceToBatchND, batchToSpaceND. */
export const ARRAY_MOVEMENT_EXTRA_OPS = {
  linspace: {
    run: (_xs, a) => core.linspace(a.start!, a.stop!, a.num!), reference: (_xs, a) => ref.linspace(a.start!, a.stop!, a.num!),
    dtype: () => 'float32', differentiable: false,
  },
  eye: {
    run: (_xs, a) => core.eye(a.num!, a.numColumns, a.batchShape, a.dtype),
    reference: (_xs, a) => ref.eye(a.num!, a.numColumns ?? a.num!, a.batchShape ?? []),
    dtype: (_d, a) => a.dtype ?? 'float32', differentiable: false,
  },
  diag: { run: ([x]) => core.diag(x!), reference: ([x]) => ref.diag(x!), differentiable: true },
  /** Both grids stacked, so that one row checks each grid and the gradients of x and y. */
  meshgrid: {
    run: ([x, y], a) => core.tidy(() => core.stack(core.meshgrid(x!, y!, { indexing: a.indexing }))),
    reference: ([x, y], a) => ref.meshgrid(x!, y!, a.indexing ?? 'xy'),
    differentiable: true,
  },
  stridedSlice: {
    run: ([x], a) => {
      const s = slicing(a);
      return core.stridedSlice(x!, s.begin, s.end, s.strides, s.beginMask, s.endMask, s.ellipsisMask, s.newAxisMask, s.shrinkAxisMask);
    },
    reference: ([x], a) => {
      const s = slicing(a);
      return ref.stridedSlice(x!, s.begin, s.end, s.strides ?? s.begin.map(() => 1), s);
    },
    differentiable: true,
  },
  mirrorPad: {
    run: ([x], a) => core.mirrorPad(x!, a.paddings!, a.mode!), reference: ([x], a) => ref.mirrorPad(x!, a.paddings!, a.mode!), differentiable: true,
  },
  depthToSpace: {
    run: ([x], a) => core.depthToSpace(x!, a.blockSize!, a.dataFormat), reference: ([x], a) => ref.depthToSpace(x!, a.blockSize!, a.dataFormat ?? 'NHWC'),
    differentiable: true,
  },
  spaceToBatchND: {
    run: ([x], a) => core.spaceToBatchND(x!, a.blockShape!, a.paddings!), reference: ([x], a) => ref.spaceToBatchND(x!, a.blockShape!, a.paddings!),
    differentiable: true,
  },
  batchToSpaceND: {
    run: ([x], a) => core.batchToSpaceND(x!, a.blockShape!, a.crops!), reference: ([x], a) => ref.batchToSpaceND(x!, a.blockShape!, a.crops!),
    differentiable: true,
  },
} satisfies Record<string, OpSpec>;
