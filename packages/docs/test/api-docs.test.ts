import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiMarkdown, API_PAGES, pageMarkdown, pagePath, readApi } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../..');
const FIXTURE = join(HERE, 'fixture');

describe('readApi', () => {
  it('lists every export of the fixture in index order: kind, call signature, summary and declaring file', () => {
    const plain = { members: [], extends: [] };
    expect(readApi(FIXTURE)).toEqual([
      { name: 'area', kind: 'function', signature: 'area(width, height?)', summary: 'Width times height.', file: 'src/shapes/area.ts', ...plain },
      {
        name: 'resize', kind: 'function', signature: 'resize(factor, ...sizes)', file: 'src/shapes/area.ts', ...plain,
        summary: 'Every size multiplied by `factor`, in the order given, which is a long sentence written to run past the summary\'s length so that the generator has to cut it.',
      },
      { name: 'Size', kind: 'type', signature: 'Size', summary: '', file: 'src/shapes/area.ts', ...plain },
      { name: 'Square', kind: 'class', signature: 'new Square(side, label?)', summary: 'A square of side `side`.', file: 'src/shapes/square.ts', ...plain },
      { name: 'Shape', kind: 'class', signature: 'abstract class Shape', summary: 'Something with an area, with', file: 'src/shapes/square.ts', ...plain },
      {
        // Named is not exported: its member is listed here.
        name: 'SquareOptions', kind: 'interface', signature: 'SquareOptions', summary: 'How a square is drawn.', file: 'src/shapes/square.ts', extends: [],
        members: [{ name: 'label?', summary: 'Printed under it.' }, { name: 'describe()', summary: '' }, { name: 'name', summary: 'What it is called.' }],
      },
      {
        // SquareOptions is: its members are listed under it, but for the label, which Omit leaves out.
        name: 'PlainOptions', kind: 'interface', signature: 'PlainOptions', summary: 'Drawing options without a label.', file: 'src/shapes/square.ts', extends: ['SquareOptions'],
        members: [{ name: 'dashed?', summary: 'Drawn with a dashed line.' }],
      },
      {
        // PlainOptions is exported, behind the unexported Bordered, whose member is listed here.
        name: 'FramedOptions', kind: 'interface', signature: 'FramedOptions', summary: 'A framed square\'s options: through Bordered, PlainOptions\'s too.', file: 'src/shapes/square.ts', extends: ['PlainOptions'],
        members: [{ name: 'colour', summary: 'The frame\'s colour.' }, { name: 'border', summary: 'The border\'s width.' }],
      },
      { name: 'version', kind: 'const', signature: 'version', summary: 'The fixture\'s version.', file: 'src/version.ts', ...plain },
    ]);
  });

  it('names the file when a package has no src/index.ts', () => {
    expect(() => readApi(join(FIXTURE, 'src'))).toThrow(/readApi: cannot read .*fixture\/src\/tsconfig\.json/);
  });
});

describe('apiMarkdown', () => {
  it('writes a section per source folder, in the order the index first exports from it, with a contents line counting them', () => {
    const page = { packageName: '@fixture/shapes', description: 'Shapes.', sourcePath: '../../fixture' };
    expect(apiMarkdown(page, readApi(FIXTURE)).split('\n')).toEqual([
      '# @fixture/shapes',
      '',
      '<!-- Written by `npm run docs` from the doc comments of the sources; edit those, not this page. -->',
      '',
      'Shapes.',
      '',
      '9 exports: [shapes](#shapes) (8), [General](#general) (1).',
      '',
      '## shapes',
      '',
      '- [`area(width, height?)`](../../fixture/src/shapes/area.ts) — Width times height.',
      '- [`resize(factor, ...sizes)`](../../fixture/src/shapes/area.ts) — Every size multiplied by `factor`, in the order given, which is a long sentence written to run past the summary\'s length so that the generator has to cut it.',
      '- [`Size`](../../fixture/src/shapes/area.ts) *type*',
      '- [`new Square(side, label?)`](../../fixture/src/shapes/square.ts) *class* — A square of side `side`.',
      '- [`abstract class Shape`](../../fixture/src/shapes/square.ts) *class* — Something with an area, with',
      '- [`SquareOptions`](../../fixture/src/shapes/square.ts) *interface* — How a square is drawn.',
      '  - `label?` — Printed under it.',
      '  - `describe()`',
      '  - `name` — What it is called.',
      '- [`PlainOptions`](../../fixture/src/shapes/square.ts) *interface* extends `SquareOptions` — Drawing options without a label.',
      '  - `dashed?` — Drawn with a dashed line.',
      '- [`FramedOptions`](../../fixture/src/shapes/square.ts) *interface* extends `PlainOptions` — A framed square\'s options: through Bordered, PlainOptions\'s too.',
      '  - `colour` — The frame\'s colour.',
      '  - `border` — The border\'s width.',
      '',
      '## General',
      '',
      '- [`version`](../../fixture/src/version.ts) *const* — The fixture\'s version.',
      '',
    ]);
  });
});

describe('docs/api', () => {
  // One program per package: core's takes a few seconds to type-check.
  const pages = API_PAGES.map((page) => ({ page, entries: readApi(join(ROOT, 'packages', page.folder)) }));

  it.each(pages.map(({ page, entries }) => [pagePath(page), page, entries] as const))('%s matches the sources (run `npm run docs` after changing an export or its doc comment)', async (file, page, entries) => {
    const written = await readFile(join(ROOT, file), 'utf8').catch(() => `(${file} is missing)`);
    expect(written).toBe(pageMarkdown(page, entries));
  });

  it('gives every member of the interfaces of the packages users build with a doc comment (the options a layer or a call takes)', () => {
    // The conformance suite's and the examples' own interfaces are read by their own code and tests.
    const used = pages.filter(({ page }) => page.folder !== 'conformance' && page.folder !== 'examples');
    const undocumented = used.flatMap(({ page, entries }) =>
      entries.flatMap((e) => e.members.filter((m) => m.summary === '').map((m) => `${page.packageName}: ${e.name}.${m.name} (${e.file})`)));
    expect(undocumented).toEqual([]);
  });

  it('gives every exported function, class and constant a doc comment', () => {
    const undocumented = pages.flatMap(({ page, entries }) =>
      entries.filter((e) => ['function', 'class', 'const'].includes(e.kind) && e.summary === '').map((e) => `${page.packageName}: ${e.name} (${e.file})`));
    expect(undocumented).toEqual([]);
  });
});
