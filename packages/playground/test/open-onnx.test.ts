// Opening an ONNX model of digits: its input layout read from the file, probabilities told
// from scores, and files that cannot read digits refused with their name and what was wrong.
import '@perceptron/backend-naive';
import * as pc from '@perceptron/core';
import { exportOnnx } from '@perceptron/onnx';
import { beforeAll, describe, expect, it } from 'vitest';
import { classProbabilities, predictClasses } from '../src/classifier.js';
import type { Split } from '../src/mnist.js';
import { openOnnx } from '../src/open-onnx.js';

const COUNT = 6;
let images: Split;

beforeAll(async () => {
  await pc.setBackend('naive');
  pc.setSeed(7);
  const g = new pc.RandomGenerator(11);
  images = { x: Float32Array.from({ length: COUNT * 784 }, () => g.nextFloat()), y: new Int32Array(COUNT), count: COUNT };
});

/** A model reading digits of `shape` into `classes` values, exported to ONNX, and its own predictions for `images` as rows. */
function exported(shape: number[], classes: number, activation: 'softmax' | 'linear'): { bytes: Uint8Array; rows: number[][] } {
  const model = new pc.Sequential([pc.Input({ shape }), new pc.Flatten(), new pc.Dense(classes, { activation })]);
  const bytes = exportOnnx(model);
  const perImage = shape.reduce((a, b) => a * b, 1);
  const y = model.predict(pc.tensor(images.x.subarray(0, COUNT * perImage), [COUNT, ...shape], 'float32')) as pc.Tensor;
  const values = Array.from(y.dataSync());
  pc.dispose(y);
  model.dispose();
  return { bytes, rows: Array.from({ length: COUNT }, (_, i) => values.slice(classes * i, classes * (i + 1))) };
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

describe('openOnnx', () => {
  for (const shape of [[784], [28, 28, 1], [1, 28, 28]]) {
    it(`reads a model of probabilities taking images as [N, ${shape.join(', ')}], as the model predicts them`, () => {
      const { bytes, rows } = exported(shape, 10, 'softmax');
      const opened = openOnnx(bytes, 'digits.onnx', images.x);
      expect(opened.imageShape).toEqual(shape);
      expect(opened.outputs).toBe('probabilities');
      expect(predictClasses(opened, images, COUNT)).toEqual(rows.map(argmax));
      // From image 2 on: the offset reads the right images.
      expect(predictClasses(opened, images, 3, 2)).toEqual(rows.slice(2, 5).map(argmax));
      const got = classProbabilities(opened, images.x.subarray(0, 784));
      got.forEach((p, i) => expect(p).toBeCloseTo(rows[0]![i]!, 6));
      opened.model.dispose();
    });
  }

  it("turns a model's scores (logits) into probabilities with a softmax, computed here in float64", () => {
    const { bytes, rows } = exported([784], 10, 'linear');
    const opened = openOnnx(bytes, 'logits.onnx', images.x);
    expect(opened.outputs).toBe('scores');
    const scores = rows[1]!;
    const top = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - top));
    const total = exps.reduce((a, b) => a + b, 0);
    const got = classProbabilities(opened, images.x.subarray(784, 2 * 784));
    got.forEach((p, i) => expect(p).toBeCloseTo(exps[i]! / total, 6));
    expect(predictClasses(opened, images, COUNT)).toEqual(rows.map(argmax));
    opened.model.dispose();
  });

  it('refuses a model whose input is not 784 values per image, naming the file and the shape', () => {
    const { bytes } = exported([10], 10, 'softmax');
    expect(() => openOnnx(bytes, 'tabular.onnx', images.x)).toThrow(/^tabular\.onnx: expected one input of 784 values per image \(\[N, 784\], \[N, 28, 28, 1\] or \[N, 1, 28, 28\]\), got input '\w+' of shape \[\w+, 10\]$/);
  });

  it('refuses a model that does not give 10 class values per image, and frees what it imported', () => {
    const { bytes } = exported([784], 3, 'softmax');
    const before = pc.memory().numTensors;
    expect(() => openOnnx(bytes, 'three.onnx', images.x)).toThrow(`expected three.onnx to give 10 class values per image, got output [${COUNT},3] for ${COUNT} images`);
    expect(pc.memory().numTensors).toBe(before);
  });

  it('refuses a file that is not ONNX, naming it', () => {
    expect(() => openOnnx(new TextEncoder().encode('not a model'), 'notes.onnx', images.x)).toThrow(/^notes\.onnx is not a valid ONNX model: /);
  });
});
