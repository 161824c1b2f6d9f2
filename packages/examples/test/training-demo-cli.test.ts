// The command line of demo:cnn, demo:functional, demo:sequences and demo:augment: --backend as the
// slide demos take it, --epochs, --batch-size and --seed as the lab reads them, --out for the demos
// that write a picture, --help, and a bad argument answered with the usage and exit 2. Nothing
// here trains: a full MNIST epoch takes seconds to minutes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainingDemoArgs, type TrainingDemoOptions } from '../src/demos/training-demo-cli.js';
import { CWD, NOW, optionsOf, runScript, usageErrorOf } from './cli-helpers.js';

const options = (argv: string[]): TrainingDemoOptions => optionsOf(parseTrainingDemoArgs, argv);
const usageError = (argv: string[]): string => usageErrorOf(parseTrainingDemoArgs, argv);

describe('parseTrainingDemoArgs', () => {
  it('reads each flag in both forms, and nothing as the defaults (the lab seed)', () => {
    expect(options([])).toEqual({ backend: null, epochs: 1, batchSize: 32, seed: 91195003 });
    expect(options(['--backend', 'naive', '--epochs=3', '--batch-size', '64', '--seed=0'])).toEqual({ backend: 'naive', epochs: 3, batchSize: 64, seed: 0 });
  });

  it('takes --out only for a demo that writes pictures: runs/<timestamp> unless given, a relative folder from where the command was typed', () => {
    const writing = (argv: string[]) => parseTrainingDemoArgs(argv, NOW, CWD, true);
    expect(writing([])).toEqual({ kind: 'run', options: { backend: null, epochs: 1, batchSize: 32, seed: 91195003, out: '/work/dir/runs/2024-03-05T07-08-09' } });
    expect(writing(['--out', 'pictures'])).toMatchObject({ options: { out: '/work/dir/pictures' } });
    expect(writing(['--out=/tmp/x'])).toMatchObject({ options: { out: '/tmp/x' } });
    expect(() => writing(['--out='])).toThrow("--out: expected a directory, got ''");
    expect(usageError(['--out', 'pictures'])).toBe("unknown flag '--out'");
  });

  it('--help wins', () => {
    expect(parseTrainingDemoArgs(['--epochs', '2', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], "unknown flag '--bogus'"],
    [['naive'], "unexpected argument 'naive'"],
    [['--epochs', '0'], "--epochs: expected a positive integer, got '0'"],
    [['--batch-size', '1e3'], "--batch-size: expected a positive integer, got '1e3'"],
    [['--seed', '4294967296'], "--seed: expected an integer in [0, 4294967295], got '4294967296'"],
    [['--epochs'], '--epochs: missing value'],
    [['--backend', 'tfjs-webgl'], "--backend: expected one of simd, naive, tfjs-cpu, tfjs-wasm, got 'tfjs-webgl'"],
  ])('rejects %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

describe.each(['cnn', 'functional', 'sequences', 'augment'])('the demo:%s process', (demo) => {
  const run = (args: string[]) => runScript(`src/bin/demo-${demo}.ts`, args);

  it('--help prints the usage with every flag and exits 0 without loading anything', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: npm run demo:${demo} -- [flags]`);
    for (const flag of ['--backend NAME', '--epochs N', '--batch-size N', '--seed N', '--help']) expect(result.stdout).toContain(flag);
    expect(result.stdout).not.toContain('Backend:');
    expect(result.stdout.includes('--out DIR')).toBe(demo === 'sequences' || demo === 'augment');
  });

  it('prints the usage and exits 2 on an unknown flag or a bad value', () => {
    for (const [args, message] of [[['--bogus'], "error: unknown flag '--bogus'"], [['--epochs', 'two'], "error: --epochs: expected a positive integer, got 'two'"]] as const) {
      const result = run([...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`Usage: npm run demo:${demo} --`);
      expect(result.stdout).toBe('');
    }
  });
});

describe('the demo:sequences process', () => {
  it('checks --out before loading anything: a file in the way is a bad flag, exit 2 before the backends load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-out-'));
    try {
      const file = join(dir, 'taken');
      writeFileSync(file, '');
      const result = runScript('src/bin/demo-sequences.ts', ['--out', join(file, 'pictures')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`error: --out: cannot write to '${join(file, 'pictures')}': part of the path is a file`);
      expect(result.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
