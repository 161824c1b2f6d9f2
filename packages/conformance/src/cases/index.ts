import { ELEMENTWISE_CASES } from './elementwise-cases.js';
import { INT32_CASES } from './int32-cases.js';
import { MOVEMENT_CASES } from './movement-cases.js';
import { REDUCTION_CASES } from './reduction-cases.js';
import type { OpCase } from './types.js';

/** The whole conformance table. */
export const CASES: readonly OpCase[] = [...ELEMENTWISE_CASES, ...REDUCTION_CASES, ...MOVEMENT_CASES, ...INT32_CASES];

export { OPS, type OpName, type OpSpec } from './ops.js';
export { opCase } from './case.js';
export * from './inputs.js';
export type * from './types.js';
