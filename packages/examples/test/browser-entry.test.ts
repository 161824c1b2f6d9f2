// @perceptron/examples/browser must load in a browser: no module reachable from src/browser.ts
// may import a Node built-in, and its IDX parsers work on bytes alone.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/**
 * Every import specifier (static, type-only, re-export, dynamic) of the source files reachable
 * from `entry` through relative imports, as 'file → specifier'.
 */
function reachableImports(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      found.push(`${file.slice(src.length + 1)} → ${fileName}`);
      if (fileName.startsWith('.')) visit(resolve(dirname(file), fileName).replace(/\.js$/, '.ts'));
    }
  };
  visit(join(src, entry));
  return found;
}

describe('the browser entry', () => {
  it('imports no node: module and no package but @perceptron/core', () => {
    const imports = reachableImports('browser.ts');
    expect(imports).toContain('lab/multilayer-perceptron.ts → ../demos/print.js');
    const external = imports.filter((line) => !line.split(' → ')[1]!.startsWith('.'));
    expect(external.filter((line) => !line.endsWith('→ @perceptron/core'))).toEqual([]);
  });

  it('the scan finds the Node modules of the full entry (so it would find them in the browser one)', () => {
    const imports = reachableImports('index.ts');
    expect(imports).toContain('mnist/idx-file.ts → node:fs');
    expect(imports).toContain('demos/serve.ts → node:util');
  });

  it('parses IDX bytes and names a file given as a URL in its errors', () => {
    const images = browser.encodeIdx(browser.IDX_IMAGES_MAGIC, [2, 1, 2], Uint8Array.of(0, 255, 7, 9));
    expect(browser.parseIdxImages(images, '/mnist/images')).toEqual({ count: 2, rows: 1, cols: 2, pixels: Uint8Array.of(0, 255, 7, 9) });
    const labels = browser.encodeIdx(browser.IDX_LABELS_MAGIC, [3], Uint8Array.of(2, 0, 1));
    expect(browser.parseIdxLabels(labels, '/mnist/labels', 3)).toEqual({ count: 3, labels: Uint8Array.of(2, 0, 1) });
    expect(() => browser.parseIdxLabels(labels, '/mnist/t10k-labels-idx1-ubyte', 2)).toThrow(
      new browser.IdxFormatError('/mnist/t10k-labels-idx1-ubyte', 'label 2 at index 0 is outside 0..1'),
    );
    const labelsAsImages = browser.encodeIdx(browser.IDX_LABELS_MAGIC, [2, 1, 2], Uint8Array.of(0, 255, 7, 9));
    expect(() => browser.parseIdxImages(labelsAsImages, 'C:\\mnist\\images')).toThrow(
      'images (C:\\mnist\\images): wrong magic number 2049 (0x00000801), expected 2051 for an image file',
    );
  });
});
