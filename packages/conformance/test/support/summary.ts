import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Vitest global setup: clears the per-file tallies before the run and, after every
// conformance file has finished, prints one table of case counts per backend.

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../test-results/conformance');

interface Row { backend: string; passed: number; failed: number; skipped: string | null }

export function setup(): void {
  rmSync(dir, { recursive: true, force: true });
}

export function teardown(): void {
  const totals = new Map<string, Row>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return; // no conformance file ran (a filtered run)
  }
  for (const file of files) {
    for (const row of JSON.parse(readFileSync(join(dir, file), 'utf8')) as Row[]) {
      const total = totals.get(row.backend) ?? { backend: row.backend, passed: 0, failed: 0, skipped: null };
      total.passed += row.passed;
      total.failed += row.failed;
      total.skipped = row.skipped ?? total.skipped;
      totals.set(row.backend, total);
    }
  }
  const lines = [...totals.values()].map((r) => (r.skipped !== null
    ? `  ${r.backend.padEnd(12)} skipped: ${r.skipped}`
    : `  ${r.backend.padEnd(12)} ${String(r.passed).padStart(5)} passed, ${r.failed} failed`));
  console.log(`\nConformance cases per backend (${files.length} suites):\n${lines.join('\n')}\n`);
}
