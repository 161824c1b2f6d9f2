/** The adapters under test, created once per test file. A backend that cannot initialise fails every test that needs it. */
import { createTfjsBackend } from '../src/init.js';
import type { TfjsBackend, TfjsBackendName } from '../src/tfjs-backend.js';

/** The tfjs backends that run in Node; webgl needs a browser. */
export const NODE_BACKENDS = ['cpu', 'wasm'] as const satisfies readonly TfjsBackendName[];

const created = new Map<TfjsBackendName, Promise<TfjsBackend>>();

export function backendFor(tfName: TfjsBackendName): Promise<TfjsBackend> {
  let backend = created.get(tfName);
  if (!backend) {
    backend = createTfjsBackend(`tfjs-${tfName}`, tfName);
    created.set(tfName, backend);
  }
  return backend;
}
