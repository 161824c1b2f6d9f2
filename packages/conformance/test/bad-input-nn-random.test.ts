import * as pc from '@perceptron/core';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

// tfjs's nn and random ops name themselves, what they expected and what they were given —
// including where the op they wrap would otherwise be the one to complain.
forEachBackend('bad input (nn and random ops)', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);
  const z = pc.zeros;

  test('maxPool, avgPool: ranks, padding, windows, strides, dimRoundingMode', () => pc.tidy(() => {
    expect(() => pc.maxPool(z([2, 3]), 2, 2, 'valid')).toThrow('maxPool: x must be of rank 3 or 4 ([batch, height, width, channels]), got shape [2,3]');
    expect(() => pc.maxPool(z([1, 4, 4, 1]), 2, 2, 'SAME' as never)).toThrow('maxPool: padding must be \'valid\' or \'same\', got "SAME"');
    expect(() => pc.maxPool(z([1, 2, 2, 1]), 3, 1, 'valid')).toThrow("maxPool: with padding 'valid' the input must be at least as large as the 3×3 window, got 2×2 (shape [1,2,2,1])");
    expect(() => pc.maxPool(z([1, 4, 4, 1]), 2, 2, 'valid', 'floor')).toThrow('maxPool: dimRoundingMode applies to a numeric pad; expected pad \'valid\' or \'same\' and no dimRoundingMode, got "floor"');
    expect(() => pc.avgPool(z([1, 4, 4, 1]), 2, 0, 'valid')).toThrow('avgPool: strides must be a positive integer or two of them [height, width], got 0');
  }));

  test('conv1d, conv2dTranspose, separableConv2d, conv3dTranspose: shapes, channels, settings', () => pc.tidy(() => {
    expect(() => pc.conv1d(z([1, 2, 4, 3]), z([2, 3, 1]), 1, 'valid')).toThrow('conv1d: x must be of rank 2 or 3 ([batch, width, inChannels]), got shape [1,2,4,3]');
    expect(() => pc.conv1d(z([1, 4, 3]), z([2, 2, 1]), 1, 'valid')).toThrow('conv1d: x [1,4,3] has 3 channels but the filter [2,2,1] expects 2 (its second dimension)');
    expect(() => pc.conv1d(z([1, 4, 3]), z([2, 3, 1]), 1, 'valid', 'NCW')).toThrow('conv1d: dataFormat must be \'NWC\' (channels last), got "NCW"');
    expect(() => pc.conv1d(z([1, 8, 3]), z([2, 3, 1]), 2, 'valid', 'NWC', 2)).toThrow('conv1d: stride and dilation cannot both be above 1 (as in tfjs), got stride 2 and dilation 2');
    expect(() => pc.conv2dTranspose(z([1, 3, 3, 2]), z([2, 2, 4, 2]), [1, 5, 5, 4], 1, 'valid')).toThrow(
      'conv2dTranspose: x must be [1,4,4,2], the output of convolving outputShape [1,5,5,4] by the filter [2,2,4,2], got [1,3,3,2]',
    );
    expect(() => pc.conv2dTranspose(z([1, 4, 4, 3]), z([2, 2, 4, 2]), [1, 5, 5, 4], 1, 'valid')).toThrow(
      'conv2dTranspose: filter must be [filterHeight, filterWidth, outDepth 4, inDepth 3] for x [1,4,4,3] and outputShape [1,5,5,4], got [2,2,4,2]',
    );
    expect(() => pc.conv2dTranspose(z([1, 3, 3, 2]), z([2, 2, 4, 2]), [5, 5, 4], 1, 'valid')).toThrow(
      "conv2dTranspose: outputShape must have x's rank 4 ([batch?, outHeight, outWidth, outDepth]), got [5,5,4] for x [1,3,3,2]",
    );
    expect(() => pc.separableConv2d(z([1, 4, 4, 2]), z([2, 2, 2, 2]), z([1, 1, 3, 2]), 1, 'valid')).toThrow(
      'separableConv2d: pointwiseFilter must be [1, 1, inChannels · multiplier, outChannels] for depthwiseFilter [2,2,2,2], got [1,1,3,2]',
    );
    expect(() => pc.separableConv2d(z([1, 4, 4, 2]), z([2, 2, 3, 1]), z([1, 1, 3, 2]), 1, 'valid')).toThrow(
      'separableConv2d: depthwiseFilter must be [filterHeight, filterWidth, inChannels 2, multiplier] for x [1,4,4,2], got [2,2,3,1]',
    );
    expect(() => pc.conv3dTranspose(z([1, 2, 2, 2, 2]), z([2, 2, 2, 3, 2]), [1, 4, 4, 4, 3], 1, 'valid')).toThrow(
      "conv3dTranspose: for outputShape [1,4,4,4,3] and filter [2,2,2,3,2], x must be [1,3,3,3,2] and outputShape's last dimension 3; got x [1,2,2,2,2]",
    );
    expect(() => pc.conv3dTranspose(z([1, 2, 2, 2, 2]), z([2, 2, 3, 2]), [1, 3, 3, 3, 3], 1, 'valid')).toThrow(
      'conv3dTranspose: filter must be of rank 5 ([filterDepth, filterHeight, filterWidth, outDepth, inDepth]), got shape [2,2,3,2]',
    );
    expect(() => pc.conv3dTranspose(z([1, 2, 2, 2, 2]), z([2, 2, 2, 3, 2]), [1, 3, 3, 3, 3], 1, 'full' as never)).toThrow('conv3dTranspose: padding must be \'valid\' or \'same\', got "full"');
  }));

  test('batchNorm, localResponseNormalization, dropout, dilation2d, maxPoolWithArgmax, basicLSTMCell', () => pc.tidy(() => {
    expect(() => pc.batchNorm(z([2, 3, 4]), z([2, 4]), z([4]))).toThrow("batchNorm: mean must be of rank 1 or of x's rank 3, each size 1 or x's, got shape [2,4] for x [2,3,4]");
    expect(() => pc.batchNorm(z([2, 3, 4]), z([4]), z([3]))).toThrow("batchNorm: variance must be of rank 1 or of x's rank 3, each size 1 or x's, got shape [3] for x [2,3,4]");
    expect(() => pc.localResponseNormalization(z([1, 2, 2, 3]), 1.5)).toThrow('localResponseNormalization: depthRadius must be a non-negative integer, got 1.5');
    expect(() => pc.localResponseNormalization(z([2, 3]))).toThrow('localResponseNormalization: x must be of rank 3 or 4 ([batch, height, width, channels]), got shape [2,3]');
    expect(() => pc.dropout(z([2, 3]), 1)).toThrow('dropout: rate must be a number in [0, 1), got 1');
    expect(() => pc.dropout(z([2, 3]), 0.5, [2, 2])).toThrow("dropout: noiseShape [2,2] must broadcast to x's shape [2,3] (each size 1 or x's)");
    expect(() => pc.dropout(pc.tensor([1, 2], [2], 'int32'), 0.5)).toThrow('dropout: x must be float32, got int32');
    expect(() => pc.dilation2d(z([1, 4, 4, 2]), z([2, 2, 3]), 1, 'valid')).toThrow('dilation2d: x [1,4,4,2] has 2 channels but the filter [2,2,3] has 3 (its last dimension)');
    expect(() => pc.dilation2d(z([1, 4, 4, 2]), z([2, 2, 2, 1]), 1, 'valid')).toThrow('dilation2d: filter must be of rank 3 ([filterHeight, filterWidth, channels]), got shape [2,2,2,1]');
    expect(() => pc.dilation2d(z([1, 2, 2, 2]), z([3, 3, 2]), 1, 'valid')).toThrow("dilation2d: with padding 'valid' the input must be at least as large as the 3×3 window, got 2×2 (shape [1,2,2,2])");
    expect(() => pc.maxPoolWithArgmax(z([4, 4, 1]), 2, 2, 'valid')).toThrow('maxPoolWithArgmax: x must be of rank 4 ([batch, height, width, channels]), got shape [4,4,1]');
    expect(() => pc.maxPoolWithArgmax(z([1, 4, 4, 1]), 0, 2, 'valid')).toThrow('maxPoolWithArgmax: filterSize must be a positive integer or two of them [height, width], got 0');
    expect(() => pc.basicLSTMCell(z([]), z([5, 12]), z([8]), z([2, 2]), z([2, 3]), z([2, 3]))).toThrow(
      'basicLSTMCell: expected data [batch, inputs], c and h [batch, units], lstmKernel [inputs + units, 4 · units] and lstmBias [4 · units]; got data [2,2], c [2,3], h [2,3], lstmKernel [5,12], lstmBias [8]',
    );
  }));

  test('rand, randomStandardNormal, randomUniformInt, randomGamma, multinomial', () => pc.tidy(() => {
    expect(() => pc.rand([2], 3 as never)).toThrow('rand: randFunction must be a function, got 3');
    expect(() => pc.rand([-1], () => 1)).toThrow('rand: expected a shape of non-negative integers, got [-1]');
    expect(() => pc.randomStandardNormal([2], 'bool' as never)).toThrow('randomStandardNormal: dtype must be \'float32\' or \'int32\', got "bool"');
    expect(() => pc.randomUniformInt([2], 0.5, 3)).toThrow('randomUniformInt: minval must be an integer, got 0.5');
    expect(() => pc.randomUniformInt([2], 3, 3)).toThrow('randomUniformInt: minval (3) must be < maxval (3)');
    expect(() => pc.randomGamma([2], 0)).toThrow('randomGamma: alpha must be a positive number, got 0');
    expect(() => pc.randomGamma([2], 1, -1)).toThrow('randomGamma: beta must be a positive number, got -1');
    expect(() => pc.multinomial(z([3]), 0)).toThrow('multinomial: numSamples must be a positive integer, got 0');
    expect(() => pc.multinomial(z([1, 2, 3]), 2)).toThrow('multinomial: logits must be of rank 1 [outcomes] or 2 [batch, outcomes], got shape [1,2,3]');
    expect(() => pc.multinomial(z([1]), 2)).toThrow('multinomial: expected at least 2 outcomes, got 1 (logits [1])');
  }));
});

reportTally('bad-input-nn-random');
