import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';
import type { BenchResults } from '../src/results.js';
import { runBench } from '../src/run-bench.js';
import { writeResults } from '../src/write-results.js';

// A real run, cut to a few steps on the naive backend: checks that every part produces results
// of the documented shape and that the files are written. No timing is asserted.
describe('a tiny run on naive and the plain JS loop', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains, predicts, times ops and writes JSON, markdown and PNG', async () => {
    const options = parseArgs(['--quick', '--steps', '3', '--predict-images', '40', '--repeats', '1', '--backends', 'naive', '--stacks', 'perceptron,plain-js', '--only', 'lab,predict,ops', '--out', out]);
    const lines: string[] = [];
    const results = await runBench(options, (line) => lines.push(line));
    const files = await writeResults(results, out);

    const saved = JSON.parse(readFileSync(files.latestJson, 'utf8')) as BenchResults;
    expect(saved).toEqual(JSON.parse(readFileSync(files.json, 'utf8')));
    expect(saved.parts).toEqual(['lab', 'predict', 'ops']);
    expect(saved.subjects).toEqual([
      { stack: 'perceptron', backend: 'naive', available: true, reason: null },
      { stack: 'plain-js', backend: 'Float32Array', available: true, reason: null },
    ]);

    expect(saved.training).toHaveLength(2);
    expect(saved.training[1]).toMatchObject({ stack: 'plain-js', model: 'lab', status: 'ok', steps: 3, images: 96, batchSize: 32 });
    const lab = saved.training[0]!;
    expect(lab).toMatchObject({ stack: 'perceptron', backend: 'naive', model: 'lab', status: 'ok', steps: 3, images: 96, batchSize: 32 });
    if (lab.status !== 'ok') throw new Error(lab.reason);
    expect(lab.epochSeconds.n).toBe(1);
    expect(lab.msPerStep.median).toBeCloseTo((lab.epochSeconds.median * 1000) / 3, 9);
    expect(lab.warmupSeconds).toBeGreaterThan(0);
    expect(Number.isFinite(lab.finalLoss)).toBe(true);
    expect(lab.memory.rssPeakMB).toBeGreaterThanOrEqual(lab.memory.rssStartMB);

    // Both MLPs on naive and the loop, then onnxruntime (measured or skipped with a reason) for
    // each; the LSTM and the CNN are slow cells on naive without --all, and the loop has neither.
    expect(saved.predict.map((p) => [p.model, p.stack, p.status])).toEqual([
      ['lab', 'perceptron', 'ok'], ['lab', 'plain-js', 'ok'], ['lab', 'onnxruntime', expect.any(String)],
      ['wide', 'perceptron', 'ok'], ['wide', 'plain-js', 'ok'], ['wide', 'onnxruntime', expect.any(String)],
      ['sequence', 'perceptron', 'skipped'], ['sequence', 'plain-js', 'skipped'],
      ['separable', 'perceptron', 'skipped'], ['separable', 'plain-js', 'skipped'],
    ]);
    const predicted = saved.predict[0]!;
    expect(predicted).toMatchObject({ status: 'ok', images: 40, batchSize: 40 });
    for (const onnx of saved.predict.filter((p) => p.stack === 'onnxruntime')) {
      expect(onnx.status === 'ok' || onnx.reason.length > 0).toBe(true);
    }

    expect(saved.dispatch).toMatchObject([{ stack: 'perceptron', backend: 'naive', status: 'ok' }, { stack: 'plain-js', status: 'ok' }]);
    // --quick leaves out the 1024³ products: 2 sizes × (plain, aᵀ, bᵀ), for each stack.
    const shapes = ['32×784×16', '32×784×16ᵀa', '32×784×16ᵀb', '128×784×512', '128×784×512ᵀa', '128×784×512ᵀb'];
    expect(saved.matMul.map((m) => `${m.stack} ${m.m}×${m.k}×${m.n}${m.transposeA ? 'ᵀa' : ''}${m.transposeB ? 'ᵀb' : ''}`)).toEqual([
      ...shapes.map((s) => `perceptron ${s}`), ...shapes.map((s) => `plain-js ${s}`),
    ]);
    expect(saved.matMul.every((m) => m.status === 'ok' && m.gflops.median > 0)).toBe(true);

    expect(readFileSync(files.markdown, 'utf8')).toContain('### Training: lab MLP 784-16-32-10');
    expect(readFileSync(files.markdown, 'utf8')).toContain('× vs plain JS loop');
    // A PNG starts with its 8-byte signature.
    expect([...readFileSync(files.png).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(existsSync(join(out, 'latest.png'))).toBe(true);
    expect(lines.some((line) => line.includes('lab · perceptron/naive · warm-up epoch'))).toBe(true);
  }, 60_000);
});

// The LSTM on both frameworks for two steps (--all: naive and tfjs-cpu are slow cells by default),
// and the plain loop, which cannot build an LSTM, skipped even with --all.
describe('a tiny sequence run on naive and tfjs-cpu', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-sequence-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains the LSTM on both frameworks and reports the plain JS loop as skipped, with the reason', async () => {
    const options = parseArgs(['--all', '--steps', '2', '--repeats', '1', '--backends', 'naive,tfjs-cpu', '--only', 'sequence', '--out', out]);
    const results = await runBench(options, () => {});
    const files = await writeResults(results, out);

    expect(results.training.map((t) => [t.stack, t.backend, t.model, t.status])).toEqual([
      ['perceptron', 'naive', 'sequence', 'ok'],
      ['perceptron', 'tfjs-cpu', 'sequence', 'ok'],
      ['plain-js', 'Float32Array', 'sequence', 'skipped'],
      ['tfjs', 'tfjs-cpu', 'sequence', 'ok'],
    ]);
    for (const cell of results.training) {
      if (cell.status === 'ok') {
        expect(cell).toMatchObject({ steps: 2, images: 64, batchSize: 32 });
        expect(Number.isFinite(cell.finalLoss)).toBe(true);
      }
    }
    expect(results.training[2]).toMatchObject({ reason: 'the plain JS loop is written for MLPs only and has no LSTM' });
    const markdown = readFileSync(files.markdown, 'utf8');
    expect(markdown).toContain('### Training: sequence LSTM(64)-10 over 28 rows of 28 pixels, batch 32');
    expect(markdown).toContain('- sequence, plain JS loop Float32Array: skipped: the plain JS loop is written for MLPs only and has no LSTM');
  }, 60_000);
});

// The separable CNN for one step on Perceptron (naive and tfjs-wasm, slow cells by default), and
// the stacks that cannot train it skipped even with --all, each with its reason; then predict
// with every workload, where tfjs-layers on tfjs-wasm, which cannot train the CNN, runs it.
describe('a tiny separable CNN run on naive and tfjs-wasm', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-separable-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains the CNN on Perceptron, reports tfjs-layers on tfjs-wasm and the plain JS loop as skipped with the reasons, and predicts with every workload', async () => {
    const options = parseArgs([
      '--all', '--quick', '--steps', '1', '--repeats', '1', '--predict-images', '20', '--backends', 'naive,tfjs-wasm', '--only', 'separable,predict', '--out', out,
    ]);
    const results = await runBench(options, () => {});
    expect(results.training.map((t) => [t.stack, t.backend, t.model, t.status])).toEqual([
      ['perceptron', 'naive', 'separable', 'ok'],
      ['perceptron', 'tfjs-wasm', 'separable', 'ok'],
      ['plain-js', 'Float32Array', 'separable', 'skipped'],
      ['tfjs', 'tfjs-wasm', 'separable', 'skipped'],
    ]);
    for (const cell of results.training.filter((t) => t.status === 'ok')) expect(Number.isFinite(cell.finalLoss)).toBe(true);
    expect(results.training[3]).toMatchObject({ reason: expect.stringContaining('tfjs registers no Conv2DBackpropFilter') });

    const predicted = (model: string) => results.predict.filter((p) => p.model === model).map((p) => [p.stack, p.backend, p.status]);
    for (const model of ['sequence', 'separable']) {
      expect(predicted(model)).toEqual([
        ['perceptron', 'naive', 'ok'], ['perceptron', 'tfjs-wasm', 'ok'], ['plain-js', 'Float32Array', 'skipped'], ['tfjs', 'tfjs-wasm', 'ok'],
        ['onnxruntime', 'cpu, 1 thread', expect.any(String)],
      ]);
    }
    for (const cell of results.predict) {
      if (cell.status === 'ok') expect(cell).toMatchObject({ images: 20, batchSize: 20, imagesPerSecond: { median: expect.any(Number) } });
    }
  }, 120_000);
});
