// The slide demos' command line: --backend NAME as the lab takes it, --help, and a bad
// argument answered with the usage and exit 2 (not taken as a backend name, not ignored).
import { describe, expect, it } from 'vitest';
import { parseDemoArgs, type DemoOptions } from '../src/demos/demo-cli.js';
import { optionsOf, runScript, usageErrorOf } from './cli-helpers.js';

const options = (argv: string[]): DemoOptions => optionsOf(parseDemoArgs, argv);
const usageError = (argv: string[]): string => usageErrorOf(parseDemoArgs, argv);

describe('parseDemoArgs', () => {
  it('reads --backend in both forms, the name alone as the README once showed it, and nothing as the default', () => {
    expect(options(['--backend', 'naive'])).toEqual({ backend: 'naive' });
    expect(options(['--backend=simd'])).toEqual({ backend: 'simd' });
    expect(options(['tfjs-cpu'])).toEqual({ backend: 'tfjs-cpu' });
    expect(options([])).toEqual({ backend: null });
  });

  it('--help wins', () => {
    expect(parseDemoArgs(['--backend', 'naive', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], "unknown flag '--bogus'"],
    [['--backend', 'naive', 'extra'], "unexpected argument 'extra'"],
    [['naive', 'extra'], "unexpected argument 'extra'"],
    [['--backend'], '--backend: missing value'],
    [['--backend', 'tfjs-webgl'], "--backend: expected one of simd, naive, tfjs-cpu, tfjs-wasm, got 'tfjs-webgl'"],
  ])('rejects %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

describe.each(['tape', 'losses', 'vectorization'])('the demo:%s process', (demo) => {
  const run = (args: string[]) => runScript(`src/bin/demo-${demo}.ts`, args);

  it('--help prints the usage and exits 0 without running the demo', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: npm run demo:${demo} -- [--backend NAME]`);
    expect(result.stdout).not.toMatch(/Backend:|Dot product/);
  });

  it('prints the usage and exits 2 on an unknown flag', () => {
    const result = run(['--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: unknown flag '--bogus'");
    expect(result.stderr).toContain(`Usage: npm run demo:${demo} --`);
    expect(result.stdout).toBe('');
  });
});

describe('the demos run on the backend --backend names', () => {
  it('demo:tape --backend naive', () => {
    const result = runScript('src/bin/demo-tape.ts', ['--backend', 'naive']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Backend: naive\n/);
    expect(result.stdout).toContain('d2y_dx2 = 6');
  });

  it('demo:losses naive (the name alone)', () => {
    const result = runScript('src/bin/demo-losses.ts', ['naive']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Backend: naive\n/);
    expect(result.stdout).toContain('2.5     25      5');
  });

  it('demo:vectorization --backend simd: that backend only', () => {
    const result = runScript('src/bin/demo-vectorization.ts', ['--backend', 'simd']);
    expect(result.status).toBe(0);
    const backends = [...result.stdout.matchAll(/^Vectorized version \(([\w-]+), /gm)].map((m) => m[1]);
    expect(backends).toEqual(['simd', 'simd']);
  }, 30_000);
});
