// Serves an exported model with onnxruntime-node on the 10,000 MNIST test images and prints
// its accuracy and throughput:
//   npm run demo:serve -w @perceptron/onnx -- --model lab.onnx [--batch-size 1000] [--threads 1]
import { parseArgs } from 'node:util';
import { OnnxModel } from '../index.js';
import { defaultMnistDir, loadMnistTestSet, type MnistTestSet } from './mnist-test-set.js';

const USAGE = 'usage: demo:serve --model PATH [--batch-size N (default 1000)] [--threads N (default 1)] [--data DIR (MNIST IDX files)]';

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${text}'`);
  return n;
}

class UsageError extends Error {}

/** Index of the largest of `row` values starting at `offset`. */
function argMax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

async function evaluate(model: OnnxModel, data: MnistTestSet, batchSize: number): Promise<{ correct: number; seconds: number }> {
  const batchOf = (start: number) => {
    const rows = Math.min(batchSize, data.count - start);
    return model.run(data.images.subarray(start * data.features, (start + rows) * data.features), [rows, data.features]);
  };
  await batchOf(0); // warm-up: the first run allocates and plans; it is not timed
  let correct = 0;
  const started = process.hrtime.bigint();
  for (let start = 0; start < data.count; start += batchSize) {
    const { data: out, shape } = await batchOf(start);
    const classes = shape[1]!;
    for (let i = 0; i < shape[0]!; i++) if (argMax(out as Float32Array, i * classes, classes) === data.labels[start + i]) correct++;
  }
  return { correct, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, 'batch-size': { type: 'string' }, threads: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(USAGE);
  if (!values.model) throw new UsageError('--model PATH is required');
  const batchSize = positiveInt('batch-size', values['batch-size'] ?? '1000');
  const threads = positiveInt('threads', values.threads ?? '1');
  const model = await OnnxModel.load(values.model, { intraOpNumThreads: threads });
  const data = await loadMnistTestSet(values.data ?? defaultMnistDir());
  const [, features] = model.input.shape;
  if (model.input.shape.length !== 2 || features !== data.features) {
    throw new Error(`${values.model} takes input '${model.input.name}' of shape [${model.input.shape.join(',')}]; MNIST images are [batch,${data.features}]`);
  }
  console.log(`Model: ${values.model} (opset ${model.opset}, IR ${model.irVersion}, input '${model.input.name}' [${model.input.shape.join(',')}])`);
  const { correct, seconds } = await evaluate(model, data, batchSize);
  console.log(`Test accuracy ${(correct / data.count).toFixed(4)} (${correct}/${data.count} images)`);
  console.log(`Throughput: ${Math.round(data.count / seconds)} images/s (${data.count} images in ${(seconds * 1000).toFixed(1)} ms; batch size ${batchSize}, ${threads} intra-op thread${threads === 1 ? '' : 's'})`);
  await model.release();
}

main().catch((error: unknown) => {
  console.error(`demo:serve: ${(error as Error).message}`);
  if (error instanceof UsageError) console.error(USAGE);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
