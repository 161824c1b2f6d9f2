/** One benchmark run: every selected part on every selected stack and backend, in one process. */
import { THREADS_VARIABLE } from '@perceptron/backend-simd';
import type { BenchOptions } from './args.js';
import type { Driver, Images, MatMulShape } from './driver.js';
import { loadAverageNow, machine } from './machine.js';
import { loadImages, type MnistImages } from './mnist.js';
import { PREDICT_NOTE, SHARED_MACHINE_NOTE, TRAINING_NOTE, simdThreadsNote, workloadNotes } from './notes.js';
import { ONNX_BACKEND, loadOnnxApi, measureOnnxPredict } from './onnx-bench.js';
import { MATMUL_SHAPES, describeShape, measureDispatch, measureMatMul } from './ops-bench.js';
import { PLAIN_BACKEND } from './plain-js-driver.js';
import type { Log } from './progress.js';
import { SCHEMA_VERSION, type BenchResults, type PredictResult, type SubjectInfo } from './results.js';
import { activated, failure, predictImages, predictSampling, runPredict, runTraining } from './run-cells.js';
import { SIMD_ONE_THREAD, registerBackends, selectSubjects } from './subjects.js';
import type { SampleOptions } from './timing.js';
import { MODELS, MODEL_NAMES, isModelName, type ModelSpec } from './workloads.js';

function notesFor(options: BenchOptions, images: MnistImages | null, simdThreads: number): string[] {
  return [
    SHARED_MACHINE_NOTE,
    TRAINING_NOTE,
    `Plain JS loop (backend "${PLAIN_BACKEND}"): the same model, loss, Adam (Keras formula) and batch size, trained by hand-written loops over Float32Arrays (i-k-j products, no framework; src/plain-js-mlp.ts), reshuffled every epoch as fit does; weights random normal (stddev 0.05) instead of Glorot uniform. Issue 7's reference for the naive backend; its predict and ops rows run the same loops.`,
    `${PREDICT_NOTE} onnxruntime-node runs the model exported by @perceptron/onnx on the same batches.`,
    'Ops: µs per `add` of two [4] tensors (result disposed); matMul GFLOP/s = 2·m·k·n / time, result read back to JS; tfjs rows call tfjs-core directly.',
    'Memory: peak process RSS, JS heap and external memory sampled during each cell; RSS seldom shrinks, so later cells inherit earlier peaks.',
    simdThreadsNote(simdThreads, `the cores up to 4, or ${THREADS_VARIABLE}`, SIMD_ONE_THREAD),
    ...workloadNotes(options, images?.train.count ?? null, options.only.includes('predict') ? MODEL_NAMES : []),
    ...(options.quick && options.only.includes('ops') ? ['--quick leaves out the 1024×1024×1024 matMul products.'] : []),
  ];
}

/** The ONNX row of one model: exported from the first of our models, whatever its backend (the graph is the same). */
async function onnxRow(onnx: Awaited<ReturnType<typeof loadOnnxApi>>, model: unknown, spec: ModelSpec, test: Images, sampling: SampleOptions, log: Log): Promise<PredictResult> {
  const cell = { stack: 'onnxruntime' as const, backend: ONNX_BACKEND, model: spec.name };
  const outcome = typeof onnx === 'string' ? { status: 'skipped' as const, reason: `not available: ${onnx}` } : await measureOnnxPredict(onnx, model, spec, test, sampling);
  log(`predict ${spec.name} · onnxruntime-node: ${outcome.status === 'ok' ? `${Math.round(outcome.imagesPerSecond.median).toLocaleString('en-US')} images/s` : outcome.reason}`);
  return { ...cell, ...outcome };
}

/** Every workload's predict on every subject, and after each workload its ONNX row (exported from the first Perceptron model measured). */
async function runAllPredict(subjects: SubjectInfo[], images: MnistImages, options: BenchOptions, log: Log): Promise<PredictResult[]> {
  const test = predictImages(images.test, options);
  const onnx = await loadOnnxApi();
  const results: PredictResult[] = [];
  for (const spec of MODEL_NAMES.map((name) => MODELS[name])) {
    let onnxResult: PredictResult | null = null;
    results.push(...await runPredict(spec, subjects, test, options, log, async (subject, predictor) => {
      if (subject.stack === 'perceptron' && onnxResult === null) onnxResult = await onnxRow(onnx, predictor.model, spec, test, predictSampling(options), log);
    }));
    if (onnxResult !== null) results.push(onnxResult);
  }
  return results;
}

/** --quick leaves out the 1024³ products: seconds per call on the JS backends. */
function matMulShapes(options: BenchOptions): readonly MatMulShape[] {
  return options.quick ? MATMUL_SHAPES.filter((s) => s.m * s.k * s.n < 1024 ** 3) : MATMUL_SHAPES;
}

async function runOps(subjects: SubjectInfo[], options: BenchOptions, log: Log): Promise<Pick<BenchResults, 'dispatch' | 'matMul'>> {
  const dispatchSampling = { samples: Math.max(options.repeats, 5), minSeconds: options.quick ? 0.05 : 0.2 };
  const matMulSampling = { samples: options.repeats, minSeconds: options.quick ? 0.05 : 0.2 };
  const out: Pick<BenchResults, 'dispatch' | 'matMul'> = { dispatch: [], matMul: [] };
  for (const subject of subjects) {
    const cell = { stack: subject.stack, backend: subject.backend };
    let driver: Driver;
    try {
      driver = await activated(subject, log);
    } catch (error) {
      out.dispatch.push({ ...cell, ...failure(error) });
      continue;
    }
    try {
      const measured = await measureDispatch(driver, dispatchSampling);
      log(`add · ${subject.stack}/${subject.backend}: ${measured.microsecondsPerOp.median.toFixed(2)} µs/op`);
      out.dispatch.push({ ...cell, ...measured });
    } catch (error) {
      out.dispatch.push({ ...cell, ...failure(error) });
    }
    for (const shape of matMulShapes(options)) {
      try {
        const measured = await measureMatMul(driver, shape, matMulSampling);
        log(`matMul ${describeShape(shape)} · ${subject.stack}/${subject.backend}: ${measured.gflops.median.toFixed(2)} GFLOP/s`);
        out.matMul.push({ ...cell, ...shape, ...measured });
      } catch (error) {
        out.matMul.push({ ...cell, ...shape, ...failure(error) });
      }
    }
  }
  return out;
}

export async function runBench(options: BenchOptions, log: Log): Promise<BenchResults> {
  const startedAt = new Date();
  const host = machine();
  const { simdThreads } = await registerBackends();
  const subjects = selectSubjects(options);
  for (const s of subjects.filter((s) => !s.available)) log(`${s.stack}/${s.backend}: not available: ${s.reason}`);
  const runnable = subjects.filter((s) => s.available);
  const needsImages = options.only.some((p) => p !== 'ops');
  if (needsImages) log('loading MNIST');
  const images = needsImages ? loadImages() : null;
  const results: BenchResults = {
    schema: SCHEMA_VERSION,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationSeconds: NaN,
    machine: host,
    options,
    parts: options.only,
    subjects,
    notes: notesFor(options, images, simdThreads),
    training: [],
    predict: [],
    dispatch: [],
    matMul: [],
  };
  for (const part of options.only) {
    log(`— ${part} —`);
    if (isModelName(part)) results.training.push(...await runTraining(MODELS[part], runnable, images!.train, options, log));
    else if (part === 'predict') results.predict = await runAllPredict(runnable, images!, options, log);
    else Object.assign(results, await runOps(runnable, options, log));
  }
  const finishedAt = new Date();
  results.finishedAt = finishedAt.toISOString();
  results.durationSeconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  results.machine.loadAverageEnd = loadAverageNow();
  return results;
}
