import { generatorFor, matMul, mul, reshape, setBackend, sum, tensor, tidy, type Tensor } from '@perceptron/core';
import { type Print } from './print.js';

export interface VectorizationResult {
  backend: string;
  op: string;
  result: number;
  ms: number;
}

export interface VectorizationReport {
  length: number;
  loop: { result: number; ms: number };
  vectorised: VectorizationResult[];
}

function randomArray(length: number, seed: number): Float32Array {
  const g = generatorFor(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = g.nextFloat();
  return out;
}

/** The lab's hand-written loop: d += a[i] * b[i]. */
export function loopDot(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i]! * b[i]!;
  return d;
}

function formatMegabytes(bytes: number): string {
  return bytes >= 1e6 ? `${Math.round(bytes / 1e6)} MB` : `${Math.round(bytes / 1e3)} KB`;
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const VECTORISED: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  'sum(mul(a, b))': (a, b) => sum(mul(a, b)),
  'matMul([1,n], [n,1])': (a, b) => matMul(reshape(a, [1, a.size]), reshape(b, [b.size, 1])),
};

/**
 * The lab's vectorisation slide: the dot product of two random arrays, once with a plain loop
 * and once with each backend's vectorised ops. Each op runs once untimed first so one-off
 * costs (WASM compilation, first allocation) are not counted; the timing includes reading the
 * result back, as numpy's does.
 */
export async function runVectorizationDemo(print: Print, backends: readonly string[], length = 10_000_000, seed = 91195003): Promise<VectorizationReport> {
  const a = randomArray(length, seed);
  const b = randomArray(length, seed + 1);
  print(`Dot product of two random arrays of ${length.toLocaleString('en-US')} float32 values`);

  loopDot(a, b); // let V8 compile the loop before it is timed
  const loop = time(() => loopDot(a, b));
  print(`Result = ${Math.trunc(loop.value)}`);
  print(`With loops (plain JavaScript): ${loop.ms.toFixed(3)} ms`);

  const vectorised: VectorizationResult[] = [];
  for (const backend of backends) {
    await setBackend(backend);
    const ta = tensor(a);
    const tb = tensor(b);
    try {
      for (const [op, f] of Object.entries(VECTORISED)) {
        const dot = (): number => tidy(() => f(ta, tb).dataSync()[0]!);
        dot();
        const run = time(dot);
        vectorised.push({ backend, op, result: run.value, ms: run.ms });
        print(`Result = ${Math.trunc(run.value)}`);
        print(
          `Vectorized version (${backend}, ${op}): ${run.ms.toFixed(3)} ms — the loop takes ${(loop.ms / run.ms).toFixed(2)}× as long`,
        );
      }
    } finally {
      ta.dispose();
      tb.dispose();
    }
  }
  print('');
  print(
    'Note: in the lab the Python loop is ~300× slower than numpy because CPython interprets every iteration. ' +
      'V8 compiles this JavaScript loop to machine code, so the gap here is far smaller. The loop also reads ' +
      `each array once, while sum(mul(a, b)) runs op by op: it writes a ${formatMegabytes(length * 4)} product array and reads it again, ` +
      'so a backend can be slower than the loop on this one-pass job (naive\'s kernels are plain loops ' +
      'themselves). Vectorised ops win where the loop cannot follow: matrix products, SIMD lanes, the GPU.',
  );
  return { length, loop: { result: loop.value, ms: loop.ms }, vectorised };
}
