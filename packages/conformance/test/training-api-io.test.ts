import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blobs, MODEL_BACKENDS, MultilayerPerceptron } from './training-api-model-support.js';

function values(weights: readonly pc.Tensor[]): number[][] {
  return weights.map((w) => Array.from(w.dataSync()));
}

/** The weights file a model.json names: the weights' SHA-256, shortened, so each version has its own. */
function weightsFileOf(modelJson: Uint8Array): string {
  const json = JSON.parse(new TextDecoder().decode(modelJson));
  expect(json.weights.path).toBe(`weights-${json.weights.manifest.sha256.slice(0, 16)}.bin`);
  return json.weights.path;
}

/** A `saveWeights` file with the given header: 'PCWT', its length, the JSON, no data. */
function weightsFileWithHeader(header: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(8 + json.byteLength);
  file.set(new TextEncoder().encode('PCWT'));
  new DataView(file.buffer).setUint32(4, json.byteLength, true);
  file.set(json, 8);
  return file;
}

/** `store`, except that writing a file whose name matches `failing` fails, as on a full disk. */
function failingOn(store: pc.FileStore, failing: RegExp): pc.FileStore {
  return {
    ...store,
    async write(name, data) {
      if (failing.test(name)) throw new Error(`ENOSPC: no space left on device, write '${name}'`);
      return store.write(name, data);
    },
  };
}

/** The stores a checkpoint can go to in these tests, each with a listing of its files. */
const STORES = {
  folder: (dir: string) => ({ store: pc.nodeFileStore(dir), files: async () => (await readdir(dir)).sort() }),
  memory: () => {
    const store = pc.memoryStore();
    return { store, files: async () => [...store.files.keys()].sort() };
  },
};

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
      vi.restoreAllMocks();
      await rm(dir, { recursive: true, force: true });
    });

    it('save -> loadModel gives identical predictions, compile settings and optimizer state', async () => {
      const { x, y } = blobs(48);
      const model = classifier();
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      await model.save(dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', weightsFileOf(await readFile(join(dir, 'model.json')))]);
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
      const b = loaded.predict(x) as pc.Tensor;
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
      model.optimizer!.dispose();
      model.dispose();
      // The loaded model owns the optimizer loadModel built: dispose frees its moments too.
      const heldByLoaded = pc.memory().numTensors;
      loaded.dispose();
      expect(heldByLoaded - pc.memory().numTensors).toBe(12);
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
      expect((loaded.loss as pc.Loss).getConfig()).toEqual({ name: 'xent', reduction: 'sum_over_batch_size', fromLogits: true });
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

      class Margin extends pc.Loss {
        constructor() { super('margin'); }
        protected perSample(yTrue: pc.TensorLike, yPred: pc.TensorLike) { return pc.mean(pc.maximum(pc.sub(1, pc.mul(yTrue, yPred)), 0), -1); }
      }
      model.compile({ optimizer: 'sgd', loss: new Margin() });
      await model.save(dir);
      await expect(pc.loadModel(dir)).rejects.toThrow(/loadModel: cannot restore the loss \{"className":"Margin","config":\{"name":"margin","reduction":"sum_over_batch_size"\}\} saved in .*model\.json. \(getLoss: unknown loss .Margin.; .*\); register its class with registerSerializable, or load with \{compile: false\} and compile the model yourself/);
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
      expect(Array.from((loaded.predict(x) as pc.Tensor).dataSync())).toEqual(Array.from(before.dataSync()));
      pc.dispose([x, before]);
      mlp.dispose();
      loaded.dispose();
    });

    it('loading a model whose custom layer class is not registered names the class and the file', async () => {
      class Ghost extends pc.Layer {}
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new Ghost(), new pc.Dense(1)]);
      await model.save(dir);
      await expect(pc.loadModel(dir)).rejects.toThrow(`loadModel: cannot rebuild the model saved in '${dir}/model.json': Unknown layer class 'Ghost': register it with registerClass(Ghost) before loading (registered: `);
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
      const weightsFile = join(dir, weightsFileOf(await readFile(join(dir, 'model.json'))));
      const bytes = await readFile(weightsFile);
      const flipped = Buffer.from(bytes);
      flipped[100] = flipped[100]! ^ 0xff;
      await writeFile(weightsFile, flipped);
      await expect(pc.loadModel(dir)).rejects.toThrow(new RegExp(`load: '${weightsFile}' is corrupted: its SHA-256 is [0-9a-f]{64}, the manifest expects [0-9a-f]{64}`));
      await writeFile(weightsFile, bytes.subarray(0, bytes.length - 4));
      await expect(pc.loadModel(dir)).rejects.toThrow(`load: '${weightsFile}' is ${bytes.length - 4} bytes but the manifest expects ${bytes.length} (truncated)`);

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
      expect([...store.files.keys()].sort()).toEqual(['model.json', weightsFileOf(store.files.get('model.json')!)]);
      const loaded = await pc.loadModel(store);
      expect(values(loaded.weights)).toEqual(values(model.weights));
      model.dispose();
      loaded.dispose();
    });

    for (const [kind, open] of Object.entries(STORES)) {
      it(`a save that fails half-way leaves the ${kind} holding the previous checkpoint; the next save replaces it whole`, async () => {
        const { store, files } = open(dir);
        const { x, y } = blobs(32);
        const model = classifier();
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
        await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
        await model.save(store);
        const first = values(model.weights);
        const firstJson = await store.read('model.json');
        await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });

        // A full disk on either file, or a kill between them: the folder still loads as the first save.
        for (const failing of [/^model\.json$/, /^weights/]) {
          await expect(model.save(failingOn(store, failing))).rejects.toThrow('ENOSPC: no space left on device');
          expect(await files()).toEqual(['model.json', weightsFileOf(firstJson)].sort()); // no orphaned weights file
          const previous = await pc.loadModel(store);
          expect(values(previous.weights)).toEqual(first);
          expect(previous.optimizer!.iterations).toBe(2);
          previous.dispose();
        }

        await model.save(store);
        const secondFile = weightsFileOf(await store.read('model.json'));
        expect(secondFile).not.toBe(weightsFileOf(firstJson));
        expect(await files()).toEqual(['model.json', secondFile]); // the first weights file is gone
        const latest = await pc.loadModel(store);
        expect(values(latest.weights)).toEqual(values(model.weights));
        expect(latest.optimizer!.iterations).toBe(4);
        pc.dispose([x, y]);
        model.dispose();
        latest.dispose();
      });

      it(`a save into the ${kind} holds the weights of the moment it was called, whatever happens while it runs`, async () => {
        const { store } = open(dir);
        const model = classifier();
        const atCall = values(model.weights);
        const saving = model.save(store);
        const zeros = model.weights.map((w) => pc.zerosLike(w));
        model.setWeights(zeros); // a training step while the save is under way
        await saving;
        const loaded = await pc.loadModel(store);
        expect(values(loaded.weights)).toEqual(atCall);
        pc.dispose(zeros);
        model.dispose();
        loaded.dispose();
      });

      it(`saves into one ${kind} started together run in turn: the last one is there, whole`, async () => {
        const { store, files } = open(dir);
        const wide = classifier(8);
        const narrow = classifier(4);
        await Promise.all([wide.save(store), narrow.save(store), wide.save(store), narrow.save(store)]);
        const loaded = await pc.loadModel(store);
        expect(values(loaded.weights)).toEqual(values(narrow.weights));
        expect(await files()).toEqual(['model.json', weightsFileOf(await store.read('model.json'))].sort());
        wide.dispose();
        narrow.dispose();
        loaded.dispose();
      });
    }

    it('a folder saved with weights.bin still loads; saving over it replaces weights.bin', async () => {
      const model = classifier();
      model.buildFromShape([null, 2]);
      await model.save(dir);
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      await rename(join(dir, json.weights.path), join(dir, 'weights.bin'));
      json.weights.path = 'weights.bin';
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));

      const loaded = await pc.loadModel(dir);
      expect(values(loaded.weights)).toEqual(values(model.weights));
      await loaded.save(dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', weightsFileOf(await readFile(join(dir, 'model.json')))]);
      model.dispose();
      loaded.dispose();
    });

    it('a store that cannot remove the previous weights file keeps the new checkpoint and warns', async () => {
      const store = pc.memoryStore();
      const first = classifier();
      first.buildFromShape([null, 2]);
      await first.save(store);
      const firstFile = weightsFileOf(store.files.get('model.json')!);
      const stubborn: pc.FileStore = {
        ...store,
        async remove(name) {
          throw new Error(`'${name}' is locked`);
        },
      };
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const second = classifier();
      second.buildFromShape([null, 2]);
      await second.save(stubborn);
      expect(warn.mock.calls).toEqual([[`save: the checkpoint in 'memory' is saved, but its previous weights file '${firstFile}' could not be removed: '${firstFile}' is locked`]]);
      const loaded = await pc.loadModel(store);
      expect(values(loaded.weights)).toEqual(values(second.weights));
      expect([...store.files.keys()].sort()).toEqual(['model.json', firstFile, weightsFileOf(store.files.get('model.json')!)].sort());
      first.dispose();
      second.dispose();
      loaded.dispose();
    });

    it('weights saved with Adam load into a model compiled with SGD: the optimizer state is skipped with a warning (Keras 3)', async () => {
      const { x, y } = blobs(32);
      const adam = classifier();
      adam.compile({ optimizer: new pc.Adam(), loss: 'sparseCategoricalCrossentropy' });
      await adam.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      const path = join(dir, 'adam.weights.bin');
      await adam.saveWeights(path);

      const sgd = classifier();
      sgd.compile({ optimizer: new pc.SGD(), loss: 'sparseCategoricalCrossentropy' });
      sgd.buildFromShape([null, 2]);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      await sgd.loadWeights(path);
      expect(values(sgd.weights)).toEqual(values(adam.weights));
      expect(warn.mock.calls).toEqual([[`load: skipping the optimizer state in '${path}': it holds 9 weights but SGD has 1; the model weights are loaded and SGD keeps its own state`]]);
      expect(sgd.optimizer!.iterations).toBe(0);
      await sgd.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      expect(sgd.optimizer!.iterations).toBe(2);

      // Model weights that do not fit are still an error that changes nothing.
      warn.mockClear();
      const wide = classifier(16);
      wide.compile({ optimizer: new pc.SGD(), loss: 'sparseCategoricalCrossentropy' });
      wide.buildFromShape([null, 2]);
      const before = values(wide.weights);
      await expect(wide.loadWeights(path)).rejects.toThrow(new Error(`load: weight 'hidden/kernel' is float32 [2,16] but '${path}' has float32 [2,8] (saved as 'hidden/kernel')`));
      expect(values(wide.weights)).toEqual(before);
      expect(warn).not.toHaveBeenCalled();
      pc.dispose([x, y]);
      [adam, sgd, wide].forEach((m) => m.dispose());
    });

    it('optimizer state of the right size but other shapes is skipped too, naming the first weight that differs', async () => {
      const { x, y } = blobs(32);
      const momentum = classifier();
      momentum.compile({ optimizer: new pc.SGD({ momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy' });
      await momentum.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      const path = join(dir, 'momentum.weights.bin');
      await momentum.saveWeights(path); // iterations and one slot for each of 4 weights

      // Adam on the output layer alone also keeps 5: iterations and two slots for each of its 2 weights.
      const frozen = classifier();
      frozen.layers.find((l) => l.name === 'hidden')!.trainable = false;
      frozen.compile({ optimizer: new pc.Adam(), loss: 'sparseCategoricalCrossentropy' });
      frozen.buildFromShape([null, 2]);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      await frozen.loadWeights(path);
      expect(values(frozen.weights)).toEqual(values(momentum.weights));
      expect(warn.mock.calls).toEqual([[`load: skipping the optimizer state in '${path}': it holds 5 weights but adam needs float32 [8,2] for 'optimizer/slot_0', not float32 [2,8]; the model weights are loaded and adam keeps its own state`]]);
      expect(frozen.optimizer!.iterations).toBe(0);
      pc.dispose([x, y]);
      momentum.dispose();
      frozen.dispose();
    });

    it('a weights file cut short, or whose header is not a weights header, is an error naming the file; the weights stay', async () => {
      const model = classifier();
      model.buildFromShape([null, 2]);
      const before = values(model.weights);
      const cases: [name: string, bytes: Uint8Array, message: string][] = [
        ['six.bin', new TextEncoder().encode('PCWT\u0010\u0000'), `loadWeights: '${dir}/six.bin' is truncated: it is 6 bytes, but a weights file starts with 8 ('PCWT' and the header length)`],
        ['null.bin', weightsFileWithHeader(null), `loadWeights: '${dir}/null.bin' has an invalid header: expected {"format":"perceptron-weights", "manifest": ...}, got null`],
        ['model.bin', weightsFileWithHeader({ format: 'perceptron-model' }), `loadWeights: '${dir}/model.bin' has an invalid header: expected {"format":"perceptron-weights", "manifest": ...}, got {"format":"perceptron-model"}`],
        ['text.bin', new TextEncoder().encode('hello'), `loadWeights: '${dir}/text.bin' is not a Perceptron weights file (it does not start with 'PCWT': it starts with "hell")`],
        ['nomanifest.bin', weightsFileWithHeader({ format: 'perceptron-weights', formatVersion: 1 }), `load: '${dir}/nomanifest.bin' has no valid weights manifest: expected {byteLength, sha256, groups: {name: [{name, shape, dtype, offset, byteLength}]}}, got nothing`],
      ];
      for (const [name, bytes, message] of cases) {
        await writeFile(join(dir, name), bytes);
        await expect(model.loadWeights(join(dir, name))).rejects.toThrow(new Error(message));
      }
      expect(values(model.weights)).toEqual(before);
      model.dispose();
    });

    it('a model.json that is null, lacks weights or config, or names a weights file elsewhere is an error naming the file; nothing leaks', async () => {
      const model = classifier();
      model.buildFromShape([null, 2]);
      await model.save(dir);
      const file = join(dir, 'model.json');
      const good = JSON.parse(await readFile(file, 'utf8'));
      const invalid = `loadModel: '${file}' is not a valid Perceptron model file:`;
      const cases: [json: unknown, message: string][] = [
        [null, `${invalid} expected a JSON object, got null`],
        [{ ...good, weights: undefined }, `${invalid} 'weights' must be {path: a file name, manifest: an object}, got nothing`],
        [{ ...good, weights: { path: '../other/weights.bin', manifest: {} } }, `${invalid} 'weights' must be {path: a file name, manifest: an object}, got {"path":"../other/weights.bin","manifest":{}}`],
        [{ ...good, config: null }, `${invalid} 'config' must be an object, got null`],
        [{ ...good, compileConfig: 'sgd' }, `${invalid} 'compileConfig' must be null or {optimizer, loss, metrics}, got "sgd"`],
      ];
      const tensors = pc.memory().numTensors;
      for (const [json, message] of cases) {
        await writeFile(file, JSON.stringify(json));
        await expect(pc.loadModel(dir)).rejects.toThrow(new Error(message));
      }
      expect(pc.memory().numTensors).toBe(tensors);
      model.dispose();
    });
  });
}
