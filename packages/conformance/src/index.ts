// @perceptron/conformance: the table every backend must pass, the float64 oracle it is checked
// against, and the runner shared by the vitest suite and `npm run parity`.
export * as reference from './reference/index.js';
export * from './cases/index.js';
export { TOLERANCES, FLOAT32_UNIT_ROUNDOFF, usesWebglColumn, webglBoundsFor, type OpTolerance } from './tolerances.js';
export { compare, type Comparison } from './compare.js';
export { checkAgreement, checkForward, checkGradient, evaluate, readInTidy, type Evaluation, toTensor, toNDArray, type BackendId, type CheckResult } from './run-case.js';
export * from './mlp.js';
export { exactProductExpected, exactProductOnBackend } from './exact-product.js';
