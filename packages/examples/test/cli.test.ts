import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('takes hidden layers up to 8192 wide, spaces after the commas allowed', () => {
    expect(options(['--hidden', '8192, 1']).hidden).toEqual([8192, 1]);
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
    [['--hidden', '16,,32'], "--hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '16,,32'"],
    [['--hidden', '16,0'], "--hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '16,0'"],
    [['--hidden', '8193'], "--hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '8193'"],
    [['--hidden', '4294967296'], "--hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '4294967296'"],
    [['--hidden', '16,99999999999999999999'], "--hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '16,99999999999999999999'"],
    [['--hidden', '1e3'], "--hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '1e3'"],
    [['--epochs', '99999999999999999999'], "--epochs: expected a positive integer, got '99999999999999999999'"],
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

  it('refuses an --export-onnx path that is a folder or under a file, before training, creating no --out folder, and exits 2', () => {
    const folder = mkdtempSync(join(scratch, 'onnx-'));
    const file = join(scratch, 'not-a-folder');
    writeFileSync(file, '');
    for (const [model, reason] of [[folder, 'it is a folder'], [join(file, 'lab.onnx'), 'part of the path is a file']]) {
      const out = join(scratch, 'run', 'nested');
      const result = run(['--export-onnx', model!, '--out', out]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`error: --export-onnx: cannot write to '${model}': ${reason}`);
      expect(result.stderr).not.toContain('Loading MNIST');
      expect(existsSync(join(scratch, 'run'))).toBe(false);
    }
  });

  it('refuses a bad --export-onnx without creating the default runs/<timestamp> where the command was typed', () => {
    const typedIn = mkdtempSync(join(scratch, 'typed-in-'));
    const result = runScript('src/lab/main.ts', ['--export-onnx', typedIn], typedIn);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`error: --export-onnx: cannot write to '${typedIn}': it is a folder`);
    expect(readdirSync(typedIn)).toEqual([]);
  });

  it('refuses a layer too wide to allocate with the usage and exit 2, not a crash after loading the data', () => {
    const out = join(scratch, 'wide');
    const result = run(['--hidden', '4294967296', '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: --hidden: expected comma-separated layer sizes from 1 to 8192 such as 16,32, got '4294967296'");
    expect(result.stderr).toContain('Usage: npm start -- [flags]');
    expect(existsSync(out)).toBe(false);
  });
});
