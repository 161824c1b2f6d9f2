// Cases tfjs-webgl is known to fail, each with the failure it must still show. The browser
// test asserts that exact failure, so a fix (or a new way of failing) turns the test red and
// the entry must go. Findings for @perceptron/backend-tfjs, not tolerances to widen.

export interface KnownDeviation {
  /** A fragment every failing message of the case contains. */
  readonly failure: string;
  readonly why: string;
}

const INT32_IN_FLOAT_TEXTURES = 'tfjs-webgl keeps int32 tensors in float32 textures and computes on them in GLSL floats, '
  + 'so an integer beyond 2^24 loses its low bits on the GPU, in copies as in arithmetic: no kernel can make it exact';

/** The int32 cases beyond 2^24 (src/cases/int32-cases.ts), each with the first wrong element SwiftShader gives. */
const INT32_BEYOND_2_24: Readonly<Record<string, string>> = {
  'neg: int32 beyond 2^24': 'got -16777216, want -16777217',
  'abs: int32 beyond 2^24, -2^31 wraps to itself': 'got 16777216, want 16777217',
  'square: int32 beyond 2^24': 'got 16785408, want 16785409',
  'square: int32 wraps past 2^31': 'got -2147479040, want -2147479015',
  'square: int32 beyond 2^53 wraps exactly': 'got 0, want 1',
  'relu: int32 beyond 2^24': 'got 16777216, want 16777217',
  'add: int32 beyond 2^24, wrapping past ±2^31': 'got 16777216, want 16777217',
  'sub: int32 beyond 2^24, wrapping past ±2^31': 'got 16777218, want 16777219',
  'mul: int32 beyond 2^24, wrapping past ±2^31': 'got 16785408, want 16785409',
  'mul: int32 beyond 2^53 wraps exactly, a row broadcast': 'got 0, want 1',
  'mul: int32 beyond 2^53 wraps exactly, a column times a row': 'got 0, want 1',
  'div: int32 (2^31 - 1) / 3, beyond 2^24, floors': 'got -715827904, want 715827882',
  'pow: int32 beyond 2^24, wrapping, negative exponents': 'got -808184832, want -808182895',
  'pow: int32 beyond 2^53 wraps exactly': 'got 0, want 689956897',
  'maximum: int32 beyond 2^24': 'got 16777216, want 16777217',
  'minimum: int32 beyond 2^24': 'got -2147483648, want 2147483646',
  'clipByValue: int32 beyond 2^24': 'got 16777220, want 16777219',
  'equal: int32 beyond 2^24': 'got 1, want 0',
  'notEqual: int32 beyond 2^24': 'got 0, want 1',
  'less: int32 beyond 2^24': 'got 0, want 1',
  'lessEqual: int32 beyond 2^24': 'got 1, want 0',
  'greater: int32 beyond 2^24': 'got 0, want 1',
  'greaterEqual: int32 beyond 2^24': 'got 1, want 0',
  'where: int32 beyond 2^24': 'got 16777216, want 16777217',
  'sum: int32 beyond 2^24, wrapping past ±2^31': 'got 16777216, want 16777217',
  'mean: int32 (2^31 - 1) / 3': 'got -715827904, want 715827882',
  'max: int32 beyond 2^24': 'got 16777220, want 16777219',
  'min: int32 beyond 2^24': 'got -16777220, want -16777219',
  'argMax: int32 beyond 2^24': 'got 0, want 1',
  'gather: int32 beyond 2^24': 'got -16777216, want -16777217',
  'unsortedSegmentSum: int32 into 3 segments, wrapping past 2^31': 'got 16777216, want 16777217',
  'pad: int32 with a value beyond 2^24': 'got -16777220, want -16777219',
  'concat: int32 beyond 2^24': 'got 16777216, want 16777217',
  'transpose: int32 beyond 2^24': 'got 16777216, want 16777217',
};

const GLSL_LOG_OF_ZERO = "GLSL's log(0) is undefined; SwiftShader returns log of the smallest float (-88.03), and tfjs's shader only special-cases x < 0 and NaN";

export const WEBGL_KNOWN_DEVIATIONS: Readonly<Record<string, KnownDeviation>> = {
  'log: zero gives -Infinity': { failure: 'got -88.0296936', why: GLSL_LOG_OF_ZERO },
  // log1p(-1) is log(1 + -1) = log(0).
  'log1p: -1 gives -Infinity, Infinity stays': { failure: 'got -88.0296936', why: GLSL_LOG_OF_ZERO },
  // A row of −inf sums exp(−inf) = 0 and takes log(0) (SwiftShader gives −1e20 on this path).
  'logSumExp: infinite rows stay infinite': { failure: 'got -100000002004087730000', why: GLSL_LOG_OF_ZERO },
  ...Object.fromEntries(Object.entries(INT32_BEYOND_2_24).map(([id, failure]) => [id, { failure, why: INT32_IN_FLOAT_TEXTURES }])),
};
