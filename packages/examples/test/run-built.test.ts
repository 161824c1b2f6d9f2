import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/run-built.mjs is what the lab's and demos' npm scripts run: turbo builds the package
// and what it uses (cached when nothing changed), then the entry runs with the given arguments.
const PACKAGE_DIR = join(import.meta.dirname, '..');
const LAUNCHER = join(PACKAGE_DIR, '..', '..', 'scripts', 'run-built.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'run-built-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function launch(args: string[]) {
  return spawnSync(process.execPath, [LAUNCHER, ...args], { cwd: PACKAGE_DIR, encoding: 'utf8' });
}

describe('run-built', () => {
  it('builds the package, then runs the entry with its own argv', () => {
    const entry = join(scratch, 'entry.mjs');
    writeFileSync(entry, 'console.log(JSON.stringify({ script: process.argv[1], args: process.argv.slice(2) }));\n');
    const run = launch([entry, '--epochs', '1', 'x y']);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.status).toBe(0);
    // Only the entry's output: turbo's log is shown when the build fails, not otherwise.
    expect(JSON.parse(run.stdout)).toEqual({ script: entry, args: ['--epochs', '1', 'x y'] });
    expect(existsSync(join(PACKAGE_DIR, 'dist', 'lab', 'main.js'))).toBe(true);
  }, 180_000);

  it('says what it expected when no entry is given', () => {
    const run = launch([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected the entry to run (e.g. dist/lab/main.js) and its arguments, got nothing');
  });
});
