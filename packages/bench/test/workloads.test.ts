import { describe, expect, it } from 'vitest';
import { shapeFor, type Driver } from '../src/driver.js';
import { PerceptronDriver } from '../src/perceptron-driver.js';
import { PlainJsDriver, plainJsCannotBuild } from '../src/plain-js-driver.js';
import { TfjsDriver } from '../src/tfjs-driver.js';
import { MODELS, MODEL_NAMES, forwardFlopsPerSample, isModelName, sampleSize } from '../src/workloads.js';

describe('the sequence workload', () => {
  const sequence = MODELS.sequence;

  it('is an LSTM of 64 units reading each image as 28 rows of 28 pixels, then 10 classes; batch 32, Adam 1e-3', () => {
    expect(sequence).toEqual({
      kind: 'lstm', name: 'sequence', title: 'sequence LSTM(64)-10 over 28 rows of 28 pixels',
      inputShape: [28, 28], lstmUnits: 64, classes: 10, batchSize: 32, learningRate: 1e-3,
    });
    expect(sampleSize(sequence)).toBe(784);
  });

  it('is a training workload after the two MLPs', () => {
    expect(MODEL_NAMES).toEqual(['lab', 'wide', 'sequence']);
    expect(isModelName('sequence')).toBe(true);
    expect(isModelName('predict')).toBe(false);
  });

  it('shapes the flat images once as [count, 28, 28], and refuses images of another size', () => {
    const images = { x: new Float32Array(3 * 784), y: new Int32Array(3), count: 3, features: 784 };
    expect(shapeFor(sequence, images)).toEqual([3, 28, 28]);
    expect(shapeFor(MODELS.lab, images)).toEqual([3, 784]);
    expect(() => shapeFor(sequence, { ...images, features: 100 })).toThrow('sequence: expected images of 784 values (input shape [28, 28]), got 100');
  });

  it('is built by Perceptron and tfjs-layers, and skipped by the plain JS loop, which says why', () => {
    const reason = 'the plain JS loop is written for MLPs only and has no LSTM';
    expect(plainJsCannotBuild(sequence)).toBe(reason);
    expect(new PlainJsDriver().cannotBuild(sequence)).toBe(reason);
    expect(new PlainJsDriver().cannotBuild(MODELS.wide)).toBeNull();
    const frameworks: Driver[] = [new PerceptronDriver('naive'), new TfjsDriver('tfjs-cpu')];
    expect(frameworks.map((driver) => driver.cannotBuild(sequence))).toEqual([null, null]);
  });
});

describe('forwardFlopsPerSample', () => {
  it('counts 2 × multiply-adds of the Dense products of an MLP', () => {
    expect(forwardFlopsPerSample(MODELS.lab)).toBe(2 * (784 * 16 + 16 * 32 + 32 * 10));
  });

  it('counts both LSTM products of every one of the 28 steps, then the Dense', () => {
    // Per step: x_t [28] · kernel [28, 256] and h [64] · recurrent kernel [64, 256].
    expect(forwardFlopsPerSample(MODELS.sequence)).toBe(28 * 2 * (28 * 256 + 64 * 256) + 2 * 64 * 10);
  });
});
