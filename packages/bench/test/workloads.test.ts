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
    expect(MODEL_NAMES).toEqual(['lab', 'wide', 'sequence', 'separable']);
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
    expect(frameworks.flatMap((driver) => [driver.cannotBuild(sequence, 'train'), driver.cannotBuild(sequence, 'predict')])).toEqual([null, null, null, null]);
  });
});

describe('the separable workload', () => {
  const separable = MODELS.separable;

  it('is a CNN of a Conv2D(16) then SeparableConv2D(32) and (64) on each image as [28, 28, 1], then 10 classes; batch 32, Adam 1e-3', () => {
    expect(separable).toEqual({
      kind: 'cnn', name: 'separable', title: 'separable CNN Conv2D(16)-SeparableConv2D(32)-SeparableConv2D(64)-10 on 28×28 images',
      inputShape: [28, 28, 1], convFilters: 16, separableFilters: [32, 64], classes: 10, batchSize: 32, learningRate: 1e-3,
    });
    expect(sampleSize(separable)).toBe(784);
  });

  it('is built by Perceptron on every backend, trained by tfjs-layers where tfjs has the convolution gradients, and not built by the plain JS loop', () => {
    expect(new PerceptronDriver('tfjs-wasm').cannotBuild()).toBeNull();
    expect(new TfjsDriver('tfjs-cpu').cannotBuild(separable, 'train')).toBeNull();
    expect(new TfjsDriver('tfjs-wasm').cannotBuild(separable, 'train')).toBe(
      'tfjs-layers cannot train the CNN on tfjs-wasm: tfjs registers no Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropFilter kernels there',
    );
    // Predicting needs only the forward kernels, which tfjs-wasm has.
    expect(new TfjsDriver('tfjs-wasm').cannotBuild(separable, 'predict')).toBeNull();
    expect(new TfjsDriver('tfjs-wasm').cannotBuild(MODELS.sequence, 'train')).toBeNull();
    expect(new PlainJsDriver().cannotBuild(separable)).toBe('the plain JS loop is written for MLPs only and has no CNN');
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

  it('counts the CNN\'s convolutions (depthwise and pointwise apart) and its Dense', () => {
    // 26×26 after the 3×3 Conv2D of 1 → 16 channels; 13×13 and 6×6 after each pooling, where each
    // SeparableConv2D has 9 taps per channel, then a 1×1 product to its filters.
    const conv = 26 * 26 * 9 * 16;
    const first = 13 * 13 * 16 * 9 + 13 * 13 * 16 * 32;
    const second = 6 * 6 * 32 * 9 + 6 * 6 * 32 * 64;
    expect(forwardFlopsPerSample(MODELS.separable)).toBe(2 * (conv + first + second + 64 * 10));
  });
});
