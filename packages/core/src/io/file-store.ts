import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Where saved models live: named files in one place. The Node store writes to a folder; a
 * browser can pass its own (IndexedDB, downloads) or the in-memory one. Core itself never imports
 * Node modules at load time, so bundlers for the browser are not troubled.
 */
export interface FileStore {
  /** A name for errors: the folder, or 'memory'. */
  readonly location: string;
  /** Replaces `name` with `data` atomically: readers see the old file or the new one, never half. */
  write(name: string, data: Uint8Array): Promise<void>;
  /** The file's bytes; throws naming the file when it does not exist. */
  read(name: string): Promise<Uint8Array>;
  /**
   * Deletes `name` if it exists. Optional: saving a model over an older one removes the
   * older weights file with it; a store without `remove` keeps those files.
   */
  remove?(name: string): Promise<void>;
}

/** Files kept in a Map: for tests, and for browsers before a persistent store exists. */
export function memoryStore(): FileStore & { readonly files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    location: 'memory',
    files,
    async write(name, data) {
      files.set(name, data.slice());
    },
    async read(name) {
      const data = files.get(name);
      if (!data) throw new Error(`memory store: no file '${name}'`);
      return data.slice();
    },
    async remove(name) {
      files.delete(name);
    },
  };
}

/**
 * A folder on disk (Node). Writes go to a temporary file that is then renamed over the target,
 * so an interrupted save never leaves a half-written file behind.
 */
export function nodeFileStore(directory: string): FileStore {
  // Imported on first use only: the specifiers are hidden from bundlers that scan for imports.
  const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>;
  const fs = () => load<typeof import('node:fs/promises')>('node:fs/promises');
  const path = () => load<typeof import('node:path')>('node:path');
  return {
    location: directory,
    async write(name, data) {
      const { join } = await path();
      await writeFileAtomic(join(directory, name), data);
    },
    async read(name) {
      const [{ readFile }, { join }] = await Promise.all([fs(), path()]);
      const target = join(directory, name);
      try {
        return new Uint8Array(await readFile(target));
      } catch (error) {
        throw new Error(`load: could not read '${target}': ${(error as Error).message}`, { cause: error });
      }
    },
    async remove(name) {
      const [{ rm }, { join }] = await Promise.all([fs(), path()]);
      await rm(join(directory, name), { force: true });
    },
  };
}

/**
 * Files served over HTTP under `baseUrl` (a folder's URL, ending in '/'), read with fetch: how a
 * page loads a model published beside it, as tfjs's `loadLayersModel(url)` does. Read-only.
 */
export function urlStore(baseUrl: string | URL): FileStore {
  const base = new URL(String(baseUrl));
  if (!base.pathname.endsWith('/')) throw new Error(`urlStore: expected the URL of a folder, ending in '/', got '${base.href}'`);
  return {
    location: base.href.replace(/\/$/, ''),
    async write(name) {
      throw new Error(`urlStore: '${new URL(name, base).href}' cannot be written: a URL store is read-only`);
    },
    async read(name) {
      const url = new URL(name, base).href;
      let response: Response;
      try {
        response = await fetch(url);
      } catch (error) {
        throw new Error(`load: could not fetch '${url}': ${(error as Error).message}`, { cause: error });
      }
      if (!response.ok) throw new Error(`load: could not fetch '${url}': HTTP ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** A folder path means the Node store; anything else must be a FileStore. */
export function toStore(caller: string, location: string | FileStore): FileStore {
  if (typeof location === 'string') return nodeFileStore(location);
  if (location && typeof location.write === 'function' && typeof location.read === 'function') return location;
  throw new Error(`${caller}: expected a folder path or a FileStore, got ${typeof location}`);
}
