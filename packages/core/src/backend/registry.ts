import type { Backend } from './backend.js';
import { forgetBackend, liveTensorsOn } from '../engine/engine.js';

/** How a backend package makes itself known to core. */
export interface BackendRegistration {
  /** Builds the backend; may be async (loading WASM, creating a WebGL context). */
  create(): Backend | Promise<Backend>;
  /** Higher wins when choosing a default. */
  priority?: number;
  /** Returns why the backend cannot run in this environment, or null when it can. */
  unavailableReason?(): string | null;
}

export interface BackendInfo {
  /** What `setBackend` takes: 'simd', 'naive', 'tfjs-wasm'. */
  name: string;
  /** The default backend is the available one with the highest priority. */
  priority: number;
  /** Whether it can run in this environment. */
  available: boolean;
  /** Why the backend cannot run here; null when available. */
  reason: string | null;
  /** True once `setBackend(name)` has finished initialising it. */
  initialized: boolean;
}

interface Entry {
  registration: BackendRegistration;
  instance: Backend | null;
  pending: Promise<Backend> | null;
}

const entries = new Map<string, Entry>();
let active: Backend | null = null;
let activeName: string | null = null;
let initializing: string | null = null;

/** Registers (or replaces) a backend under `name`. */
export function registerBackend(name: string, registration: BackendRegistration): void {
  const previous = entries.get(name);
  if (previous?.instance && previous.instance === active) {
    throw new Error(`registerBackend('${name}'): cannot replace the active backend`);
  }
  entries.set(name, { registration, instance: null, pending: null });
}

/** Every registered backend with whether it can run here and, if not, why. */
export function listBackends(): BackendInfo[] {
  return [...entries.entries()]
    .map(([name, entry]) => {
      const reason = entry.registration.unavailableReason?.() ?? null;
      return {
        name,
        priority: entry.registration.priority ?? 0,
        available: reason === null,
        reason,
        initialized: entry.instance !== null,
      };
    })
    .sort((a, b) => b.priority - a.priority);
}

function entryFor(name: string, caller: string): Entry {
  const entry = entries.get(name);
  if (!entry) {
    const known = [...entries.keys()];
    throw new Error(
      `${caller}: unknown backend '${name}'. Registered backends: ${known.length ? known.join(', ') : '(none — import a backend package such as @perceptron/backend-naive)'}`,
    );
  }
  return entry;
}

/**
 * Makes `name` the backend that new tensors and ops use, initialising it on first use.
 * Await it: ops run before an async backend has finished initialising throw.
 */
export async function setBackend(name: string): Promise<Backend> {
  const entry = entryFor(name, 'setBackend');
  const reason = entry.registration.unavailableReason?.() ?? null;
  if (reason !== null) throw new Error(`setBackend: backend '${name}' is not available here: ${reason}`);
  if (!entry.instance) {
    if (!entry.pending) entry.pending = Promise.resolve(entry.registration.create());
    initializing = name;
    try {
      entry.instance = await entry.pending;
    } catch (error) {
      entry.pending = null;
      throw new Error(`setBackend: backend '${name}' failed to initialise: ${(error as Error).message}`, { cause: error });
    } finally {
      if (initializing === name) initializing = null;
    }
  }
  active = entry.instance;
  activeName = name;
  return entry.instance;
}

/**
 * Releases backend `name`'s instance and what it holds (helper threads, WebAssembly memory, a GL
 * context) once no tensor lives on it. Its registration stays: a later `setBackend(name)`
 * creates it afresh. Disposing the active backend leaves none active until the next
 * `setBackend`. A backend never created is left as it is. Throws, changing nothing, while
 * tensors (variables included) live on it or while it is initialising.
 */
export function disposeBackend(name: string): void {
  const entry = entryFor(name, 'disposeBackend');
  if (entry.pending && !entry.instance) {
    throw new Error(`disposeBackend: backend '${name}' is still initialising: await setBackend('${name}') first`);
  }
  const instance = entry.instance;
  if (!instance) return;
  const live = liveTensorsOn(instance);
  if (live > 0) {
    throw new Error(
      `disposeBackend: ${live} tensor${live === 1 ? '' : 's'} (variables included) still live on backend '${name}': dispose them (or the models holding them) first`,
    );
  }
  try {
    instance.dispose?.();
  } catch (error) {
    throw new Error(`disposeBackend: backend '${name}' refused to be disposed: ${(error as Error).message}`, { cause: error });
  }
  forgetBackend(instance);
  entry.instance = null;
  entry.pending = null;
  if (active === instance) {
    active = null;
    activeName = null;
  }
}

/** The backend that ops run on. Throws when none is set or one is still initialising. */
export function getBackend(): Backend {
  if (initializing !== null) {
    throw new Error(
      `Backend '${initializing}' is still initialising: await setBackend('${initializing}') before running ops`,
    );
  }
  if (active) return active;
  throw new Error(
    `No backend is set: call await setBackend(name) first. Registered backends: ${[...entries.keys()].join(', ') || '(none)'}`,
  );
}

/** Name of the active backend, or null before the first `setBackend`. */
export function getBackendName(): string | null {
  return activeName;
}

/** The registered, available backend with the highest priority. */
export function defaultBackendName(): string {
  const best = listBackends().find((b) => b.available);
  if (!best) throw new Error('No backend is available: import a backend package such as @perceptron/backend-naive');
  return best.name;
}
