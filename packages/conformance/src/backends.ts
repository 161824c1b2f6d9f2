// Importing the backend packages registers every backend they offer.
import '@perceptron/backend-naive';
import '@perceptron/backend-simd';
import '@perceptron/backend-tfjs';
import { listBackends, registerBackend, setBackend, type Backend, type BackendInfo, type FusedKernels } from '@perceptron/core';
import type { OpName } from './cases/ops.js';

/** Every backend the packages registered (whether or not it can run here), highest priority first. */
export const BACKENDS: readonly BackendInfo[] = listBackends();

/** Backends that can run here. */
export const AVAILABLE: readonly BackendInfo[] = BACKENDS.filter((b) => b.available);

/** Backends that cannot, each with the reason its package gives. */
export const UNAVAILABLE: readonly BackendInfo[] = BACKENDS.filter((b) => !b.available);

/**
 * Each optional fused kernel and the table op that runs it. A Record over FusedKernels' keys:
 * adding a fused kernel to core's interface breaks this line until the suite covers it.
 */
export const FUSED_KERNEL_OPS: Record<keyof FusedKernels<unknown>, OpName> = {
  softmax: 'softmax', logSoftmax: 'logSoftmax', softmaxCrossEntropy: 'softmaxCrossEntropyWithLogits',
  fusedMatMul: 'dense', adamUpdate: 'adam',
  conv2d: 'conv2d', conv2dBackpropInput: 'conv2dBackpropInput', conv2dBackpropFilter: 'conv2dBackpropFilter',
  depthwiseConv2d: 'depthwiseConv2d', depthwiseConv2dBackpropInput: 'depthwiseConv2dBackpropInput', depthwiseConv2dBackpropFilter: 'depthwiseConv2dBackpropFilter',
  fusedConv2d: 'fusedConv2d', fusedDepthwiseConv2d: 'fusedDepthwiseConv2d',
  maxPool2d: 'maxPool2d', maxPool2dBackprop: 'maxPool2dBackprop', avgPool2d: 'avgPool2d', avgPool2dBackprop: 'avgPool2dBackprop',
};
export const FUSED_KERNEL_NAMES = Object.keys(FUSED_KERNEL_OPS) as (keyof FusedKernels<unknown>)[];

/** The optional fused kernels `backend` implements. */
export function fusedKernelsOf(backend: Backend): (keyof FusedKernels<unknown>)[] {
  return FUSED_KERNEL_NAMES.filter((k) => typeof backend[k] === 'function');
}

/**
 * `base` under another name with its fused kernels hidden, so core falls back to composing
 * primitives. A Proxy binds every method to `base`, which keeps backends with private state
 * working. `dispose` is hidden too: the twin borrows `base`'s resources, it does not own them.
 */
export function withoutFusedKernels(base: Backend, name: string): Backend {
  const hidden = new Set<PropertyKey>([...FUSED_KERNEL_NAMES, 'dispose']);
  return new Proxy(base, {
    get(target, key) {
      if (key === 'name') return name;
      if (hidden.has(key)) return undefined;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (target, key) => !hidden.has(key) && key in target,
  });
}

/**
 * Registers `<name>-composite` (once): backend `name` without its fused kernels. Initialises
 * `name`, and leaves it active.
 */
export async function registerCompositeTwin(name: string): Promise<string> {
  const twin = `${name}-composite`;
  const base = await setBackend(name);
  if (!listBackends().some((b) => b.name === twin)) {
    registerBackend(twin, { create: () => withoutFusedKernels(base, twin) });
  }
  return twin;
}
