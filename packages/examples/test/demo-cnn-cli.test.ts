// demo:cnn's command line: --backend as the slide demos take it, --epochs and --batch-size as
// the lab reads them, --help, and a bad argument answered with the usage and exit 2. Nothing
// here trains: a full MNIST epoch takes minutes.
import { describe, expect, it } from 'vitest';
import { parseCnnDemoArgs, type CnnDemoOptions } from '../src/demos/cnn-cli.js';
import { optionsOf, runScript, usageErrorOf } from './cli-helpers.js';

const options = (argv: string[]): CnnDemoOptions => optionsOf(parseCnnDemoArgs, argv);
const usageError = (argv: string[]): string => usageErrorOf(parseCnnDemoArgs, argv);

describe('parseCnnDemoArgs', () => {
  it('reads each flag in both forms, and nothing as the defaults', () => {
    expect(options([])).toEqual({ backend: null, epochs: 1, batchSize: 32 });
    expect(options(['--backend', 'naive', '--epochs=3', '--batch-size', '64'])).toEqual({ backend: 'naive', epochs: 3, batchSize: 64 });
  });

  it('--help wins', () => {
    expect(parseCnnDemoArgs(['--epochs', '2', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], "unknown flag '--bogus'"],
    [['naive'], "unexpected argument 'naive'"],
    [['--epochs', '0'], "--epochs: expected a positive integer, got '0'"],
    [['--batch-size', '1e3'], "--batch-size: expected a positive integer, got '1e3'"],
    [['--epochs'], '--epochs: missing value'],
    [['--backend', 'tfjs-webgl'], "--backend: expected one of simd, naive, tfjs-cpu, tfjs-wasm, got 'tfjs-webgl'"],
  ])('rejects %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

describe('the demo:cnn process', () => {
  const run = (args: string[]) => runScript('src/bin/demo-cnn.ts', args);

  it('--help prints the usage and exits 0 without loading anything', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run demo:cnn -- [flags]');
    expect(result.stdout).not.toContain('Backend:');
  });

  it('prints the usage and exits 2 on an unknown flag or a bad value', () => {
    for (const [args, message] of [[['--bogus'], "error: unknown flag '--bogus'"], [['--epochs', 'two'], "error: --epochs: expected a positive integer, got 'two'"]] as const) {
      const result = run([...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('Usage: npm run demo:cnn --');
      expect(result.stdout).toBe('');
    }
  });
});
