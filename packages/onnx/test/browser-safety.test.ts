// The export path must bundle for browsers: no module outside src/bin may import onnxruntime-node
// or a node: builtin at its top; the runtime wrapper and file helpers load them when called.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

it('imports onnxruntime-node and node: builtins only dynamically (or as types) outside src/bin', async () => {
  const offenders: string[] = [];
  for (const file of await sourceFiles(SRC)) {
    const path = relative(SRC, file);
    if (path.startsWith('bin/')) continue;
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(onnxruntime-node|node:[^']+)'/gm)) offenders.push(`${path}: ${match[1]}`);
  }
  expect(offenders).toEqual([]);
});

it('the static import check sees a static import when there is one', async () => {
  // Guards the regular expression above against matching nothing at all.
  const text = await readFile(join(SRC, 'bin/serve.ts'), 'utf8');
  expect(text).toMatch(/^import\s+(?!type\b)[^;]*?from\s+'node:util'/m);
});
