/** One benchmark run: every selected part on every selected stack and backend, in one process. */
import { cpus, loadavg, totalmem } from 'node:os';
import { THREADS_VARIABLE } from '@perceptron/backend-simd';
import type { BenchOptions } from './args.js';
import type { Driver, Images, MatMulShape, ModelUse } from './driver.js';
import { loadImages, type MnistImages } from './mnist.js';
import { ONNX_BACKEND, loadOnnxApi, measureOnnxPredict } from './onnx-bench.js';
import { MATMUL_SHAPES, describeShape, measureDispatch, measureMatMul } from './ops-bench.js';
import { firstRows } from './operands.js';
import { PLAIN_BACKEND } from './plain-js-driver.js';
import { measurePredict } from './predict-bench.js';
import type { Log } from './progress.js';
import {
  SCHEMA_VERSION, type BenchResults, type Machine, type Missing, type PredictResult, type SubjectInfo, type TrainingResult,
} from './results.js';
import { slowCellsNote, slowReason } from './slow-cells.js';
import { SIMD_ONE_THREAD, driverFor, registerBackends, selectSubjects } from './subjects.js';
import type { SampleOptions } from './timing.js';
import { measureTraining } from './training-bench.js';
import { MODELS, MODEL_NAMES, PREDICT_BATCH, isModelName, type ModelSpec } from './workloads.js';

function machine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpus: cores.length,
    totalMemoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    loadAverageStart: loadavg()[0]!,
    loadAverageEnd: NaN,
  };
}

function failure(error: unknown): Missing {
  return { status: 'error', reason: (error as Error).message.split('\n')[0]! };
}

function notesFor(options: BenchOptions, images: MnistImages | null, simdThreads: number): string[] {
  const notes = [
    'The machine is shared: other processes can slow any cell. Figures are medians of n samples; min–max shows the spread, and the load averages at start and end are in the JSON.',
    'Training: one `fit` call per cell, epochs = 1 warm-up + repeats; the warm-up epoch is reported apart. Perceptron uses core\'s Sequential/Dense/LSTM/Conv2D/SeparableConv2D/compile/fit (verbose 0); tfjs uses tfjs-layers tf.sequential/dense/lstm/conv2d/separableConv2d/compile/model.fit (verbose 0); both with batchSize, shuffle: true, Adam, sparse categorical cross-entropy and accuracy.',
    `Plain JS loop (backend "${PLAIN_BACKEND}"): the same model, loss, Adam (Keras formula) and batch size, trained by hand-written loops over Float32Arrays (i-k-j products, no framework; src/plain-js-mlp.ts), reshuffled every epoch as fit does; weights random normal (stddev 0.05) instead of Glorot uniform. Issue 7's reference for the naive backend; its predict and ops rows run the same loops.`,
    `Predict: every workload's model.predict with batchSize ${PREDICT_BATCH}, output read back to JS (untrained weights: the arithmetic is the same); onnxruntime-node runs the model exported by @perceptron/onnx on the same batches.`,
    'Ops: µs per `add` of two [4] tensors (result disposed); matMul GFLOP/s = 2·m·k·n / time, result read back to JS; tfjs rows call tfjs-core directly.',
    'Memory: peak process RSS, JS heap and external memory sampled during each cell; RSS seldom shrinks, so later cells inherit earlier peaks.',
    `simd computes the rows of large matrix products on ${simdThreads} thread${simdThreads === 1 ? '' : 's'} (the cores up to 4, or ${THREADS_VARIABLE}); ${SIMD_ONE_THREAD} is the same backend on one thread.`,
  ];
  if (options.only.includes('sequence')) {
    notes.push(`Sequence: ${MODELS.sequence.title}: each image's 784 floats given to the model as [28, 28] (28 steps of 28 pixels, the tensor shaped once, no Reshape layer); LSTM with tanh, sigmoid gates (set explicitly: tfjs-layers defaults to hardSigmoid), unit forget bias, Keras initializers; softmax Dense on its last output. The plain JS loop has no LSTM, so its cell is skipped.`);
  }
  if (options.only.includes('separable')) {
    notes.push(`Separable: ${MODELS.separable.title}: each image given as [28, 28, 1]; Conv2D 3×3 'valid', then 2×2 max pooling before each SeparableConv2D 3×3 'same' (depthwise, then pointwise 1×1), relu after each convolution, global average pooling, softmax Dense; Keras initializers. The plain JS loop has no convolutions, so its cell is skipped.`);
  }
  if (options.steps !== null && images) {
    notes.push(`Shortened run (--quick or --steps): each "epoch" is the first ${options.steps} steps, not the full ${images.train.count} images.`);
  }
  if (options.quick && options.only.includes('ops')) notes.push('--quick leaves out the 1024×1024×1024 matMul products.');
  if (!options.all) {
    const slowTraining = slowCellsNote(options.only.filter(isModelName), 'train');
    const slowPredict = options.only.includes('predict') ? slowCellsNote(MODEL_NAMES, 'predict') : null;
    notes.push(...[slowTraining, slowPredict].filter((note) => note !== null));
  }
  return notes;
}

async function activated(subject: SubjectInfo, log: Log, driver: Driver = driverFor(subject)): Promise<Driver> {
  log(`activating ${subject.stack}/${subject.backend}`);
  await driver.activate();
  return driver;
}

/** Why a cell is skipped: a model the stack cannot build (even with --all, which only adds the slow cells), or a slow cell. */
function skipReason(driver: Driver, spec: ModelSpec, subject: SubjectInfo, use: ModelUse, options: BenchOptions): string | null {
  return driver.cannotBuild(spec, use) ?? (options.all ? null : slowReason(spec.name, subject, use));
}

async function runTraining(spec: ModelSpec, subjects: SubjectInfo[], images: MnistImages, options: BenchOptions, log: Log): Promise<TrainingResult[]> {
  const train = options.steps === null ? images.train : firstRows(images.train, options.steps * spec.batchSize);
  const results: TrainingResult[] = [];
  for (const subject of subjects) {
    const cell = { stack: subject.stack, backend: subject.backend, model: spec.name };
    const driver = driverFor(subject);
    const skip = skipReason(driver, spec, subject, 'train', options);
    if (skip !== null) {
      log(`${spec.name} · ${subject.stack}/${subject.backend}: skipped (${skip})`);
      results.push({ ...cell, status: 'skipped', reason: skip });
      continue;
    }
    try {
      await activated(subject, log, driver);
      results.push({ ...cell, ...await measureTraining(driver, spec, train, options.repeats, log) });
    } catch (error) {
      log(`${spec.name} · ${subject.stack}/${subject.backend}: failed: ${(error as Error).stack}`);
      results.push({ ...cell, ...failure(error) });
    }
  }
  return results;
}

/** The ONNX row of one model: exported from the first of our models, whatever its backend (the graph is the same). */
async function onnxRow(onnx: Awaited<ReturnType<typeof loadOnnxApi>>, model: unknown, spec: ModelSpec, test: Images, sampling: SampleOptions, log: Log): Promise<PredictResult> {
  const cell = { stack: 'onnxruntime' as const, backend: ONNX_BACKEND, model: spec.name };
  const outcome = typeof onnx === 'string' ? { status: 'skipped' as const, reason: `not available: ${onnx}` } : await measureOnnxPredict(onnx, model, spec, test, sampling);
  log(`predict ${spec.name} · onnxruntime-node: ${outcome.status === 'ok' ? `${Math.round(outcome.imagesPerSecond.median).toLocaleString('en-US')} images/s` : outcome.reason}`);
  return { ...cell, ...outcome };
}

async function runPredict(subjects: SubjectInfo[], images: MnistImages, options: BenchOptions, log: Log): Promise<PredictResult[]> {
  const test = options.predictImages === null ? images.test : firstRows(images.test, options.predictImages);
  const sampling = { samples: options.repeats, minSeconds: options.quick ? 0.1 : 0.5 };
  const onnx = await loadOnnxApi();
  const results: PredictResult[] = [];
  for (const spec of MODEL_NAMES.map((name) => MODELS[name])) {
    let onnxResult: PredictResult | null = null;
    for (const subject of subjects) {
      const cell = { stack: subject.stack, backend: subject.backend, model: spec.name };
      const driver = driverFor(subject);
      const skip = skipReason(driver, spec, subject, 'predict', options);
      if (skip !== null) {
        log(`predict ${spec.name} · ${subject.stack}/${subject.backend}: skipped (${skip})`);
        results.push({ ...cell, status: 'skipped', reason: skip });
        continue;
      }
      try {
        await activated(subject, log, driver);
        const predictor = await driver.predictor(spec, test);
        try {
          const measured = await measurePredict(predictor, test.count, sampling);
          log(`predict ${spec.name} · ${subject.stack}/${subject.backend}: ${Math.round(measured.imagesPerSecond.median).toLocaleString('en-US')} images/s`);
          results.push({ ...cell, ...measured });
          if (subject.stack === 'perceptron' && onnxResult === null) onnxResult = await onnxRow(onnx, predictor.model, spec, test, sampling, log);
        } finally {
          predictor.dispose();
        }
      } catch (error) {
        log(`predict ${spec.name} · ${subject.stack}/${subject.backend}: failed: ${(error as Error).stack}`);
        results.push({ ...cell, ...failure(error) });
      }
    }
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
    if (isModelName(part)) results.training.push(...await runTraining(MODELS[part], runnable, images!, options, log));
    else if (part === 'predict') results.predict = await runPredict(runnable, images!, options, log);
    else Object.assign(results, await runOps(runnable, options, log));
  }
  const finishedAt = new Date();
  results.finishedAt = finishedAt.toISOString();
  results.durationSeconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  results.machine.loadAverageEnd = loadavg()[0]!;
  return results;
}
