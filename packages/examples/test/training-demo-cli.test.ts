// The command line of demo:cnn and demo:functional: --backend as the slide demos take it,
// --epochs, --batch-size and --seed as the lab reads them, --help, and a bad argument answered
// with the usage and exit 2. Nothing here trains: a full MNIST epoch takes seconds to minutes.
import { describe, expect, it } from 'vitest';
import { parseTrainingDemoArgs, type TrainingDemoOptions } from '../src/demos/training-demo-cli.js';
import { optionsOf, runScript, usageErrorOf } from './cli-helpers.js';

const options = (argv: string[]): TrainingDemoOptions => optionsOf(parseTrainingDemoArgs, argv);
const usageError = (argv: string[]): string => usageErrorOf(parseTrainingDemoArgs, argv);

describe('parseTrainingDemoArgs', () => {
  it('reads each flag in both forms, and nothing as the defaults (the lab seed)', () => {
    expect(options([])).toEqual({ backend: null, epochs: 1, batchSize: 32, seed: 91195003 });
    expect(options(['--backend', 'naive', '--epochs=3', '--batch-size', '64', '--seed=0'])).toEqual({ backend: 'naive', epochs: 3, batchSize: 64, seed: 0 });
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

describe.each(['cnn', 'functional'])('the demo:%s process', (demo) => {
  const run = (args: string[]) => runScript(`src/bin/demo-${demo}.ts`, args);

  it('--help prints the usage with every flag and exits 0 without loading anything', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: npm run demo:${demo} -- [flags]`);
    for (const flag of ['--backend NAME', '--epochs N', '--batch-size N', '--seed N', '--help']) expect(result.stdout).toContain(flag);
    expect(result.stdout).not.toContain('Backend:');
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
