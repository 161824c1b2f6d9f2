// The export path must bundle for browsers: no module may import onnxruntime-node or a node:
// builtin at its top; the runtime wrapper and file helpers load them when called.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

/** A static, non-type import of onnxruntime-node or a node: builtin; group 1 is the module. */
const STATIC_NODE_IMPORT = /^import\s+(?!type\b)[^;]*?from\s+'(onnxruntime-node|node:[^']+)'/gm;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

const staticNodeImports = (text: string): string[] => [...text.matchAll(STATIC_NODE_IMPORT)].map((match) => match[1]!);

it('imports onnxruntime-node and node: builtins only dynamically (or as types)', async () => {
  const offenders: string[] = [];
  for (const file of await sourceFiles(SRC)) {
    for (const module of staticNodeImports(await readFile(file, 'utf8'))) offenders.push(`${relative(SRC, file)}: ${module}`);
  }
  expect(offenders).toEqual([]);
});

it('the static import check sees a static import when there is one, and only then', () => {
  // Guards the regular expression above against matching nothing at all.
  const text = [
    "import { parseArgs } from 'node:util';",
    "import type * as Ort from 'onnxruntime-node';",
    "import {\n  InferenceSession,\n} from 'onnxruntime-node';",
    "const fs = await import('node:fs/promises');",
  ].join('\n');
  expect(staticNodeImports(text)).toEqual(['node:util', 'onnxruntime-node']);
});
