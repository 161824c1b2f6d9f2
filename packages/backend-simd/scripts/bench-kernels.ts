import { NaiveBackend } from '@perceptron/backend-naive';
import type { Backend, KernelTensor } from '@perceptron/core';
import { SimdBackend } from '../src/index.js';

// matMul GFLOP/s of the naive and simd backends (simd on one thread and on all), side by side, medians over repeats (the
// machine may be shared, so single timings are noisy). Run from the repository root with
//   npm run bench:kernels -w @perceptron/backend-simd
// or node --conditions=source --import tsx packages/backend-simd/scripts/bench-kernels.ts

interface Case { label: string; m: number; k: number; n: number; transposeA: boolean; transposeB: boolean }

const CASES: Case[] = [
  { label: '32×784×16 (lab dense 1)', m: 32, k: 784, n: 16, transposeA: false, transposeB: false },
  { label: '784×32×16 Aᵀ (lab dW)', m: 784, k: 32, n: 16, transposeA: true, transposeB: false },
  { label: '32×16×784 Bᵀ (lab dx)', m: 32, k: 16, n: 784, transposeA: false, transposeB: true },
  { label: '128×784×512 (wide dense 1)', m: 128, k: 784, n: 512, transposeA: false, transposeB: false },
  { label: '784×128×512 Aᵀ (wide dW1)', m: 784, k: 128, n: 512, transposeA: true, transposeB: false },
  { label: '128×512×512 Bᵀ (wide dx2)', m: 128, k: 512, n: 512, transposeA: false, transposeB: true },
  { label: '1024×1024×1024', m: 1024, k: 1024, n: 1024, transposeA: false, transposeB: false },
];

const tensor = (shape: number[]): KernelTensor => ({
  handle: Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => Math.random() * 2 - 1), shape, dtype: 'float32',
});

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing { wall: number; cpu: number }

/**
 * Seconds per call, median over batches of calls (each batch ≥ 20 ms, batches for about
 * `budget` seconds, at least 5, after a warm-up batch): by the wall clock, and by this
 * process's CPU time, which leaves out the time other jobs on the machine held the core.
 */
function time(run: () => void, budget: number): Timing {
  const start = performance.now();
  run();
  const perBatch = Math.max(1, Math.ceil(20 / Math.max(performance.now() - start, 1e-3)));
  for (let i = 0; i < perBatch; i++) run();
  const walls: number[] = [];
  const cpus: number[] = [];
  const end = performance.now() + budget * 1000;
  while (walls.length < 5 || (performance.now() < end && walls.length < 200)) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < perBatch; i++) run();
    walls.push((performance.now() - wall) / 1000 / perBatch);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1e6 / perBatch);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

const threaded = await SimdBackend.create();
const backends: [string, Backend][] = [['naive', new NaiveBackend()], ['simd', await SimdBackend.create({ threads: 1 })], ['simd threaded', threaded]];
console.log(`simd threaded: ${threaded.threads} threads (PERCEPTRON_SIMD_THREADS, else the cores up to 4); CPU time counts every thread.`);
console.log('| product | naive GFLOP/s (wall) | simd GFLOP/s (wall) | simd GFLOP/s (CPU time) | simd µs/call (wall) | simd threaded GFLOP/s (wall) | simd ÷ naive (wall) | threaded ÷ simd (wall) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const c of CASES) {
  const a = tensor(c.transposeA ? [1, c.k, c.m] : [1, c.m, c.k]);
  const b = tensor(c.transposeB ? [1, c.n, c.k] : [1, c.k, c.n]);
  const flops = 2 * c.m * c.k * c.n;
  const [naive, simd, simdThreaded] = backends.map(([name, backend]) =>
    time(() => backend.matMul(a, b, c.transposeA, c.transposeB), name === 'naive' && flops > 1e9 ? 10 : 3));
  const rate = (seconds: number): number => flops / seconds / 1e9;
  console.log(`| ${c.label} | ${rate(naive!.wall).toFixed(2)} | ${rate(simd!.wall).toFixed(1)} | ${rate(simd!.cpu).toFixed(1)} | ${(simd!.wall * 1e6).toFixed(1)} | ${rate(simdThreaded!.wall).toFixed(1)} | ${(naive!.wall / simd!.wall).toFixed(1)}× | ${(simd!.wall / simdThreaded!.wall).toFixed(2)}× |`);
}
