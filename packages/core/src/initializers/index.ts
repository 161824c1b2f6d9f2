// Public exports of this area; re-exported by src/index.ts.
export { Initializer, type InitializerConfig } from './initializer.js';
export { Constant, Zeros, Ones } from './constant.js';
export { RandomNormal, RandomUniform, type SeedConfig } from './random.js';
export {
  VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform,
  type VarianceScalingConfig, type FanMode, type ScalingDistribution,
} from './variance-scaling.js';
export { Orthogonal } from './orthogonal.js';
export { computeFans } from './fans.js';
export { getInitializer, type InitializerIdentifier } from './get-initializer.js';
