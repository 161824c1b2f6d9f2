// Serves the conformance page with Vite's dev server on an ephemeral localhost port.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/** tfjs-backend-wasm's dist folder, which holds its .wasm binaries. */
function tfjsWasmDist(): string {
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function serveConformancePage(): Promise<PageServer> {
  const server: ViteDevServer = await createServer({
    root: here,
    configFile: false,
    logLevel: 'warn',
    // The wasm binaries are served at the root; the page calls setTfjsWasmPaths(origin + '/').
    publicDir: tfjsWasmDist(),
    resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // Pre-bundle tfjs up front: a dependency discovered while the page runs would reload it.
    optimizeDeps: {
      entries: ['index.html'],
      include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl'],
    },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('serveConformancePage: Vite started but reported no local URL');
  return { url, close: () => server.close() };
}
