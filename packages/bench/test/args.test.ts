import { describe, expect, it } from 'vitest';
import { PARTS, QUICK_PREDICT_IMAGES, QUICK_STEPS, USAGE, parseArgs } from '../src/args.js';

describe('parseArgs', () => {
  it('defaults to full epochs of every part on every backend and stack, 3 repeats', () => {
    expect(parseArgs([])).toEqual({
      quick: false, only: [...PARTS], backends: null, stacks: ['perceptron', 'plain-js', 'tfjs'], repeats: 3, all: false,
      steps: null, predictImages: null, stepsPerExecution: 1, outDir: null, help: false,
    });
  });

  it('takes Perceptron\'s stepsPerExecution, a positive integer', () => {
    expect(parseArgs(['--steps-per-execution', '10']).stepsPerExecution).toBe(10);
    expect(() => parseArgs(['--steps-per-execution=0'])).toThrow("--steps-per-execution expects a positive integer, got '0'");
    expect(USAGE).toContain('--steps-per-execution N');
  });

  it('shortens epochs and predict with --quick', () => {
    const options = parseArgs(['--quick']);
    expect(options.steps).toBe(QUICK_STEPS);
    expect(options.predictImages).toBe(QUICK_PREDICT_IMAGES);
  });

  it('lets --steps and --predict-images override --quick', () => {
    const options = parseArgs(['--quick', '--steps', '5', '--predict-images=40']);
    expect(options.steps).toBe(5);
    expect(options.predictImages).toBe(40);
  });

  it('takes values after a space or an equals sign', () => {
    const options = parseArgs(['--only=wide,lab', '--backends', 'naive,tfjs-wasm', '--repeats=5', '--stacks', 'tfjs', '--all', '--out', '/tmp/x']);
    // Parts run in their fixed order, whatever order they are named in.
    expect(options.only).toEqual(['lab', 'wide']);
    expect(options.backends).toEqual(['naive', 'tfjs-wasm']);
    expect(options.repeats).toBe(5);
    expect(options.stacks).toEqual(['tfjs']);
    expect(options.all).toBe(true);
    expect(options.outDir).toBe('/tmp/x');
  });

  it('accepts the sequence workload, alone or among the others, in the fixed order', () => {
    expect(parseArgs(['--only', 'sequence']).only).toEqual(['sequence']);
    expect(parseArgs(['--only=ops,sequence,lab']).only).toEqual(['lab', 'sequence', 'ops']);
    expect(parseArgs([]).only).toContain('sequence');
  });

  it('describes every part in the help text, the sequence LSTM included', () => {
    expect(USAGE).toContain('comma list of lab, wide, sequence, separable, predict, ops');
    expect(USAGE).toContain('the sequence LSTM(64)-10 over 28 rows of 28 pixels (no plain-js)');
    expect(USAGE).toContain('the separable CNN Conv2D(16)-SeparableConv2D(32)-SeparableConv2D(64)-10 on 28×28 images (no plain-js)');
  });

  it('refuses unknown flags and values, naming them', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument '--fast'/);
    expect(() => parseArgs(['--only', 'lab,train'])).toThrow(/--only: unknown value 'train'; expected some of lab, wide, sequence, separable, predict, ops/);
    expect(() => parseArgs(['--stacks', 'torch'])).toThrow(/--stacks: unknown value 'torch'; expected some of perceptron, plain-js, tfjs/);
  });

  it('refuses a count that is not a positive integer', () => {
    for (const bad of ['0', '-1', '2.5', 'three', '']) {
      expect(() => parseArgs([`--repeats=${bad}`])).toThrow(`--repeats expects a positive integer, got '${bad}'`);
    }
  });

  it('refuses a missing value, a repeated flag and a value on a switch', () => {
    expect(() => parseArgs(['--repeats'])).toThrow(/--repeats expects a value/);
    expect(() => parseArgs(['--only', '--quick'])).toThrow(/--only expects a value/);
    expect(() => parseArgs(['--repeats', '2', '--repeats', '3'])).toThrow(/--repeats given twice/);
    expect(() => parseArgs(['--quick=yes'])).toThrow(/--quick takes no value/);
    expect(() => parseArgs(['--backends', ','])).toThrow(/--backends expects a comma-separated list/);
  });
});
