// Serves a page that runs tfjs's backends (the conformance page, the benchmark's) with Vite's dev
// server on an ephemeral localhost port.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin, type ViteDevServer } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/** tfjs-backend-wasm's dist folder, which holds its .wasm binaries. */
function tfjsWasmDist(): string {
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
}

/**
 * The headers that make a page cross-origin isolated, which SharedArrayBuffer needs: simd's
 * helper threads and tfjs-wasm's threads run only in such a page.
 */
export const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** A page's folder, what more Vite serves, and the dependencies beyond tfjs's it pre-bundles. */
export interface TfjsPage {
  root: string;
  plugins?: Plugin[];
  prebundle?: string[];
}

/**
 * Serves the page in `root` (its index.html, its TypeScript from the workspace's sources) with
 * Vite's dev server on an ephemeral localhost port, cross-origin isolated, tfjs-backend-wasm's
 * .wasm binaries at the root: the conformance page, and the benchmark's (packages/bench/browser).
 */
export async function serveTfjsPage({ root, plugins = [], prebundle = [] }: TfjsPage): Promise<PageServer> {
  const server: ViteDevServer = await createServer({
    root,
    configFile: false,
    logLevel: 'warn',
    // The wasm binaries are served at the root; the page calls setTfjsWasmPaths(origin + '/').
    publicDir: tfjsWasmDist(),
    plugins,
    resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null, headers: { ...CROSS_ORIGIN_ISOLATION } },
    // Pre-bundle tfjs up front: a dependency discovered while the page runs would reload it.
    optimizeDeps: {
      entries: ['index.html'],
      include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl', ...prebundle],
    },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error(`serveTfjsPage: Vite started for ${root} but reported no local URL`);
  return { url, close: () => server.close() };
}

export function serveConformancePage(): Promise<PageServer> {
  return serveTfjsPage({ root: here });
}
