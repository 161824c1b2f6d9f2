/** Which stack × backend pairs run: every Node backend of ours, the plain JS loop, and tfjs on the tfjs backends. */
import { listBackends } from '@perceptron/core';
import { UsageError, type BenchOptions } from './args.js';
import type { Driver } from './driver.js';
import { PerceptronDriver } from './perceptron-driver.js';
import { PLAIN_BACKEND, PlainJsDriver } from './plain-js-driver.js';
import type { SubjectInfo } from './results.js';
import { TFJS_BACKENDS, TfjsDriver } from './tfjs-driver.js';

/** Registers our backends: each package registers its backends when imported. */
export async function registerBackends(): Promise<void> {
  await import('@perceptron/backend-naive');
  await import('@perceptron/backend-simd');
  await import('@perceptron/backend-tfjs');
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

export function driverFor(subject: SubjectInfo): Driver {
  switch (subject.stack) {
    case 'perceptron': return new PerceptronDriver(subject.backend);
    case 'plain-js': return new PlainJsDriver();
    case 'tfjs': return new TfjsDriver(subject.backend);
    case 'onnxruntime': throw new Error('driverFor: onnxruntime has no driver; it only serves the exported model (onnx-bench.ts)');
  }
}
