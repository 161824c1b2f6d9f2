// demo:serve in-process on generated IDX files: the accuracy onnxruntime-node gets from an
// exported model is the one Perceptron's own predictions give; bad flags and files are refused.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@perceptron/backend-naive';
import { argMax, setBackend, setSeed, tensor, tidy } from '@perceptron/core';
import { saveOnnx } from '@perceptron/onnx';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_THREADS, runServeDemo, SERVE_USAGE } from '../src/demos/serve.js';
import { MultilayerPerceptron } from '../src/lab/multilayer-perceptron.js';
import { MNIST_FILES } from '../src/mnist/load-mnist.js';
import { runScript } from './cli-helpers.js';
import { fixturePixels, writeIdxImages, writeIdxLabels } from './idx-fixture.js';

const COUNT = 12;
const FEATURES = 6; // the fixture's 2×3 images
/** Labels agreeing with Perceptron's prediction on the first MATCHING images only. */
const MATCHING = 7;

let dir: string;
let modelFile: string;

async function serve(...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runServeDemo(args, (line) => out.push(line), (line) => err.push(line));
  return { status, out, err };
}

beforeAll(async () => {
  await setBackend('naive');
  setSeed(3);
  dir = mkdtempSync(join(tmpdir(), 'demo-serve-'));
  modelFile = join(dir, 'mlp.onnx');
  const mlp = new MultilayerPerceptron({ hidden: [8] });
  const pixels = Float32Array.from(fixturePixels(COUNT), (p) => p / 255);
  const predicted = tidy(() => Array.from(argMax(mlp.predict(tensor(pixels, [COUNT, FEATURES])), -1).dataSync()));
  await saveOnnx(mlp, modelFile);
  mlp.dispose();
  writeIdxImages(join(dir, MNIST_FILES.testImages), COUNT);
  writeIdxLabels(join(dir, MNIST_FILES.testLabels), predicted.map((p, i) => (i < MATCHING ? p : (p + 1) % 10)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo:serve', () => {
  it('prints the accuracy of Perceptron’s own predictions, and the throughput', async () => {
    const { status, out, err } = await serve('--model', modelFile, '--data', dir, '--batch-size', '5');
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(out[0]).toBe(`Model: ${modelFile} (opset 17, IR 8, input 'input' [batch,${FEATURES}])`);
    expect(out[1]).toBe(`Test accuracy ${(MATCHING / COUNT).toFixed(4)} (${MATCHING}/${COUNT} images)`);
    expect(out[2]).toMatch(new RegExp(`^Throughput: \\d+ images/s \\(${COUNT} images in \\d+\\.\\d ms; batch size 5, 1 intra-op thread\\)$`));
    expect(out).toHaveLength(3);
  });

  it.each([
    [[], '--model PATH is required'],
    [['--model', 'm.onnx', '--batch-size', '0'], "--batch-size: expected a positive integer, got '0'"],
    [['--model', 'm.onnx', '--batch-size', '1e3'], "--batch-size: expected a positive integer, got '1e3'"],
    [['--model', 'm.onnx', '--threads', '1.5'], `--threads: expected an integer from 1 to ${MAX_THREADS}, got '1.5'`],
    [['--model', 'm.onnx', '--threads', '0x2'], `--threads: expected an integer from 1 to ${MAX_THREADS}, got '0x2'`],
    [['--model', 'm.onnx', '--threads', '99999999'], `--threads: expected an integer from 1 to ${MAX_THREADS}, got '99999999'`],
    [['--model', 'm.onnx', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 with the usage for bad flags %j', async (args, problem) => {
    const { status, out, err } = await serve(...args);
    expect(status).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toContain(`demo:serve: ${problem}`);
    expect(err[1]).toBe(SERVE_USAGE);
  });

  it('takes relative --model and --data from where the command was typed, as the lab writes them', async () => {
    vi.stubEnv('INIT_CWD', dir); // npm runs the script in packages/examples and says where it was typed here
    try {
      const { status, out, err } = await serve('--model', 'mlp.onnx', '--data', '.');
      expect(err).toEqual([]);
      expect(status).toBe(0);
      expect(out[0]).toBe(`Model: ${modelFile} (opset 17, IR 8, input 'input' [batch,${FEATURES}])`);
      const missing = await serve('--model', 'missing.onnx', '--data', '.');
      expect(missing.err).toEqual([`demo:serve: OnnxModel.load: model file ${join(dir, 'missing.onnx')} does not exist`]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('accepts up to MAX_THREADS intra-op threads', async () => {
    const { status, out } = await serve('--model', modelFile, '--data', dir, '--threads', String(MAX_THREADS));
    expect(status).toBe(0);
    expect(out[2]).toMatch(new RegExp(`, ${MAX_THREADS} intra-op threads\\)$`));
  });

  it('exits 1 naming a missing model file', async () => {
    const missing = join(dir, 'missing.onnx');
    const { status, err } = await serve('--model', missing, '--data', dir);
    expect(status).toBe(1);
    expect(err).toEqual([`demo:serve: OnnxModel.load: model file ${missing} does not exist`]);
  });

  it('exits 1 naming a missing data file', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const { status, err } = await serve('--model', modelFile, '--data', empty);
    expect(status).toBe(1);
    const images = join(empty, MNIST_FILES.testImages);
    expect(err).toEqual([`demo:serve: ${MNIST_FILES.testImages} (${images}): file is missing`]);
  });

  it('the script sets the exit status: 2 and the usage on stderr for a bad flag', () => {
    const run = runScript('src/bin/demo-serve.ts', ['--threads', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(SERVE_USAGE);
  });
});
