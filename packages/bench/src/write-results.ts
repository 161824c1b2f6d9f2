/** Saves a run: <timestamp>.json, latest.json, latest.md and the bar chart latest.png. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@perceptron/core';
import { writeChartPng } from '@perceptron/examples';
import { chartSpec } from './chart.js';
import { formatReport } from './report.js';
import type { BenchResults } from './results.js';

/**
 * packages/bench/bench-results, wherever the command runs from; the browser run's go in its
 * browser/ folder, apart from the Node run's latest.* files.
 */
export function defaultOutDir(run: 'node' | 'browser' = 'node'): string {
  const node = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');
  return run === 'node' ? node : join(node, 'browser');
}

export interface WrittenFiles {
  json: string;
  latestJson: string;
  markdown: string;
  png: string;
}

export async function writeResults(results: BenchResults, outDir: string): Promise<WrittenFiles> {
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const files: WrittenFiles = {
    json: join(outDir, `${stamp}.json`),
    latestJson: join(outDir, 'latest.json'),
    markdown: join(outDir, 'latest.md'),
    png: join(outDir, 'latest.png'),
  };
  await writeFileAtomic(files.json, json);
  await writeFileAtomic(files.latestJson, json);
  await writeFileAtomic(files.markdown, formatReport(results));
  await writeChartPng(files.png, chartSpec(results));
  return files;
}
