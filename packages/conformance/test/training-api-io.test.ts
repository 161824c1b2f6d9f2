import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobs, MODEL_BACKENDS, MultilayerPerceptron } from './training-api-model-support.js';

function values(weights: readonly pc.Tensor[]): number[][] {
  return weights.map((w) => Array.from(w.dataSync()));
}

function classifier(hidden = 8): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [2] }),
    new pc.Dense(hidden, { activation: 'relu', name: 'hidden' }),
    new pc.Dropout(0.1, { name: 'drop' }),
    new pc.Dense(2, { activation: 'softmax', name: 'output' }),
  ], { name: 'saved' });
}

for (const backend of MODEL_BACKENDS) {
  describe(`save / load on ${backend}`, () => {
    let dir = '';
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
      dir = await mkdtemp(join(tmpdir(), 'perceptron-io-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('save -> loadModel gives identical predictions, compile settings and optimizer state', async () => {
      const { x, y } = blobs(48);
      const model = classifier();
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      await model.save(dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      expect(json.className).toBe('Sequential');
      expect(json.config.layers.map((l: { className: string }) => l.className)).toEqual(['InputLayer', 'Dense', 'Dropout', 'Dense']);
      expect(json.weights.manifest.groups.model.map((w: { name: string; shape: number[]; offset: number }) => [w.name, w.shape, w.offset]))
        .toEqual([['hidden/kernel', [2, 8], 0], ['hidden/bias', [8], 64], ['output/kernel', [8, 2], 96], ['output/bias', [2], 160]]);
      expect(json.weights.manifest.sha256).toMatch(/^[0-9a-f]{64}$/);

      const loaded = await pc.loadModel(dir);
      expect(loaded).toBeInstanceOf(pc.Sequential);
      expect(loaded.metricsNames).toEqual(['loss', 'accuracy']);
      expect(loaded.optimizer!.iterations).toBe(model.optimizer!.iterations);
      expect(values(loaded.weights)).toEqual(values(model.weights));
      const a = model.predict(x);
      const b = loaded.predict(x);
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));

      // With Adam's moments restored, one more step (same dropout draws) moves both models identically.
      const xs = pc.slice(x, 0, 16);
      const ys = pc.slice(y, 0, 16);
      pc.setSeed(1);
      model.trainStep(xs, ys);
      pc.setSeed(1);
      loaded.trainStep(xs, ys);
      expect(values(loaded.weights)).toEqual(values(model.weights));
      pc.dispose([x, y, a, b, xs, ys]);
      model.dispose();
      loaded.dispose();
    });

    it('a loss and metrics with their own settings come back with them; a class of the user\'s own is named', async () => {
      const model = classifier();
      model.compile({
        optimizer: 'sgd',
        loss: new pc.SparseCategoricalCrossentropy({ fromLogits: true, name: 'xent' }),
        metrics: ['acc', new pc.BinaryAccuracy({ threshold: 0.9, name: 'strict' }), new pc.MeanSquaredErrorMetric()],
        weightedMetrics: ['acc'],
      });
      const input = pc.zeros([1, 2]);
      pc.dispose([input, model.apply(input)]);
      await model.save(dir);
      const loaded = await pc.loadModel(dir);
      expect(loaded.loss).toBeInstanceOf(pc.SparseCategoricalCrossentropy);
      expect(loaded.loss!.getConfig()).toEqual({ name: 'xent', reduction: 'sum_over_batch_size', fromLogits: true });
      expect(loaded.compiledMetrics.map((m) => [m.constructor.name, m.getConfig()])).toEqual([
        ['MatchedAccuracy', { name: 'acc' }], ['BinaryAccuracy', { name: 'strict', threshold: 0.9 }], ['MeanSquaredErrorMetric', { name: 'mean_squared_error' }],
      ]);
      expect(loaded.compiledWeightedMetrics.map((m) => [m.constructor.name, m.getConfig()])).toEqual([['MatchedAccuracy', { name: 'acc' }]]);
      expect(loaded.metricsNames).toEqual(['loss', 'acc', 'strict', 'mean_squared_error', 'weighted_acc']);
      loaded.dispose();

      // Files written before metrics kept their settings list names only; they still load.
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      json.compileConfig.metrics = ['accuracy'];
      delete json.compileConfig.weightedMetrics;
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      const old = await pc.loadModel(dir);
      expect(old.compiledMetrics[0]).toBeInstanceOf(pc.MatchedAccuracy);
      expect(old.metricsNames).toEqual(['loss', 'accuracy']);
      old.dispose();

      class Hinge extends pc.Loss {
        constructor() { super('hinge'); }
        protected perSample(yTrue: pc.TensorLike, yPred: pc.TensorLike) { return pc.mean(pc.maximum(pc.sub(1, pc.mul(yTrue, yPred)), 0), -1); }
      }
      model.compile({ optimizer: 'sgd', loss: new Hinge() });
      await model.save(dir);
      await expect(pc.loadModel(dir)).rejects.toThrow(/loadModel: cannot restore the loss \{"className":"Hinge","config":\{"name":"hinge","reduction":"sum_over_batch_size"\}\} saved in '.*model\.json' \(getLoss: unknown loss 'Hinge'; .*\); load with \{compile: false\} and compile the model yourself/);
      const uncompiled = await pc.loadModel(dir, { compile: false });
      expect(values(uncompiled.weights)).toEqual(values(model.weights));
      uncompiled.dispose();
      model.dispose();
    });

    it('a subclassed model round-trips through the registry', async () => {
      const mlp = new MultilayerPerceptron(3);
      const x = pc.randomNormal([5, 4]);
      const before = mlp.predict(x);
      await mlp.save(dir);
      const loaded = await pc.loadModel(dir);
      expect(loaded).toBeInstanceOf(MultilayerPerceptron);
      expect(loaded.name).toBe('multilayerPerceptron');
      expect((loaded as MultilayerPerceptron).outputNeurons).toBe(3);
      expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(before.dataSync()));
      pc.dispose([x, before]);
      mlp.dispose();
      loaded.dispose();
    });

    it('loading a model whose custom layer class is not registered names the class', async () => {
      class Ghost extends pc.Layer {}
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new Ghost(), new pc.Dense(1)]);
      await model.save(dir);
      await expect(pc.loadModel(dir)).rejects.toThrow(/Unknown layer class 'Ghost': register it with registerClass\(Ghost\) before loading/);
      model.dispose();
    });

    it('saveWeights -> loadWeights restores the weights; no temporary file is left', async () => {
      const a = classifier();
      const b = classifier();
      const path = join(dir, 'ckpt', 'model.weights.bin');
      await a.saveWeights(path);
      expect(await readdir(join(dir, 'ckpt'))).toEqual(['model.weights.bin']);
      await b.loadWeights(path);
      expect(values(b.weights)).toEqual(values(a.weights));
      a.dispose();
      b.dispose();
    });

    it('wrong shapes, bad checksums and truncated files are errors that leave the weights untouched', async () => {
      const small = classifier(4);
      const model = classifier(8);
      const before = values(model.weights);
      const path = join(dir, 'small.weights.bin');
      await small.saveWeights(path);
      await expect(model.loadWeights(path)).rejects.toThrow(`load: weight 'hidden/kernel' is float32 [2,8] but '${dir}/small.weights.bin' has float32 [2,4] (saved as 'hidden/kernel')`);
      expect(values(model.weights)).toEqual(before);

      await model.save(dir);
      const weightsFile = join(dir, 'weights.bin');
      const bytes = await readFile(weightsFile);
      const flipped = Buffer.from(bytes);
      flipped[100] = flipped[100]! ^ 0xff;
      await writeFile(weightsFile, flipped);
      await expect(pc.loadModel(dir)).rejects.toThrow(new RegExp(`load: '${dir}/weights.bin' is corrupted: its SHA-256 is [0-9a-f]{64}, the manifest expects [0-9a-f]{64}`));
      await writeFile(weightsFile, bytes.subarray(0, bytes.length - 4));
      await expect(pc.loadModel(dir)).rejects.toThrow(`load: '${dir}/weights.bin' is ${bytes.length - 4} bytes but the manifest expects ${bytes.length} (truncated)`);

      const single = join(dir, 'one.weights.bin');
      await model.saveWeights(single);
      const file = await readFile(single);
      const other = classifier(8);
      const otherBefore = values(other.weights);
      const corrupt = Buffer.from(file);
      corrupt[corrupt.length - 1] = corrupt[corrupt.length - 1]! ^ 1;
      await writeFile(single, corrupt);
      await expect(other.loadWeights(single)).rejects.toThrow(/is corrupted: its SHA-256/);
      await writeFile(single, file.subarray(0, 20));
      await expect(other.loadWeights(single)).rejects.toThrow(/one.weights.bin' is truncated/);
      expect(values(other.weights)).toEqual(otherBefore);
      small.dispose();
      model.dispose();
      other.dispose();
    });

    it('a memory store works where there is no file system', async () => {
      const store = pc.memoryStore();
      const model = classifier();
      await model.save(store);
      expect([...store.files.keys()].sort()).toEqual(['model.json', 'weights.bin']);
      const loaded = await pc.loadModel(store);
      expect(values(loaded.weights)).toEqual(values(model.weights));
      model.dispose();
      loaded.dispose();
    });
  });
}
