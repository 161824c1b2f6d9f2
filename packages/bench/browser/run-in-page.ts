/**
 * The browser run, inside the page: for each selected workload, training and then predict on
 * every stack × backend this browser offers, measured by the Node bench's own cells (run-cells.ts).
 */
import { listBackends } from '@perceptron/core';
import { UsageError, type BenchOptions } from '../src/args.js';
import { OPT_IN_BACKENDS } from '../src/browser-args.js';
import type { Log } from '../src/progress.js';
import type { PredictResult, SubjectInfo, TrainingResult } from '../src/results.js';
import { predictImages, runPredict, runTraining } from '../src/run-cells.js';
import { selectSubjects } from '../src/subjects.js';
import { MODELS, isModelName } from '../src/workloads.js';
import { browserNotes } from './browser-notes.js';
import { fetchImages } from './mnist.js';
import type { PageOutcome } from './page-api.js';
import { webglRenderer } from './webgl-renderer.js';

/** Every registered backend but the opt-in ones: what runs without --backends. */
function defaultBackends(): string[] {
  return listBackends().map((b) => b.name).filter((name) => !OPT_IN_BACKENDS.includes(name));
}

function subjectsFor(options: BenchOptions): SubjectInfo[] | UsageError {
  try {
    return selectSubjects({ stacks: options.stacks, backends: options.backends ?? defaultBackends() });
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

/** `simdThreads`: how many threads simd computes large kernels on in this page. */
export async function runInPage(options: BenchOptions, log: Log, simdThreads: number): Promise<PageOutcome> {
  const subjects = subjectsFor(options);
  if (subjects instanceof UsageError) return { ok: false, usageError: subjects.message };
  for (const s of subjects.filter((s) => !s.available)) log(`${s.stack}/${s.backend}: not available: ${s.reason}`);
  const runnable = subjects.filter((s) => s.available);
  log('loading MNIST');
  const images = await fetchImages();
  const test = predictImages(images.test, options);
  const training: TrainingResult[] = [];
  const predict: PredictResult[] = [];
  for (const spec of options.only.filter(isModelName).map((name) => MODELS[name])) {
    log(`— ${spec.name} —`);
    training.push(...await runTraining(spec, runnable, images.train, options, log));
    predict.push(...await runPredict(spec, runnable, test, options, log));
  }
  const renderer = webglRenderer();
  return {
    ok: true,
    results: { subjects, notes: browserNotes(options, images.train.count, renderer, simdThreads), training, predict, userAgent: navigator.userAgent, webglRenderer: renderer },
  };
}
