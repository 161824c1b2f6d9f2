/** Which stack × backend pairs run: every Node backend of ours, the plain JS loop, and tfjs on the tfjs backends. */
import { listBackends, registerBackend } from '@perceptron/core';
import { UsageError, type BenchOptions } from './args.js';
import type { Driver } from './driver.js';
import { PerceptronDriver } from './perceptron-driver.js';
import { PLAIN_BACKEND, PlainJsDriver } from './plain-js-driver.js';
import type { SubjectInfo } from './results.js';
import { TFJS_BACKENDS, TfjsDriver } from './tfjs-driver.js';

/** The simd backend held to one thread, beside simd on all its threads: what the helper threads add. */
export const SIMD_ONE_THREAD = 'simd-1-thread';

/**
 * Registers our backends: each package registers its backends when imported; plus
 * SIMD_ONE_THREAD. Returns how many threads simd computes large products on.
 */
export async function registerBackends(): Promise<{ simdThreads: number }> {
  await import('@perceptron/backend-naive');
  const { SimdBackend } = await import('@perceptron/backend-simd');
  await import('@perceptron/backend-tfjs');
  const simd = listBackends().find((b) => b.name === 'simd');
  if (!listBackends().some((b) => b.name === SIMD_ONE_THREAD)) {
    registerBackend(SIMD_ONE_THREAD, {
      create: () => SimdBackend.create({ threads: 1 }),
      // Just below simd, so that simd stays the default and the two sit side by side.
      priority: (simd?.priority ?? 5) - 0.5,
      unavailableReason: () => (simd ? simd.reason : 'the simd backend is not registered'),
    });
  }
  return { simdThreads: simd?.available ? await SimdBackend.threadCount() : 1 };
}

/** Every subject the options select, available or not (the report lists why not). */
export function selectSubjects(options: Pick<BenchOptions, 'backends' | 'stacks'>): SubjectInfo[] {
  const ours = listBackends();
  const known = ours.map((b) => b.name);
  const unknown = options.backends?.find((name) => !known.includes(name));
  if (unknown !== undefined) throw new UsageError(`--backends: unknown backend '${unknown}'; registered: ${known.join(', ')}`);
  const subjects: SubjectInfo[] = [];
  for (const stack of options.stacks) {
    // The plain loop has no backend to choose, so --backends leaves it in.
    if (stack === 'plain-js') {
      subjects.push({ stack, backend: PLAIN_BACKEND, available: true, reason: null });
      continue;
    }
    for (const info of ours) {
      if (stack === 'tfjs' && !TFJS_BACKENDS.includes(info.name)) continue;
      if (options.backends && !options.backends.includes(info.name)) continue;
      subjects.push({ stack, backend: info.name, available: info.available, reason: info.reason });
    }
  }
  // Ours first, then the plain loop, then tfjs; within each, the slowest backend (lowest priority) first.
  const order = (s: SubjectInfo): number => -known.indexOf(s.backend);
  return subjects.sort((a, b) => a.stack.localeCompare(b.stack) || order(a) - order(b));
}

/** The driver of `subject`; Perceptron's compiles its training models with `stepsPerExecution`. */
export function driverFor(subject: SubjectInfo, stepsPerExecution = 1): Driver {
  switch (subject.stack) {
    case 'perceptron': return new PerceptronDriver(subject.backend, stepsPerExecution);
    case 'plain-js': return new PlainJsDriver();
    case 'tfjs': return new TfjsDriver(subject.backend);
    case 'onnxruntime': throw new Error('driverFor: onnxruntime has no driver; it only serves the exported model (onnx-bench.ts)');
  }
}
