/** Per-op dispatch cost and matMul throughput on one stack and backend. */
import type { Driver, MatMulShape } from './driver.js';
import type { DispatchMeasurement, MatMulMeasurement } from './results.js';
import { mapSummary } from './stats.js';
import { timeSamples, type SampleOptions } from './timing.js';

/** The dense layers' products (lab and wide, forward), a large square, each plain and with a transposed operand as in the backward pass. */
export const MATMUL_SHAPES: readonly MatMulShape[] = [
  [32, 784, 16], [128, 784, 512], [1024, 1024, 1024],
].flatMap(([m, k, n]) => [
  { m: m!, k: k!, n: n!, transposeA: false, transposeB: false },
  { m: m!, k: k!, n: n!, transposeA: true, transposeB: false },
  { m: m!, k: k!, n: n!, transposeA: false, transposeB: true },
]);

export async function measureDispatch(driver: Driver, options: SampleOptions): Promise<DispatchMeasurement> {
  const op = driver.smallAdd();
  try {
    const { perCall, calls } = await timeSamples(() => op.run(), options);
    return { status: 'ok', microsecondsPerOp: mapSummary(perCall, (s) => s * 1e6), callsPerSample: calls };
  } finally {
    op.dispose();
  }
}

export async function measureMatMul(driver: Driver, shape: MatMulShape, options: SampleOptions): Promise<MatMulMeasurement> {
  const op = driver.matMul(shape);
  const flops = 2 * shape.m * shape.k * shape.n;
  try {
    const { perCall, calls } = await timeSamples(() => op.run(), options);
    return {
      status: 'ok',
      gflops: mapSummary(perCall, (s) => flops / s / 1e9),
      msPerCall: mapSummary(perCall, (s) => s * 1000),
      callsPerSample: calls,
    };
  } finally {
    op.dispose();
  }
}

export function describeShape(shape: MatMulShape): string {
  const t = shape.transposeA ? ' (aᵀ)' : shape.transposeB ? ' (bᵀ)' : '';
  return `${shape.m}×${shape.k}×${shape.n}${t}`;
}
