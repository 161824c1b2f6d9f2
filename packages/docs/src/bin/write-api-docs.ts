// npm run docs: writes docs/api/<package>.md for every package in API_PAGES from its sources.
// With --check it writes nothing and exits 1 naming the pages that differ from their sources.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@perceptron/core';
import { API_PAGES, pageMarkdown, pagePath, readApi } from '../index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const USAGE = 'usage: npm run docs [-- --check]';

const args = process.argv.slice(2);
if (args.some((a) => a !== '--check')) {
  console.error(`npm run docs: unknown argument ${args.find((a) => a !== '--check')}\n${USAGE}`);
  process.exit(2);
}
const check = args.includes('--check');
const stale: string[] = [];
for (const page of API_PAGES) {
  const file = pagePath(page);
  const markdown = pageMarkdown(page, readApi(join(ROOT, 'packages', page.folder)));
  const current = await readFile(join(ROOT, file), 'utf8').catch(() => '');
  if (current === markdown) continue;
  stale.push(file);
  if (!check) await writeFileAtomic(join(ROOT, file), markdown);
  console.log(`${check ? 'differs from its sources' : 'wrote'}: ${file}`);
}
if (check && stale.length > 0) process.exit(1);
if (stale.length === 0) console.log(`docs/api: all ${API_PAGES.length} pages match their sources`);
