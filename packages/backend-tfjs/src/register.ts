/** The three Perceptron backends this package offers, one per tfjs backend. */
import { registerBackend } from '@perceptron/core';
import { wasmUnavailableReason, webglUnavailableReason } from './environment.js';
import { createTfjsBackend } from './init.js';
import type { TfjsBackendName } from './tfjs-backend.js';

interface Variant {
  name: string;
  tfName: TfjsBackendName;
  /** Faster backends rank higher, so the default is the fastest one that can run here. */
  priority: number;
  unavailableReason(): string | null;
}

export const TFJS_VARIANTS: readonly Variant[] = [
  { name: 'tfjs-cpu', tfName: 'cpu', priority: 2, unavailableReason: () => null },
  { name: 'tfjs-wasm', tfName: 'wasm', priority: 3, unavailableReason: wasmUnavailableReason },
  { name: 'tfjs-webgl', tfName: 'webgl', priority: 4, unavailableReason: webglUnavailableReason },
];

export function registerTfjsBackends(): void {
  for (const { name, tfName, priority, unavailableReason } of TFJS_VARIANTS) {
    registerBackend(name, { priority, unavailableReason, create: () => createTfjsBackend(name, tfName) });
  }
}
