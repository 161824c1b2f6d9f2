import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLabArgs, type LabOptions } from '../src/lab/cli.js';
import { CWD, optionsOf, runScript, usageErrorOf } from './cli-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'lab-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const options = (argv: string[]): LabOptions => optionsOf(parseLabArgs, argv);
const usageError = (argv: string[]): string => usageErrorOf(parseLabArgs, argv);

describe('parseLabArgs', () => {
  it('defaults to the lab: high mode, 5 epochs, batch 32, lr 1e-3, seed 91195003, hidden 16,32, runs/<timestamp>', () => {
    expect(options([])).toEqual({
      backend: null,
      mode: 'high',
      epochs: 5,
      batchSize: 32,
      learningRate: 0.001,
      seed: 91195003,
      hidden: [16, 32],
      out: join(CWD, 'runs', '2024-03-05T07-08-09'),
      exportOnnx: null,
    });
  });

  it('reads every flag, as --flag value and --flag=value', () => {
    expect(
      options(['--backend', 'naive', '--mode=low', '--epochs', '1', '--batch-size=64', '--learning-rate', '5e-4', '--seed', '7', '--hidden', '512,512', '--out', 'x/y', '--export-onnx', 'lab.onnx']),
    ).toEqual({ backend: 'naive', mode: 'low', epochs: 1, batchSize: 64, learningRate: 0.0005, seed: 7, hidden: [512, 512], out: join(CWD, 'x/y'), exportOnnx: join(CWD, 'lab.onnx') });
  });

  it('--help wins over everything', () => {
    expect(parseLabArgs(['--epochs', '3', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus', '1'], "unknown flag '--bogus'"],
    [['stray'], "unexpected argument 'stray'"],
    [['--export-onnx', ''], "--export-onnx: expected a file path, got ''"],
    [['--backend', 'tfjs-webgl'], "--backend: expected one of simd, naive, tfjs-cpu, tfjs-wasm, got 'tfjs-webgl'"],
    [['--mode', 'medium'], "--mode: expected one of high, low, got 'medium'"],
    [['--epochs', '0'], "--epochs: expected a positive integer, got '0'"],
    [['--epochs', '2.5'], "--epochs: expected a positive integer, got '2.5'"],
    [['--batch-size', 'many'], "--batch-size: expected a positive integer, got 'many'"],
    [['--learning-rate', '-1'], "--learning-rate: expected a positive number, got '-1'"],
    [['--learning-rate', 'fast'], "--learning-rate: expected a positive number, got 'fast'"],
    [['--seed', '-3'], "--seed: expected an integer in [0, 4294967295], got '-3'"],
    [['--hidden', '16,,32'], "--hidden: expected comma-separated positive layer sizes such as 16,32, got '16,,32'"],
    [['--hidden', '16,0'], "--hidden: expected comma-separated positive layer sizes such as 16,32, got '16,0'"],
    [['--epochs'], '--epochs: missing value'],
    [['--out', '--epochs', '2'], '--out: missing value'],
  ])('rejects %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

describe('the lab CLI process', () => {
  const run = (args: string[]) => runScript('src/lab/main.ts', args);

  it('prints the usage and exits 2 on a bad value, naming the flag and the value', () => {
    const result = run(['--epochs', 'ten']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: --epochs: expected a positive integer, got 'ten'");
    expect(result.stderr).toContain('Usage: npm start -- [flags]');
  });

  it('prints the usage and exits 2 on an unknown flag', () => {
    const result = run(['--speed', 'max']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: unknown flag '--speed'");
  });

  it('--help prints the usage and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--hidden A,B,...');
  });

  it('refuses an --out it cannot write, before loading any data, and exits 2', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    for (const [out, reason] of [[file, 'a file of that name is in the way'], [join(file, 'sub'), 'part of the path is a file']]) {
      const result = run(['--out', out!]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`error: --out: cannot write to '${out}': ${reason}`);
      expect(result.stderr).not.toContain('Loading MNIST');
    }
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('refuses an --export-onnx path that is a folder, before training, and exits 2', () => {
    const folder = mkdtempSync(join(scratch, 'onnx-'));
    const result = run(['--export-onnx', folder, '--out', join(scratch, 'run')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`error: --export-onnx: cannot write to '${folder}': it is a folder`);
    expect(result.stderr).not.toContain('Loading MNIST');
  });
});
