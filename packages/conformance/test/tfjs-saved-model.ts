// Models saved by tfjs-layers itself, into a memory store, as its file handler lays them out.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as pc from '@perceptron/core';

export const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** A memory store and the files it holds, which tests edit. */
export type EditableStore = pc.FileStore & { files: Map<string, Uint8Array> };

/** What tfjs's model.save writes, as its file handler lays it out: model.json and the weights in `shards` files. */
export async function savedByTfjs(model: tfl.LayersModel, shards = 1, includeOptimizer = false): Promise<EditableStore> {
  const store = pc.memoryStore();
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const size = Math.ceil(data.length / shards);
    const paths = Array.from({ length: shards }, (_, i) => `./group1-shard${i + 1}of${shards}.bin`);
    await store.write('model.json', encode({
      format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: null,
      modelTopology: artifacts.modelTopology, trainingConfig: artifacts.trainingConfig, weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
    }));
    for (const [i, path] of paths.entries()) await store.write(path.slice(2), data.slice(i * size, (i + 1) * size));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
  return store;
}
