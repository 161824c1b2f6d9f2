import { writeFileAtomic } from '@perceptron/core';
import { vegaLiteToPng, type VegaLiteSpec } from './render.js';

/** Renders `spec` and writes the PNG atomically. */
export async function writeChartPng(file: string, spec: VegaLiteSpec, scale = 2): Promise<void> {
  await writeFileAtomic(file, await vegaLiteToPng(spec, scale));
}
