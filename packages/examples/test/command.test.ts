import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError } from '../src/backends.js';
import { UsageError } from '../src/lab/flags.js';
import { runCommand, type Command } from '../src/lab/command.js';
import { OutputPathError } from '../src/lab/output-path.js';
import { IdxFormatError } from '../src/mnist/idx-format.js';

const USAGE = 'Usage: test-tool [flags]';

function command(run: () => Promise<void>, parse: Command<null>['parse'] = () => ({ kind: 'run', options: null })): Command<null> {
  return { usage: USAGE, parse, run };
}

function captureConsole() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runCommand', () => {
  it('exits 0 after a successful run, and prints the usage for --help without running', async () => {
    const { out } = captureConsole();
    const run = vi.fn(async () => {});
    expect(await runCommand([], command(run))).toBe(0);
    expect(run).toHaveBeenCalledTimes(1);
    expect(await runCommand(['--help'], command(run, () => ({ kind: 'help' })))).toBe(0);
    expect(run).toHaveBeenCalledTimes(1);
    expect(out).toEqual([USAGE]);
  });

  it('exits 2 with the message and the usage on a bad command line, without running', async () => {
    const { err } = captureConsole();
    const run = vi.fn(async () => {});
    const parse = () => {
      throw new UsageError("--epochs: expected a positive integer, got 'ten'");
    };
    expect(await runCommand([], command(run, parse))).toBe(2);
    expect(run).not.toHaveBeenCalled();
    expect(err).toEqual(["error: --epochs: expected a positive integer, got 'ten'\n", USAGE]);
  });

  it('treats a backend or an output path that cannot be used as a bad flag (exit 2), naming the flag', async () => {
    const { err } = captureConsole();
    const unavailable = command(async () => {
      throw new BackendUnavailableError("backend 'tfjs-wasm' is not available here: no WebAssembly");
    });
    expect(await runCommand([], unavailable)).toBe(2);
    const badExport = command(async () => {
      throw new OutputPathError('/x/model.onnx', 'it is a folder', 'exportOnnx');
    });
    expect(await runCommand([], badExport)).toBe(2);
    expect(err).toEqual([
      "error: --backend: backend 'tfjs-wasm' is not available here: no WebAssembly\n",
      USAGE,
      "error: --export-onnx: cannot write to '/x/model.onnx': it is a folder\n",
      USAGE,
    ]);
  });

  it('exits 1 with the file and the problem when the MNIST files are broken, without the usage', async () => {
    const { err } = captureConsole();
    const broken = command(async () => {
      throw new IdxFormatError('/data/train-images-idx3-ubyte', 'is truncated');
    });
    expect(await runCommand([], broken)).toBe(1);
    expect(err).toEqual(['error: train-images-idx3-ubyte (/data/train-images-idx3-ubyte): is truncated']);
  });

  it('lets any other error through, stack and all', async () => {
    captureConsole();
    const bug = new TypeError('a bug');
    await expect(runCommand([], command(async () => Promise.reject(bug)))).rejects.toBe(bug);
  });
});
