// Runs one of a package's command-line entries on the compiled packages, after building
// whatever changed:
//
//   node ../../scripts/run-built.mjs dist/lab/main.js [args...]        (from a package's npm script)
//
// Why compiled: tsx's transform of the sources wraps every function it creates in a naming
// helper (esbuild's keepNames), and the framework creates closures on every op. Measured on the
// lab (2026-11-27, simd, 5 epochs): 1.31 s per epoch from the sources, 1.13 s compiled.
// turbo skips packages whose files did not change, so after the first build this costs ~0.5 s.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** A build that takes longer than this says so (a fresh clone's first takes ~10 s). */
const QUIET_MS = 1500;

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('run-built: expected the entry to run (e.g. dist/lab/main.js) and its arguments, got nothing');
  process.exit(2);
}
// npm runs a package's scripts in the package's folder.
const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
await buildWithDependencies(name);
const entryPath = path.resolve(entry);
process.argv = [process.argv[0], entryPath, ...args];
await import(pathToFileURL(entryPath).href);

/** `turbo run build` for the package and every package it depends on; its log only on failure. */
function buildWithDependencies(pkg) {
  const turboArgs = ['run', 'build', `--filter=${pkg}...`, '--output-logs=errors-only'];
  const turbo = spawn(path.join(ROOT, 'node_modules', '.bin', 'turbo'), turboArgs, {
    cwd: ROOT,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // node_modules/.bin/turbo is a .cmd script on Windows, which only a shell runs.
    shell: process.platform === 'win32',
  });
  const log = [];
  turbo.stdout.on('data', (chunk) => log.push(chunk));
  turbo.stderr.on('data', (chunk) => log.push(chunk));
  const notice = setTimeout(() => console.error(`Building ${pkg} and the packages it uses (only what changed)…`), QUIET_MS);
  return new Promise((resolve) => {
    turbo.on('error', (error) => {
      clearTimeout(notice);
      console.error(`run-built: could not start turbo (${error.message}); run npm ci first`);
      process.exit(1);
    });
    turbo.on('close', (code) => {
      clearTimeout(notice);
      if (code === 0) return resolve();
      process.stderr.write(Buffer.concat(log));
      console.error(`run-built: the build failed: turbo ${turboArgs.join(' ')} exited with ${code}`);
      process.exit(code ?? 1);
    });
  });
}
