// End to end: the lab MLP trained briefly on synthetic data predicts the same classes through
// onnxruntime as in Perceptron.
import * as pc from '@perceptron/core';
import { expect, it } from 'vitest';
import { exportOnnx, OnnxModel } from '../src/index.js';
import { MultilayerPerceptron } from './models.js';

/** Four Gaussian clusters in 12 dimensions; class k is centred at +1 on features 3k..3k+2. */
function clusters(n: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const g = new pc.RandomGenerator(seed);
  const x = new Float32Array(n * 12);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 4;
    for (let j = 0; j < 12; j++) x[i * 12 + j] = (Math.floor(j / 3) === y[i] ? 1 : 0) + 0.6 * g.nextNormal();
  }
  return { x: pc.tensor(x, [n, 12]), y: pc.tensor(y, [n], 'int32') };
}

it('a trained lab MLP gives identical argmax predictions in Perceptron and onnxruntime', async () => {
  await pc.setBackend('naive');
  pc.setSeed(21);
  const model = new MultilayerPerceptron([16, 32], 4);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const train = clusters(400, 1);
  await model.fit(train.x, train.y, { epochs: 5, batchSize: 32, verbose: 0 });
  const test = clusters(300, 2);
  const [, accuracy] = await model.evaluate(test.x, test.y, { verbose: 0 });
  expect(accuracy).toBeGreaterThan(0.8); // it learned something, so the comparison means something

  const session = await OnnxModel.load(exportOnnx(model));
  const fromRuntime = await session.run(test.x) as pc.Tensor;
  const predicted = model.predict(test.x);
  const [runtimeClasses, perceptronClasses] = [pc.argMax(fromRuntime, -1), pc.argMax(predicted, -1)];
  expect(Array.from(runtimeClasses.dataSync())).toEqual(Array.from(perceptronClasses.dataSync()));
  const labels = test.y.dataSync();
  const runtimeAccuracy = runtimeClasses.dataSync().filter((c, i) => c === labels[i]).length / labels.length;
  expect(runtimeAccuracy).toBeCloseTo(accuracy!, 6);
  pc.dispose([train.x, train.y, test.x, test.y, fromRuntime, predicted, runtimeClasses, perceptronClasses]);
  await session.release();
  model.dispose();
});
