/**
 * Where tfjs-wasm fetches its `.wasm` binaries. tfjs's default is the directory of the running
 * script, which is wrong both in Node (the script is ours, not tfjs's) and in most bundles.
 */
import { isNode } from './environment.js';

let configuredPrefix: string | null = null;
let prefixUsed = false;

/**
 * Sets the URL or directory (ending in '/') holding tfjs-backend-wasm's `.wasm` files, e.g.
 * where a bundler copied them. Call before `setBackend('tfjs-wasm')`.
 */
export function setTfjsWasmPaths(prefix: string): void {
  // tfjs reads the prefix once, when it instantiates the module; a later change would be ignored.
  if (prefixUsed) throw new Error("setTfjsWasmPaths: call it before setBackend('tfjs-wasm'); the WASM module is already loading or loaded");
  configuredPrefix = prefix;
}

/**
 * The prefix to give tfjs: the configured one, else in Node the installed package's dist folder,
 * else null (keep tfjs's default).
 */
export async function wasmPathPrefix(): Promise<string | null> {
  prefixUsed = true;
  if (configuredPrefix !== null) return configuredPrefix;
  if (!isNode()) return null;
  // Loaded lazily so browser bundles never evaluate Node built-ins.
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  // The package's main entry sits in dist/, next to the .wasm files.
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + '/';
}
