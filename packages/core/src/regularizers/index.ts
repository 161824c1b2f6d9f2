// Public exports of this area; re-exported by src/index.ts.
export { Regularizer, type RegularizerConfig } from './regularizer.js';
export { L1, L1L2, L2, type L1L2Config } from './l1-l2.js';
export { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from './get-regularizer.js';
