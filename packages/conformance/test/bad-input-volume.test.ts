import { avgPool3d, conv3d, groupedConv3d, maxPool3d, tensor, tidy, zeros } from '@perceptron/core';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

// The volumetric ops' errors name the op, what it expected and what it was given, as the 2-D
// ops' do: their checks come before any of the 2-D ops they are made of could name itself.
forEachBackend('bad input (volumes)', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('conv3d names ranks, channels, dtypes, taps, settings and sizes', () => tidy(() => {
    const [x, filter] = [zeros([1, 4, 5, 5, 2]), zeros([3, 3, 3, 2, 4])];
    expect(() => conv3d(zeros([4, 5, 5, 2]), filter)).toThrow('conv3d: expected x of rank 5 [batch, depth, height, width, channels], got shape [4,5,5,2]');
    expect(() => conv3d(x, zeros([3, 3, 2, 4]))).toThrow('conv3d: expected filter of rank 5 [filterDepth, filterHeight, filterWidth, inChannels, outChannels], got shape [3,3,2,4]');
    expect(() => conv3d(x, zeros([3, 3, 3, 3, 4]))).toThrow('conv3d: x [1,4,5,5,2] has 2 channels but the filter [3,3,3,3,4] expects 3 (its fourth dimension)');
    expect(() => conv3d(x, zeros([3, 0, 3, 2, 4]))).toThrow('conv3d: the filter [3,0,3,2,4] has no taps; its depth, height and width must be at least 1');
    expect(() => conv3d(tensor(new Int32Array(200), [1, 4, 5, 5, 2], 'int32'), filter)).toThrow('conv3d: x and filter must be float32, got int32 and float32');
    expect(() => conv3d(x, filter, { strides: [1, 2] as never })).toThrow('conv3d: strides must be a positive integer or three of them [depth, height, width], got [1,2]');
    expect(() => conv3d(x, filter, { dilations: 0 })).toThrow('conv3d: dilations must be a positive integer or three of them [depth, height, width], got 0');
    expect(() => conv3d(x, filter, { padding: 'SAME' as never })).toThrow('conv3d: padding must be \'valid\' or \'same\', got "SAME"');
    expect(() => conv3d(x, filter, { strides: [2, 1, 1], dilations: [1, 1, 2] })).toThrow('conv3d: dilations > 1 need strides 1 (as in Keras), got dilations [1,1,2] and strides [2,1,1]');
    expect(() => conv3d(x, filter, { stride: 2 } as never)).toThrow('conv3d: unknown setting stride; expected strides, padding, dilations');
    expect(() => conv3d(zeros([1, 2, 5, 5, 2]), filter)).toThrow("conv3d: with padding 'valid' the input must be at least as large as the 3×3×3 window, got 2×5×5 (shape [1,2,5,5,2])");
    expect(() => conv3d(x, filter, { dilations: [2, 1, 1] })).toThrow("conv3d: with padding 'valid' the input must be at least as large as the 5×3×3 window, got 4×5×5");
  }));

  test('groupedConv3d names its groups against the channels and the filter', () => tidy(() => {
    const x = zeros([1, 3, 3, 3, 4]);
    expect(() => groupedConv3d(x, zeros([2, 2, 2, 2, 6]), 3)).toThrow(
      "groupedConv3d: 3 groups need x's 4 channels to be 3 × the filter's fourth dimension and the filter's 6 output channels a multiple of 3; got x [1,3,3,3,4] and filter [2,2,2,2,6]",
    );
    expect(() => groupedConv3d(x, zeros([2, 2, 2, 2, 5]), 2)).toThrow("the filter's 5 output channels a multiple of 2");
    expect(() => groupedConv3d(x, zeros([2, 2, 2, 2, 6]), 0)).toThrow('groupedConv3d: 0 groups need');
    expect(() => groupedConv3d(x, zeros([2, 2, 2, 3, 6]), 1)).toThrow('groupedConv3d: x [1,3,3,3,4] has 4 channels but the filter [2,2,2,3,6] expects 3 (its fourth dimension)');
  }));

  test('maxPool3d and avgPool3d name ranks, dtypes, settings and sizes', () => tidy(() => {
    const x = zeros([2, 4, 4, 4, 3]);
    for (const [op, pool] of [['maxPool3d', maxPool3d], ['avgPool3d', avgPool3d]] as const) {
      expect(() => pool(zeros([2, 4, 4, 3]))).toThrow(`${op}: expected x of rank 5 [batch, depth, height, width, channels], got shape [2,4,4,3]`);
      expect(() => pool(tensor(new Int32Array(8), [1, 2, 2, 2, 1], 'int32'))).toThrow(`${op}: x must be float32, got int32`);
      expect(() => pool(x, { poolSize: [2, 2] as never })).toThrow(`${op}: poolSize must be a positive integer or three of them [depth, height, width], got [2,2]`);
      expect(() => pool(x, { strides: [1, 0, 1] })).toThrow(`${op}: strides must be a positive integer or three of them [depth, height, width], got [1,0,1]`);
      expect(() => pool(x, { padding: 'full' as never })).toThrow(`${op}: padding must be 'valid' or 'same', got "full"`);
      expect(() => pool(x, { dilations: 2 } as never)).toThrow(`${op}: unknown setting dilations; expected poolSize, strides, padding`);
      expect(() => pool(x, { poolSize: [5, 1, 1] })).toThrow(`${op}: with padding 'valid' the input must be at least as large as the 5×1×1 window, got 4×4×4 (shape [2,4,4,4,3])`);
    }
  }));
});

reportTally('bad-input-volume');
