import { ELEMENTWISE_CASES } from './elementwise-cases.js';
import { INT32_CASES } from './int32-cases.js';
import { MOVEMENT_CASES } from './movement-cases.js';
import { REDUCTION_CASES } from './reduction-cases.js';
// Imported last, newest last: every table draws its inputs from one stream, so the older rows keep theirs.
import { CONVOLUTION_CASES } from './convolution-cases.js';
import { POOLING_CASES } from './pooling-cases.js';
import { IMAGE_CASES } from './image-cases.js';
import { EINSUM_CASES } from './einsum-cases.js';
import { TRANSFORM_CASES } from './transform-cases.js';
import { VOLUME_CASES } from './volume-cases.js';
import { IMAGE_EXTRA_CASES } from './image-extra-cases.js';
import { ARRAY_EXTRA_CASES } from './array-extra-cases.js';
import { NN_EXTRA_CASES } from './nn-extra-cases.js';
import { ARRAY_MOVEMENT_EXTRA_CASES } from './array-movement-extra-cases.js';
import { ELEMENTWISE_EXTRA_CASES } from './elementwise-extra-cases.js';
import { LINALG_SIGNAL_CASES } from './linalg-signal-cases.js';
import { SPECTRAL_CASES } from './spectral-cases.js';
import type { OpCase } from './types.js';

/** The whole conformance table. */
export const CASES: readonly OpCase[] = [...ELEMENTWISE_CASES, ...REDUCTION_CASES, ...MOVEMENT_CASES, ...INT32_CASES, ...CONVOLUTION_CASES, ...POOLING_CASES, ...IMAGE_CASES, ...EINSUM_CASES, ...TRANSFORM_CASES, ...VOLUME_CASES, ...IMAGE_EXTRA_CASES, ...ARRAY_EXTRA_CASES, ...NN_EXTRA_CASES, ...ARRAY_MOVEMENT_EXTRA_CASES, ...ELEMENTWISE_EXTRA_CASES,
  ...LINALG_SIGNAL_CASES,
  ...SPECTRAL_CASES];

export { OPS, type OpName, type OpSpec } from './ops.js';
export { opCase } from './case.js';
export * from './inputs.js';
export type * from './types.js';
