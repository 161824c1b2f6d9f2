import type { ApiEntry } from './api-entries.js';
import { apiMarkdown } from './api-markdown.js';

/** A package with a reference page: its folder under packages/ and what the page says first. */
export interface DocumentedPackage {
  readonly folder: string;
  readonly packageName: string;
  readonly description: string;
}

/** The packages users import, in the order a reader meets them. */
export const API_PAGES: readonly DocumentedPackage[] = [
  {
    folder: 'core',
    packageName: '@perceptron/core',
    description: 'Tensors, ops with their gradients, GradientTape, memory scopes, seeded random numbers, layers and models, losses, metrics, optimizers, callbacks, datasets, and saving and loading. It imports no backend: register one by importing its package, then `await setBackend(name)`.',
  },
  {
    folder: 'backend-naive',
    packageName: '@perceptron/backend-naive',
    description: 'The reference backend: plain loops over float32 arrays, written to be read. Importing the package registers `naive`.',
  },
  {
    folder: 'backend-simd',
    packageName: '@perceptron/backend-simd',
    description: 'The fastest backend in Node: WebAssembly SIMD kernels, on worker threads for the large ones. Importing the package registers `simd`.',
  },
  {
    folder: 'backend-tfjs',
    packageName: '@perceptron/backend-tfjs',
    description: 'TensorFlow.js as a backend. Importing the package registers `tfjs-cpu`, `tfjs-wasm` and `tfjs-webgl` (browser only).',
  },
  {
    folder: 'onnx',
    packageName: '@perceptron/onnx',
    description: 'Export to ONNX, import ONNX graphs as trainable models, and run ONNX files with onnxruntime.',
  },
  {
    folder: 'conformance',
    packageName: '@perceptron/conformance',
    description: 'The table of op cases every backend must pass, the float64 references they are checked against, and the parity report.',
  },
  {
    folder: 'examples',
    packageName: '@perceptron/examples',
    description: 'The reusable pieces behind the lab and its demos: MNIST loading, the lab\'s model and training loops, and the plots.',
  },
];

/** Where a package's page is written, relative to the repository's root. */
export function pagePath(page: DocumentedPackage): string {
  return `docs/api/${page.folder}.md`;
}

/** The page of `page`'s package from its exports, linking to the sources from docs/api/. */
export function pageMarkdown(page: DocumentedPackage, entries: readonly ApiEntry[]): string {
  return apiMarkdown({ ...page, sourcePath: `../../packages/${page.folder}` }, entries);
}
