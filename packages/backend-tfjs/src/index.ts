// Public API of @perceptron/backend-tfjs. Importing it registers tfjs-cpu, tfjs-wasm and
// tfjs-webgl with core; none is initialised until `setBackend` picks it.
import { registerTfjsBackends } from './register.js';

export { TfjsBackend, type TfjsBackendName } from './tfjs-backend.js';
export { setTfjsWasmPaths } from './wasm-paths.js';

registerTfjsBackends();
