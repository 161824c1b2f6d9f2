import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/args.js';
import { parseBrowserArgs } from '../src/browser-args.js';

describe('parseBrowserArgs', () => {
  it('runs every workload on Perceptron and tfjs-layers by default', () => {
    const options = parseBrowserArgs([]);
    expect(options.only).toEqual(['lab', 'wide', 'sequence', 'separable']);
    expect(options.stacks).toEqual(['perceptron', 'tfjs']);
    expect(options.backends).toBeNull();
  });

  it('takes the Node bench\'s flags', () => {
    expect(parseBrowserArgs(['--only', 'separable,lab', '--steps', '2', '--repeats=1', '--predict-images', '40', '--steps-per-execution', '5', '--out', '/tmp/x'])).toMatchObject({
      only: ['lab', 'separable'], steps: 2, repeats: 1, predictImages: 40, stepsPerExecution: 5, outDir: '/tmp/x',
    });
  });

  it('refuses what a page does not run: the ops part, the plain JS loop, unknown flags', () => {
    expect(() => parseBrowserArgs(['--only', 'ops'])).toThrow(new UsageError("--only: unknown value 'ops'; expected some of lab, wide, sequence, separable"));
    expect(() => parseBrowserArgs(['--only', 'predict'])).toThrow(UsageError);
    expect(() => parseBrowserArgs(['--stacks', 'plain-js'])).toThrow(new UsageError("--stacks: unknown value 'plain-js'; expected some of perceptron, tfjs"));
    expect(() => parseBrowserArgs(['--fast'])).toThrow(new UsageError("unknown argument '--fast'"));
  });
});
