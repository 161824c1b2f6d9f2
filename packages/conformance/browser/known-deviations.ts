// Cases tfjs-webgl is known to fail, each with the failure it must still show. The browser
// test asserts that exact failure, so a fix (or a new way of failing) turns the test red and
// the entry must go. Findings for @perceptron/backend-tfjs, not tolerances to widen.

export interface KnownDeviation {
  /** A fragment every failing message of the case contains. */
  readonly failure: string;
  readonly why: string;
}

export const WEBGL_KNOWN_DEVIATIONS: Readonly<Record<string, KnownDeviation>> = {
  'log: zero gives -Infinity': {
    failure: 'got -88.0296936',
    why: "GLSL's log(0) is undefined; SwiftShader returns log of the smallest float (-88.03), and tfjs's shader only special-cases x < 0 and NaN",
  },
};
