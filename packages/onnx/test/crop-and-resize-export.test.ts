// cropAndResize exports through its parts (slices of the boxes, arithmetic, Floor, Ceil, Cast,
// Gather, Where) with the boxes and their image indices as graph inputs: onnxruntime and the
// re-imported model give predict's crops on every backend, bilinear and nearest, at batch sizes
// the exporter did not trace. The ops that decide their result on the host (non-max suppression,
// threshold's Otsu level) are ops without a mapping, which the exporter names.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, type ExportOnnxOptions } from '../src/index.js';
import { graphOf } from './decoded-graph.js';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const IMAGE: [number, number, number] = [5, 6, 2];

/** Crops 3×4 of each image at its own box ([batch, 4]) from the image its index ([batch, 1]) names. */
class BoxCrops extends pc.Model {
  constructor(readonly method: pc.CropMethod) {
    super({ name: `crops_${method}` });
  }
  override call(inputs: pc.Tensor[]): pc.Tensor {
    const [images, boxes, boxInd] = inputs as [pc.Tensor, pc.Tensor, pc.Tensor];
    return pc.cropAndResize(images, boxes, pc.reshape(boxInd, [-1]), [3, 4], this.method, -0.5);
  }
}

const EXPORT_OPTIONS: ExportOnnxOptions = { inputShape: [IMAGE, [4], [1]], inputDtype: ['float32', 'float32', 'int32'], inputNames: ['images', 'boxes', 'boxInd'] };

/** Seeded images, boxes reaching a little off the images (some flipped), and image indices in [0, batch). */
function inputsOf(batch: number): pc.Tensor[] {
  const g = new pc.RandomGenerator(40 + batch);
  const draw = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * g.nextFloat());
  return [
    pc.tensor(draw(batch * IMAGE[0] * IMAGE[1] * IMAGE[2], -2, 2), [batch, ...IMAGE]),
    pc.tensor(draw(batch * 4, -0.2, 1.2), [batch, 4]),
    pc.tensor(Array.from({ length: batch }, (_, i) => (3 * i + 1) % batch), [batch, 1], 'int32'),
  ];
}

const log = new DifferenceLog('cropAndResize export');
afterAll(() => log.print());

describe.each(BACKENDS)('cropAndResize exports through its parts on %s', (backend) => {
  it.each(['bilinear', 'nearest'] as const)('%s: onnxruntime and the imported model match predict, the boxes a graph input', async (method) => {
    await pc.setBackend(backend);
    const model = new BoxCrops(method);
    try {
      const graph = graphOf(exportOnnx(model, EXPORT_OPTIONS));
      expect(graph.input.map((i) => i.name)).toEqual(['images', 'boxes', 'boxInd']);
      // The boxes are read by the graph's nodes (their slices), not frozen into it.
      expect(graph.node.filter((n) => n.input.includes('boxes')).map((n) => n.opType)).toEqual(['Slice', 'Slice', 'Slice', 'Slice']);
      await expectExportMatchesPredict(model, inputsOf, [1, 5], log, backend, EXPORT_OPTIONS);
    } finally {
      model.dispose();
    }
  });
});

/** Keeps the rows of x [batch, 5] (a box and a score each) that non-max suppression selects. */
class KeepSelected extends pc.Model {
  override call(x: pc.Tensor): pc.Tensor {
    const keep = pc.nonMaxSuppression(pc.slice(x, [0, 0], [-1, 4]), pc.reshape(pc.slice(x, [0, 4], [-1, 1]), [-1]), 2);
    return pc.gather(x, keep);
  }
}

/** Thresholds x [batch, 4, 1] (read as one image of batch rows) at its Otsu level. */
class OtsuMask extends pc.Model {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.cast(pc.threshold(pc.mul(x, 255), 'otsu'), 'float32');
  }
}

describe('ops decided on the host do not export, and the exporter says which', () => {
  it('nonMaxSuppression and threshold\'s Otsu level are named as ops without an ONNX mapping', async () => {
    await pc.setBackend('naive');
    const [keep, otsu] = [new KeepSelected({ name: 'keep' }), new OtsuMask({ name: 'otsu' })];
    expect(() => exportOnnx(keep, { inputShape: [5] })).toThrow(/^exportOnnx: op 'nonMaxSuppression' in layer 'keep' cannot be exported: it has no ONNX mapping/);
    expect(() => exportOnnx(otsu, { inputShape: [4, 1] })).toThrow(/^exportOnnx: op 'otsuLevel' in layer 'otsu' cannot be exported: it has no ONNX mapping/);
    keep.dispose();
    otsu.dispose();
  });
});
