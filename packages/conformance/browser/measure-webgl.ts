// What WebGL gives in this browser: tfjs's precision flags, the GL's highp format, and the
// mantissa bits a value actually keeps through a tfjs-webgl op (float32 or float16 textures).
import { add, getBackend, tensor, tidy } from '@perceptron/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WebglPrecision } from './results.js';

const TFJS_FLAGS = [
  'WEBGL_VERSION', 'WEBGL_RENDER_FLOAT32_CAPABLE', 'WEBGL_RENDER_FLOAT32_ENABLED', 'WEBGL_DOWNLOAD_FLOAT_ENABLED',
  'WEBGL_FORCE_F16_TEXTURES', 'WEBGL_PACK', 'WEBGL_CPU_FORWARD', 'WEBGL_MAX_TEXTURE_SIZE',
];

/** The largest k ≤ 30 for which 1 + 2^-k comes back from the GPU different from 1. */
function mantissaBits(): number {
  let bits = 0;
  for (let k = 1; k <= 30; k++) {
    const sum = tidy(() => add(tensor([1], [1]), 2 ** -k).dataSync()[0]!);
    if (sum === 1) break;
    bits = k;
  }
  return bits;
}

/** Call with tfjs-webgl active. */
export function measureWebglPrecision(): WebglPrecision {
  const tfjsFlags = Object.fromEntries(TFJS_FLAGS.map((flag) => [flag, tf.env().get(flag)]));
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl === null) throw new Error('measureWebglPrecision: tfjs-webgl is active but this page cannot create a WebGL2 context');
  const highp = gl.getShaderPrecisionFormat(gl.FRAGMENT_SHADER, gl.HIGH_FLOAT)!;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  const bits = mantissaBits();
  return {
    tfjsFlags,
    renderer,
    fragmentHighp: { precision: highp.precision, rangeMin: highp.rangeMin, rangeMax: highp.rangeMax },
    measuredMantissaBits: bits,
    unitRoundoff: 2 ** -(bits + 1),
    floatPrecision: getBackend().floatPrecision,
  };
}
