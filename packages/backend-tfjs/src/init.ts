/**
 * Loading and initialising the tfjs backends. Each backend package is imported only here, on
 * first use, so importing @perceptron/backend-tfjs neither fetches WASM nor touches WebGL.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isNode } from './environment.js';
import { TfjsBackend, type TfjsBackendName } from './tfjs-backend.js';
import { wasmPathPrefix } from './wasm-paths.js';

/** Imports a tfjs backend package (which registers it with tfjs) and configures it. */
const LOADERS: Record<TfjsBackendName, () => Promise<void>> = {
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
  async wasm() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The threaded build starts workers from Blob URLs, which Node cannot run. tfjs already
    // reports no thread support under Node; pin it so the threaded binary is never tried.
    if (isNode()) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const prefix = await wasmPathPrefix();
    if (prefix !== null) wasm.setWasmPaths(prefix);
  },
  async webgl() {
    await import('@tensorflow/tfjs-backend-webgl');
  },
};

/** Initialises tfjs's `tfName` backend and wraps it as the Perceptron backend `name`. */
export async function createTfjsBackend(name: string, tfName: TfjsBackendName): Promise<TfjsBackend> {
  await LOADERS[tfName]();
  // tfjs catches initialisation errors, logs them with console.warn and answers false.
  if (!(await tf.setBackend(tfName))) {
    throw new Error(`TensorFlow.js could not initialise its '${tfName}' backend; tfjs logged the cause above`);
  }
  if (tfName === 'cpu') muteTfjsNodeAdvice(tf.backend());
  return new TfjsBackend(name, tfName, floatPrecisionOf(tfName));
}

/**
 * tfjs-cpu's first upload in Node prints a banner advising tfjs-node. That advice does not apply
 * here: Perceptron's fast Node path is its own `simd` backend, and tfjs-node's install needs a
 * binary download. The banner is gated by a (JS-visible) first-use flag on the backend instance.
 */
function muteTfjsNodeAdvice(cpuBackend: object): void {
  if ('firstUse' in cpuBackend) cpuBackend.firstUse = false;
}

function floatPrecisionOf(tfName: TfjsBackendName): 16 | 32 {
  // Some (mostly mobile) GPUs cannot render to float32 textures; tfjs-webgl then stores halves.
  return tfName === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 16 : 32;
}
