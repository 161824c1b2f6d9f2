/**
 * The training and predict cells of a run, one stack × backend at a time: shared by the Node
 * benchmark (run-bench.ts) and the browser page (browser/run-in-page.ts), so both measure, skip
 * and report failures alike. Nothing here may import a Node module.
 */
import type { BenchOptions } from './args.js';
import type { Driver, Images, ModelUse, Predictor } from './driver.js';
import { firstRows } from './operands.js';
import { measurePredict } from './predict-bench.js';
import type { Log } from './progress.js';
import type { Cell, Missing, PredictResult, SubjectInfo, TrainingResult } from './results.js';
import { slowReason } from './slow-cells.js';
import { driverFor } from './subjects.js';
import type { SampleOptions } from './timing.js';
import { measureTraining } from './training-bench.js';
import type { ModelName, ModelSpec } from './workloads.js';

export function failure(error: unknown): Missing {
  return { status: 'error', reason: (error as Error).message.split('\n')[0]! };
}

export async function activated(subject: SubjectInfo, log: Log, driver: Driver = driverFor(subject)): Promise<Driver> {
  log(`activating ${subject.stack}/${subject.backend}`);
  await driver.activate();
  return driver;
}

/** Why a cell is skipped: a model the stack cannot build (even with --all, which only adds the slow cells), or a slow cell. */
function skipReason(driver: Driver, spec: ModelSpec, subject: SubjectInfo, use: ModelUse, options: BenchOptions): string | null {
  return driver.cannotBuild(spec, use) ?? (options.all ? null : slowReason(spec.name, subject, use));
}

/** A row of `spec` on one subject: its measurement, or why it is missing. */
type Row<M> = Cell & { model: ModelName } & (M | Missing);

/**
 * One row per subject: skipped with the reason, measured by `measure` on the activated driver,
 * or failed with the error's first line (its stack in the log).
 */
async function eachSubject<M extends object>(
  spec: ModelSpec, subjects: SubjectInfo[], use: ModelUse, options: BenchOptions, log: Log, measure: (driver: Driver, subject: SubjectInfo) => Promise<M>,
): Promise<Row<M>[]> {
  const rows: Row<M>[] = [];
  for (const subject of subjects) {
    const cell = { stack: subject.stack, backend: subject.backend, model: spec.name };
    const label = `${use === 'predict' ? 'predict ' : ''}${spec.name} · ${subject.stack}/${subject.backend}`;
    const driver = driverFor(subject, options.stepsPerExecution);
    const skip = skipReason(driver, spec, subject, use, options);
    if (skip !== null) {
      log(`${label}: skipped (${skip})`);
      rows.push({ ...cell, status: 'skipped', reason: skip });
      continue;
    }
    try {
      await activated(subject, log, driver);
      rows.push({ ...cell, ...await measure(driver, subject) });
    } catch (error) {
      log(`${label}: failed: ${(error as Error).stack}`);
      rows.push({ ...cell, ...failure(error) });
    }
  }
  return rows;
}

export async function runTraining(spec: ModelSpec, subjects: SubjectInfo[], train: Images, options: BenchOptions, log: Log): Promise<TrainingResult[]> {
  const rows = options.steps === null ? train : firstRows(train, options.steps * spec.batchSize);
  return eachSubject(spec, subjects, 'train', options, log, (driver) => measureTraining(driver, spec, rows, options.repeats, log));
}

/** The test images predict runs on: the first --predict-images of them, or all. */
export function predictImages(test: Images, options: BenchOptions): Images {
  return options.predictImages === null ? test : firstRows(test, options.predictImages);
}

/** How predict is sampled: `repeats` samples, each at least this long. */
export function predictSampling(options: BenchOptions): SampleOptions {
  return { samples: options.repeats, minSeconds: options.quick ? 0.1 : 0.5 };
}

/** Called with each measured predictor before it is freed (the Node run exports Perceptron's to ONNX). */
export type OnPredicted = (subject: SubjectInfo, predictor: Predictor) => Promise<void>;

/** Images per second of `spec`'s predict on every subject. */
export async function runPredict(spec: ModelSpec, subjects: SubjectInfo[], test: Images, options: BenchOptions, log: Log, onPredicted?: OnPredicted): Promise<PredictResult[]> {
  const sampling = predictSampling(options);
  return eachSubject(spec, subjects, 'predict', options, log, async (driver, subject) => {
    const predictor = await driver.predictor(spec, test);
    try {
      const measured = await measurePredict(predictor, test.count, sampling);
      log(`predict ${spec.name} · ${subject.stack}/${subject.backend}: ${Math.round(measured.imagesPerSecond.median).toLocaleString('en-US')} images/s`);
      await onPredicted?.(subject, predictor);
      return measured;
    } finally {
      predictor.dispose();
    }
  });
}
