// GridSample as torch.onnx writes F.grid_sample (opset 16): bilinear and nearest, each padding
// mode, with and without align_corners, grid points inside and outside the image, held to
// onnxruntime on every backend; gradients to X and to the grid agree with central differences.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { BACKENDS } from './models.js';
import { graphBytes } from './onnx-graph.js';
import { expectGradientsMatchDifferences, runCase, seeded, type ImportCase } from './import-case.js';
import { int, text } from './single-node-graph.js';

const X = { name: 'x', shape: [2, 3, 5, 6], scale: 2 };
/** Points up to 1.3 across: some outside the image. */
const GRID = { name: 'grid', shape: [2, 4, 3, 2], scale: 1.3, seed: 17 };

const gridSample = (mode: string, padding: string, alignCorners: number): ImportCase => ({
  name: `GridSample ${mode}, padding ${padding}, align_corners ${alignCorners}`, opType: 'GridSample', opset: 16, inputs: [X, GRID], outputs: [{ name: 'y' }],
  attribute: [text('mode', mode), text('padding_mode', padding), int('align_corners', alignCorners)],
});

const CASES: ImportCase[] = ['bilinear', 'nearest'].flatMap((mode) => ['zeros', 'border', 'reflection'].flatMap((padding) => [0, 1].map((align) => gridSample(mode, padding, align))));

let largest = 0;

describe.each(BACKENDS)('on %s', (backend) => {
  // Titles by %s: vitest shortens a $name to 40 characters.
  it.each(CASES.map((c) => [c.name, c] as const))('%s matches onnxruntime', async (_, importCase) => {
    await pc.setBackend(backend);
    largest = Math.max(largest, await runCase(importCase));
  });
});

afterAll(() => {
  if (process.env['REPORT_DIFFERENCES']) console.info(`GridSample: ${largest.toExponential(2)}`);
});

/** x·w sampled bilinearly at a grid that is a weight: gradients reach both. */
function chainGraph(): Uint8Array {
  return graphBytes({
    opset: 16,
    nodes: [
      { opType: 'Mul', inputs: ['x', 'w'], outputs: ['scaled'] },
      { opType: 'GridSample', inputs: ['scaled', 'grid'], outputs: ['y'], attribute: [text('padding_mode', 'reflection')] },
    ],
    inputs: [{ name: 'x', shape: [1, 2, 4, 5] }],
    outputs: [{ name: 'y' }],
    initializers: [{ name: 'w', shape: [1, 2, 1, 1], values: [0.8, -1.2] }, { name: 'grid', shape: [1, 3, 2, 2], values: seeded([1, 3, 2, 2], 19, 1.2) }],
  });
}

describe.each(BACKENDS)('on %s, gradients', (backend) => {
  it('through bilinear GridSample to X and the grid agree with central differences', async () => {
    await pc.setBackend(backend);
    const x = pc.tensor(seeded([1, 2, 4, 5], 20, 2), [1, 2, 4, 5]);
    expectGradientsMatchDifferences(chainGraph(), x, ['w', 'grid'], 1e-3, 5e-3);
    x.dispose();
  });
});
