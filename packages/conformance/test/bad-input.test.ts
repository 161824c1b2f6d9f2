import {
  GradientTape, add, all, einsum, gatherND, prod, topk, transform, resizeBilinear, resizeNearestNeighbor, scatterND, argMax, argMin, avgPool2d, cumsum, avgPool2dBackprop, concat, conv2d, conv2dBackpropFilter, conv2dBackpropInput,
  depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput, fill, fusedConv2d, fusedDepthwiseConv2d, gather, groupedConv2d, less,
  listBackends, logicalAnd, logicalNot, logicalOr, matMul, maxPool2d, maxPool2dBackprop, memory, registerBackend, runOp, setBackend, sum, tensor, tidy, randomNormal,
  randomUniform, reverse, round, sin, slice, split, stack, tile, unstack, variable, zeros,
} from '@perceptron/core';
import { expect } from 'vitest';
import { withoutFusedKernels } from '../src/backends.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { onBackend } from './support/on-backend.js';

// Errors say what was expected and what was given.
forEachBackend('bad input', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('add with shapes that do not broadcast names both shapes', () => tidy(() => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/add.*\[2,3\].*\[4\]/);
  }));

  test('matMul with mismatched inner dimensions names both shapes', () => tidy(() => {
    expect(() => matMul(zeros([2, 3]), zeros([4, 5]))).toThrow(/matMul.*\[2,3\].*\[4,5\]/);
    expect(() => matMul(zeros([3, 2]), zeros([3, 4]), true, true)).toThrow(/\[3,2\] \(transposed\).*\[3,4\] \(transposed\)/);
  }));

  test('conv2d names what it expected and what it got: ranks, channels, dtypes, settings, sizes', () => tidy(() => {
    const [x, filter] = [zeros([1, 5, 5, 2]), zeros([3, 3, 2, 4])];
    expect(() => conv2d(zeros([5, 5, 2]), filter)).toThrow('conv2d: expected x of rank 4 [batch, height, width, channels], got shape [5,5,2]');
    expect(() => conv2d(x, zeros([3, 3, 2]))).toThrow('conv2d: expected filter of rank 4 [filterHeight, filterWidth, inChannels, outChannels], got shape [3,3,2]');
    expect(() => conv2d(x, zeros([3, 3, 3, 4]))).toThrow('conv2d: x [1,5,5,2] has 2 channels but the filter [3,3,3,4] expects 3 (its third dimension)');
    expect(() => conv2d(x, zeros([0, 3, 2, 4]))).toThrow('conv2d: the filter [0,3,2,4] has no taps; its height and width must be at least 1');
    expect(() => conv2d(tensor(new Int32Array(50), [1, 5, 5, 2], 'int32'), filter)).toThrow('conv2d: x and filter must be float32, got int32 and float32');
    expect(() => conv2d(x, filter, { strides: 0 })).toThrow('conv2d: strides must be a positive integer or two of them [height, width], got 0');
    expect(() => conv2d(x, filter, { dilations: [1, 2, 1] as never })).toThrow('conv2d: dilations must be a positive integer or two of them [height, width], got [1,2,1]');
    expect(() => conv2d(x, filter, { padding: 'SAME' as never })).toThrow('conv2d: padding must be \'valid\' or \'same\', got "SAME"');
    expect(() => conv2d(x, filter, { strides: [1, 2], dilations: 2 })).toThrow('conv2d: dilations > 1 need strides 1 (as in Keras), got dilations [2,2] and strides [1,2]');
    expect(() => conv2d(x, filter, { stride: 2 } as never)).toThrow('conv2d: unknown setting stride; expected strides, padding, dilations');
    expect(() => conv2d(zeros([1, 2, 5, 2]), filter)).toThrow("conv2d: with padding 'valid' the input must be at least as large as the 3×3 window, got 2×5 (shape [1,2,5,2])");
  }));

  test('the backward convolutions check their shape arguments and that dy is the convolution\'s output', () => tidy(() => {
    const [x, filter, dy] = [zeros([1, 5, 5, 2]), zeros([3, 3, 2, 4]), zeros([1, 3, 3, 4])];
    expect(() => conv2dBackpropInput(dy, filter, [1, 5, 5] as never)).toThrow('conv2dBackpropInput: expected inputShape to be 4 non-negative integers [batch, height, width, channels], got [1,5,5]');
    expect(() => conv2dBackpropInput(dy, filter, [1, 5, 5, 3])).toThrow('conv2dBackpropInput: inputShape [1,5,5,3] has 3 channels but the filter [3,3,2,4] expects 2 (its third dimension)');
    expect(() => conv2dBackpropInput(zeros([1, 4, 4, 4]), filter, [1, 5, 5, 2])).toThrow(
      "conv2dBackpropInput: expected dy of shape [1,3,3,4], the output of convolving [1,5,5,2] by a filter [3,3,2,4] with strides [1,1], padding 'valid', dilations [1,1], got [1,4,4,4]",
    );
    expect(() => conv2dBackpropInput(dy, filter, [1, 5, 5, 2], { padding: 'same' })).toThrow('conv2dBackpropInput: expected dy of shape [1,5,5,4]');
    expect(() => conv2dBackpropFilter(x, dy, [3, 3, 2, 0])).toThrow('conv2dBackpropFilter: expected filterShape to be 4 positive integers [filterHeight, filterWidth, inChannels, outChannels], got [3,3,2,0]');
    expect(() => conv2dBackpropFilter(x, zeros([1, 3, 3, 5]), [3, 3, 2, 4])).toThrow('conv2dBackpropFilter: expected dy of shape [1,3,3,4]');
    expect(() => conv2dBackpropFilter(x, zeros([2, 3, 3, 4]), [3, 3, 2, 4])).toThrow('got [2,3,3,4]');
    expect(() => conv2dBackpropFilter(x, dy, [3, 3, 1, 4])).toThrow('conv2dBackpropFilter: x [1,5,5,2] has 2 channels but filterShape [3,3,1,4] expects 1 (its third dimension)');
  }));

  test('the depthwise convolutions name their own filter layout and the output of channels × multiplier', () => tidy(() => {
    const [x, filter, dy] = [zeros([1, 5, 5, 2]), zeros([3, 3, 2, 4]), zeros([1, 3, 3, 8])];
    expect(() => depthwiseConv2d(x, zeros([3, 3, 2]))).toThrow('depthwiseConv2d: expected filter of rank 4 [filterHeight, filterWidth, inChannels, channelMultiplier], got shape [3,3,2]');
    expect(() => depthwiseConv2d(x, zeros([3, 3, 3, 4]))).toThrow('depthwiseConv2d: x [1,5,5,2] has 2 channels but the filter [3,3,3,4] expects 3 (its third dimension)');
    expect(() => depthwiseConv2dBackpropInput(zeros([1, 3, 3, 4]), filter, [1, 5, 5, 2])).toThrow(
      "depthwiseConv2dBackpropInput: expected dy of shape [1,3,3,8], the output of convolving [1,5,5,2] by a filter [3,3,2,4] with strides [1,1], padding 'valid', dilations [1,1], got [1,3,3,4]",
    );
    expect(() => depthwiseConv2dBackpropFilter(x, dy, [3, 3, 2, 0])).toThrow(
      'depthwiseConv2dBackpropFilter: expected filterShape to be 4 positive integers [filterHeight, filterWidth, inChannels, channelMultiplier], got [3,3,2,0]',
    );
    expect(() => depthwiseConv2dBackpropFilter(x, dy, [3, 3, 2, 4], { strides: [2, 2], dilations: 2 })).toThrow('depthwiseConv2dBackpropFilter: dilations > 1 need strides 1');
  }));

  test('the fused convolutions name the bias they expected (one per output channel), the activation and the settings', () => tidy(() => {
    const x = zeros([1, 5, 5, 2]);
    expect(() => fusedConv2d(x, zeros([3, 3, 2, 4]), { bias: zeros([2]) })).toThrow(
      'fusedConv2d: expected a float32 bias [4] (one value per output channel of the filter [3,3,2,4]), got float32 [2]',
    );
    expect(() => fusedDepthwiseConv2d(x, zeros([3, 3, 2, 3]), { bias: zeros([3]) })).toThrow(
      'fusedDepthwiseConv2d: expected a float32 bias [6] (one value per output channel of the filter [3,3,2,3]), got float32 [3]',
    );
    expect(() => fusedConv2d(x, zeros([3, 3, 2, 4]), { bias: zeros([4], 'int32') })).toThrow('fusedConv2d: expected a float32 bias [4]');
    expect(() => fusedConv2d(x, zeros([3, 3, 2, 4]), { activation: 'gelu' as 'relu' })).toThrow(
      "fusedConv2d: unknown activation 'gelu'; expected one of linear, relu, sigmoid, tanh",
    );
    expect(() => fusedDepthwiseConv2d(x, zeros([3, 3, 2, 3]), { padding: 'full' as 'same' })).toThrow(/fusedDepthwiseConv2d: .*padding/);
    expect(() => fusedConv2d(x, zeros([3, 3, 3, 4]))).toThrow('fusedConv2d: x [1,5,5,2] has 2 channels but the filter [3,3,3,4] expects 3 (its third dimension)');
    expect(() => groupedConv2d(x, zeros([3, 3, 1, 4]), 2, { bias: zeros([2]) })).toThrow(
      'groupedConv2d: expected a float32 bias [4] (one value per output channel of the filter [3,3,1,4]), got float32 [2]',
    );
    expect(() => groupedConv2d(x, zeros([3, 3, 1, 3]), 2)).toThrow(
      "groupedConv2d: 2 groups need x's 2 channels to be 2 × the filter's third dimension and the filter's 3 output channels a multiple of 2; got x [1,5,5,2] and filter [3,3,1,3]",
    );
  }));

  test('a rejected convolution of nested arrays frees the tensors it made of them', () => {
    const before = memory().numTensors;
    const image = [[[[1], [2]], [[3], [4]]]];
    expect(() => conv2d(image, [[[[1, 2]]]], { strides: 3, dilations: 2 })).toThrow('conv2d: dilations > 1 need strides 1');
    expect(() => conv2dBackpropFilter(image, [[[[1]]]], [1, 1, 1, 1])).toThrow('conv2dBackpropFilter: expected dy of shape [1,2,2,1]');
    expect(() => fusedConv2d(image, [[[[1, 2]]]], { bias: [1, 2, 3] })).toThrow('fusedConv2d: expected a float32 bias [2]');
    expect(memory().numTensors).toBe(before);
  });

  test('the poolings name what they expected and what they got: ranks, dtypes, settings, sizes', () => tidy(() => {
    const x = zeros([1, 5, 5, 2]);
    expect(() => maxPool2d(zeros([5, 5, 2]))).toThrow('maxPool2d: expected x of rank 4 [batch, height, width, channels], got shape [5,5,2]');
    expect(() => avgPool2d(tensor(new Int32Array(50), [1, 5, 5, 2], 'int32'))).toThrow('avgPool2d: x must be float32, got int32');
    expect(() => maxPool2d(x, { poolSize: 0 })).toThrow('maxPool2d: poolSize must be a positive integer or two of them [height, width], got 0');
    expect(() => avgPool2d(x, { strides: [1, 2, 1] as never })).toThrow('avgPool2d: strides must be a positive integer or two of them [height, width], got [1,2,1]');
    expect(() => maxPool2d(x, { padding: 'SAME' as never })).toThrow('maxPool2d: padding must be \'valid\' or \'same\', got "SAME"');
    expect(() => maxPool2d(x, { pool_size: 2 } as never)).toThrow('maxPool2d: unknown setting pool_size; expected poolSize, strides, padding');
    expect(() => avgPool2d(x, null as never)).toThrow('avgPool2d: expected settings {poolSize, strides, padding}, got null');
    expect(() => avgPool2d(x, { poolSize: [6, 2] })).toThrow("avgPool2d: with padding 'valid' the input must be at least as large as the 6×2 window, got 5×5 (shape [1,5,5,2])");
  }));

  test('the pooling gradients check their shape argument and that dy is the pooling\'s output', () => tidy(() => {
    const [x, dy] = [zeros([1, 5, 5, 2]), zeros([1, 2, 2, 2])];
    expect(() => maxPool2dBackprop(dy, zeros([1, 5, 5]))).toThrow('maxPool2dBackprop: expected x of rank 4 [batch, height, width, channels], got shape [1,5,5]');
    expect(() => maxPool2dBackprop(dy, tensor(new Int32Array(50), [1, 5, 5, 2], 'int32'))).toThrow('maxPool2dBackprop: dy and x must be float32, got float32 and int32');
    expect(() => maxPool2dBackprop(zeros([1, 3, 3, 2]), x)).toThrow(
      "maxPool2dBackprop: expected dy of shape [1,2,2,2], the output of pooling [1,5,5,2] with poolSize [2,2], strides [2,2], padding 'valid', got [1,3,3,2]",
    );
    expect(() => maxPool2dBackprop(dy, x, { padding: 'same' })).toThrow('maxPool2dBackprop: expected dy of shape [1,3,3,2]');
    expect(() => maxPool2dBackprop(zeros([1, 2, 2, 3]), x)).toThrow('got [1,2,2,3]');
    expect(() => avgPool2dBackprop(dy, [1, 5, 5] as never)).toThrow('avgPool2dBackprop: expected inputShape to be 4 non-negative integers [batch, height, width, channels], got [1,5,5]');
    expect(() => avgPool2dBackprop(dy, [1, 5.5, 5, 2])).toThrow('avgPool2dBackprop: expected inputShape to be 4 non-negative integers [batch, height, width, channels], got [1,5.5,5,2]');
    expect(() => avgPool2dBackprop(dy, [1, 5, 5, 2], { poolSize: 3, strides: 1 })).toThrow('avgPool2dBackprop: expected dy of shape [1,3,3,2], the output of pooling [1,5,5,2]');
    expect(() => avgPool2dBackprop(tensor(new Int32Array(8), [1, 2, 2, 2], 'int32'), [1, 5, 5, 2])).toThrow('avgPool2dBackprop: dy must be float32, got int32');
  }));

  test('a rejected pooling of nested arrays frees the tensors it made of them', () => {
    const before = memory().numTensors;
    const image = [[[[1], [2]], [[3], [4]]]];
    expect(() => maxPool2d(image, { poolSize: 3 })).toThrow("maxPool2d: with padding 'valid' the input must be at least as large as the 3×3 window");
    expect(() => maxPool2dBackprop([[[[1, 2]]]], image, { strides: 1 })).toThrow('maxPool2dBackprop: expected dy of shape [1,1,1,1]');
    expect(() => avgPool2dBackprop([[[[1]]]], [1, 2, 2, 1], { strides: 1, padding: 'same' })).toThrow('avgPool2dBackprop: expected dy of shape [1,2,2,1]');
    expect(memory().numTensors).toBe(before);
  });

  test('an axis on a scalar is an error naming the op, on every backend alike', () => tidy(() => {
    const s = tensor(5);
    expect(() => gather(s, tensor([0], [1], 'int32'))).toThrow('gather: a scalar has no axis 0; expected a tensor of rank >= 1');
    expect(() => concat([s, s])).toThrow('concat: a scalar has no axis 0');
    expect(() => sum(s, 0)).toThrow('sum: a scalar has no axis 0');
    expect(() => argMax(s)).toThrow('argMax: a scalar has no axis 0');
    expect(() => argMin(s)).toThrow('argMin: a scalar has no axis 0');
  }));

  test('tile, reverse, argMin, cumsum, the logical and the float-only ops name what is wrong, and leave no tensor', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = zeros([2, 3]);
      expect(() => tile(x, [2])).toThrow('tile: expected reps of 2 non-negative integers, one per dimension of [2,3], got [2]');
      expect(() => tile(x, [1, -1])).toThrow('tile: expected reps of 2 non-negative integers, one per dimension of [2,3], got [1,-1]');
      expect(() => reverse(x, [1, -1])).toThrow('reverse: axis [1,-1] repeats an axis');
      expect(() => reverse(x, 2)).toThrow('reverse: axis 2 is out of range for a tensor of rank 2');
      expect(() => argMin(zeros([2, 0]), 1)).toThrow('argMin: axis 1 of shape [2,0] is empty');
      const truth = tensor([1, 0], [2], 'bool');
      expect(() => logicalAnd(truth, tensor([1, 0]))).toThrow('logicalAnd: expected bool tensors, got float32 [2]');
      expect(() => logicalNot(tensor([1, 0], [2], 'int32'))).toThrow('logicalNot: expected bool tensors, got int32 [2]');
      expect(() => all(x)).toThrow('all: expected bool tensors, got float32 [2,3]');
      expect(() => sin(tensor([1], [1], 'int32'))).toThrow('sin: expected a float32 tensor, got int32; cast it first');
      expect(() => cumsum(truth)).toThrow('cumsum: expected a float32 or int32 tensor, got bool; cast it first');
      expect(() => cumsum(x, 2)).toThrow('cumsum: axis 2 is out of range for a tensor of rank 2');
      expect(() => round(tensor([1], [1], 'bool'))).toThrow('round: expected a float32 tensor, got bool; cast it first');
      expect(() => logicalOr(truth, tensor([1, 0, 1], [3], 'bool'))).toThrow(/\[2\].*\[3\]/);
    });
    expect(memory().numTensors).toBe(before);
  });

  test('prod, topk, gatherND, scatterND and the resize ops name what is wrong, and leave no tensor', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = zeros([2, 3]);
      const at = (values: number[], shape: number[]) => tensor(values, shape, 'int32');
      expect(() => prod(tensor([1, 0], [2], 'bool'))).toThrow('prod: expected a float32 or int32 tensor, got bool; cast it first');
      expect(() => prod(x, [0, 2])).toThrow('prod: axis 2 is out of range for a tensor of rank 2');
      expect(() => topk(x, 4)).toThrow('topk: k must be an integer in [0, 3] (the last axis of [2,3]), got 4');
      expect(() => topk(x, 1.5)).toThrow('topk: k must be an integer in [0, 3] (the last axis of [2,3]), got 1.5');
      expect(() => topk(tensor(2))).toThrow('topk: a scalar has no last axis; expected a tensor of rank >= 1');
      expect(() => topk(tensor([1, 0], [2], 'bool'))).toThrow('topk: expected a float32 or int32 tensor, got bool; cast it first');
      expect(() => gatherND(x, tensor([[0, 1]]))).toThrow('gatherND: expected int32 indices whose last dimension (at most 2) indexes [2,3], got float32 [1,2]');
      expect(() => gatherND(x, at([0, 1, 2], [1, 3]))).toThrow('gatherND: expected int32 indices whose last dimension (at most 2) indexes [2,3], got int32 [1,3]');
      expect(() => gatherND(x, at([1, 0, 1, 3], [2, 2]))).toThrow('gatherND: index 3 at position 3 is outside [0, 3) for dimension 1 of [2,3]');
      expect(() => scatterND(at([0, 4], [2, 1]), zeros([2]), [4])).toThrow('scatterND: index 4 at position 1 is outside [0, 4) for dimension 0 of [4]');
      expect(() => scatterND(at([0, 1], [2, 1]), zeros([2, 2]), [4, 3])).toThrow("scatterND: expected updates of shape [2,3] (indices' leading dimensions, then shape's beyond the first 1), got [2,2]");
      expect(() => scatterND(at([0], [1, 1]), zeros([1]), [2.5])).toThrow('scatterND: expected shape to be non-negative integers, got [2.5]');
      const images = zeros([1, 4, 4, 1]);
      expect(() => resizeBilinear(x, [2, 2])).toThrow('resizeBilinear: expected images of rank 4 [batch, height, width, channels] or rank 3 [height, width, channels], got shape [2,3]');
      expect(() => resizeBilinear(images, [2, 0])).toThrow('resizeBilinear: expected size to be two positive integers [height, width], got [2,0]');
      expect(() => resizeNearestNeighbor(images, [2] as never)).toThrow('resizeNearestNeighbor: expected size to be two positive integers [height, width], got [2]');
      expect(() => resizeBilinear(images, [2, 2], true, true)).toThrow('resizeBilinear: alignCorners and halfPixelCenters cannot both be true');
      expect(() => resizeNearestNeighbor(zeros([1, 0, 4, 1]), [2, 2])).toThrow('resizeNearestNeighbor: cannot resize images with no pixels, got shape [1,0,4,1]');
      expect(() => resizeBilinear(tensor([1, 0, 1, 1], [2, 2, 1], 'bool'), [3, 3])).toThrow('resizeBilinear: expected float32 or int32 images, got bool; cast them first');
    });
    expect(memory().numTensors).toBe(before);
  });

  test('transform names what is wrong, and leaves no tensor', () => {
    const before = memory().numTensors;
    tidy(() => {
      const images = zeros([2, 4, 4, 1]);
      const identity = [[1, 0, 0, 0, 1, 0, 0, 0]];
      expect(() => transform(zeros([4, 4, 1]), identity)).toThrow('transform: expected images of rank 4 [batch, height, width, channels], got shape [4,4,1]');
      expect(() => transform(tensor([1, 0, 1, 1], [1, 2, 2, 1], 'bool'), identity)).toThrow('transform: expected float32 or int32 images, got bool; cast them first');
      expect(() => transform(zeros([1, 0, 4, 1]), identity)).toThrow('transform: cannot transform images with no pixels, got shape [1,0,4,1]');
      expect(() => transform(images, [[1, 0, 0, 0, 1, 0]])).toThrow('transform: expected float32 transforms of shape [2,8] (one row per image) or [1,8] (one for all), got float32 [1,6]');
      expect(() => transform(images, zeros([3, 8]))).toThrow('transform: expected float32 transforms of shape [2,8] (one row per image) or [1,8] (one for all), got float32 [3,8]');
      expect(() => transform(images, zeros([8]))).toThrow('transform: expected float32 transforms of shape [2,8] (one row per image) or [1,8] (one for all), got float32 [8]');
      expect(() => transform(images, zeros([1, 8], 'int32'))).toThrow('transform: expected float32 transforms of shape [2,8] (one row per image) or [1,8] (one for all), got int32 [1,8]');
      expect(() => transform(images, identity, 'cubic' as never)).toThrow(`transform: expected interpolation 'nearest' or 'bilinear', got "cubic"`);
      expect(() => transform(images, identity, 'nearest', 'mirror' as never)).toThrow(`transform: expected fillMode 'constant', 'reflect', 'wrap' or 'nearest', got "mirror"`);
      expect(() => transform(images, identity, 'nearest', 'constant', '0' as never)).toThrow('transform: expected fillValue to be a number, got "0"');
      expect(() => transform(images, identity, 'nearest', 'constant', 0, [2, 0])).toThrow('transform: expected outputShape to be two positive integers [height, width], got [2,0]');
      expect(() => transform(images, identity, 'nearest', 'constant', 0, [3] as never)).toThrow('transform: expected outputShape to be two positive integers [height, width], got [3]');
    });
    expect(memory().numTensors).toBe(before);
  });

  test('einsum names the equation, the operand and the shapes it expected and got, and leaves no tensor', () => {
    const before = memory().numTensors;
    tidy(() => {
      const [a, b] = [zeros([2, 3]), zeros([3, 4])];
      expect(() => einsum('ij,j.k->ik', a, b)).toThrow("einsum: malformed equation 'ij,j.k->ik': expected each operand's subscripts to be letters with at most one '...', got 'j.k'");
      expect(() => einsum('ij->jk->k', a)).toThrow("einsum: malformed equation 'ij->jk->k': expected at most one '->'");
      expect(() => einsum('ij->i-', a)).toThrow("einsum: malformed equation 'ij->i-': expected the output's subscripts after '->' to be letters with at most one '...', got 'i-'");
      expect(() => einsum('ij,jk->ik', a)).toThrow("einsum: equation 'ij,jk->ik' has 2 operand subscripts but 1 operand was given");
      expect(() => einsum('ijk,jk->ik', a, b)).toThrow("einsum: operand 0 of 'ijk,jk->ik' has shape [2,3] (rank 2) but its subscripts 'ijk' name 3 dimensions");
      expect(() => einsum('...ijk', a)).toThrow("einsum: operand 0 of '...ijk' has shape [2,3] (rank 2) but its subscripts '...ijk' name at least 3 dimensions");
      expect(() => einsum('ij,jk->ik', a, zeros([4, 5]))).toThrow("einsum: index 'j' of 'ij,jk->ik' has size 3 (dimension 1 of operand 0 [2,3]) but 4 (dimension 0 of operand 1 [4,5])");
      expect(() => einsum('ij,jk->ik', a, zeros([1, 4]))).toThrow("einsum: index 'j' of 'ij,jk->ik' has size 3 (dimension 1 of operand 0 [2,3]) but 1 (dimension 0 of operand 1 [1,4])");
      expect(() => einsum('ii->i', a)).toThrow("einsum: index 'i' of 'ii->i' has size 2 (dimension 0 of operand 0 [2,3]) but 3 (dimension 1 of operand 0 [2,3])");
      expect(() => einsum('ij->k', a)).toThrow("einsum: output index 'k' of 'ij->k' appears in no input");
      expect(() => einsum('ij->jj', a)).toThrow("einsum: output index 'j' of 'ij->jj' is repeated; each output index appears once");
      expect(() => einsum('...j->j', a)).toThrow("einsum: the output of '...j->j' has no '...' to keep the dimensions '...' stands for in the inputs: [2] in operand 0 [2,3]");
      expect(() => einsum('...j,...j->...j', a, zeros([4, 3]))).toThrow("einsum: the dimensions '...' stands for in '...j,...j->...j' do not broadcast: [2] in operand 0 [2,3], [4] in operand 1 [4,3]");
      expect(() => einsum('ij,jk->ik', a, zeros([3, 4], 'int32'))).toThrow("einsum: expected float32 operands, got int32 [3,4] for operand 1 of 'ij,jk->ik'; cast it first");
      expect(() => einsum(3 as never, a)).toThrow("einsum: expected an equation such as 'ij,jk->ik', got 3");
      expect(() => einsum('ij,jk->ik', [[1, 2]], [[1, 2]])).toThrow("einsum: index 'j' of 'ij,jk->ik' has size 2 (dimension 1 of operand 0 [1,2]) but 1 (dimension 0 of operand 1 [1,2])");
    });
    expect(memory().numTensors).toBe(before);
  });

  test('a fraction beside an int32 tensor is an error, not a silent truncation', () => tidy(() => {
    const ints = tensor([1, 2], [2], 'int32');
    expect(() => add(ints, 0.5)).toThrow('add: argument 1 holds 0.5, which is not an integer, beside an int32 tensor; cast that tensor to float32 first');
    expect(() => less(ints, [[0, 1.5]])).toThrow('less: argument 1 holds 1.5');
    expect(Array.from(add(ints, 3).dataSync())).toEqual([4, 5]);
  }));

  test('slice, concat, split, stack and random draws name what is wrong', () => tidy(() => {
    const x = tensor([1, 2, 3]);
    expect(() => slice(x, [0, 0], [1, 1])).toThrow('slice: begin [0,0] and size [1,1] have more entries than shape [3] has dimensions');
    expect(() => concat([x, tensor([1], [1], 'int32')])).toThrow('concat: expected tensors of one dtype, got float32, int32');
    expect(() => split(zeros([2, 6]), 4, 1)).toThrow('split: expected a count of pieces that divides dimension 1 (6) of shape [2,6], got 4');
    expect(() => split(zeros([2, 6]), [2, 2], 1)).toThrow('split: expected sizes (at most one -1) adding up to dimension 1 (6) of shape [2,6], got [2,2]');
    expect(() => split(zeros([2, 6]), [-1, 7], 1)).toThrow('split: expected sizes (at most one -1) adding up to dimension 1 (6) of shape [2,6], got [-1,7]');
    expect(() => split(zeros([2, 6]), 2, 2)).toThrow('split: axis 2 is out of range for a tensor of rank 2 (expected -2 <= axis < 2)');
    expect(() => unstack(tensor(1))).toThrow('unstack: a scalar has no axis 0; expected a tensor of rank >= 1');
    expect(() => stack([zeros([2, 3]), zeros([3, 2])])).toThrow('stack: expected tensors of one shape, got [2,3], [3,2]');
    expect(() => stack([])).toThrow('stack: expected at least one tensor, got none');
    expect(() => randomUniform([-2])).toThrow('randomUniform: expected a shape of non-negative integers, got [-2]');
    expect(() => randomNormal([1.5])).toThrow('randomNormal: expected a shape of non-negative integers, got [1.5]');
  }));

  test('an unknown dtype is an error naming the op', () => {
    expect(() => tensor([1], undefined, 'float64' as never)).toThrow('tensor: unknown dtype "float64"; expected one of float32, int32, bool');
    expect(() => fill([2], 1, 'float64' as never)).toThrow('fill: unknown dtype "float64"');
  });

  test('GradientTape: sources and targets that are not tensors are errors, not gaps', () => tidy(() => {
    const x = tensor([1, 2]);
    const tape = new GradientTape({ persistent: true });
    expect(() => tape.watch(3 as never)).toThrow('GradientTape.watch: expected a tensor (or an array of them), got number');
    tape.watch(x);
    const y = tape.record(() => sum(x));
    expect(() => tape.gradient(y, [x, null] as never)).toThrow('GradientTape.gradient: expected each source to be a tensor, got null');
    expect(() => tape.gradient(y, { a: x, b: 5 } as never)).toThrow('GradientTape.gradient: expected each source to be a tensor, got number');
    expect(() => tape.gradient(3 as never, x)).toThrow('GradientTape.gradient: expected the target to be a tensor (or an array of them), got number');
    tape.dispose();
  }));

  test('setBackend with an unknown name lists the registered backends', async () => {
    const error = await setBackend('no-such-backend').then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/unknown backend 'no-such-backend'/);
    for (const { name } of listBackends()) expect(error?.message).toContain(name);
  });

  test('using a disposed tensor fails, naming the op and the tensor', () => {
    const x = tensor([1, 2, 3]);
    x.dispose();
    expect(() => add(x, 1)).toThrow(/add: tensor \d+ \(shape \[3\], float32\) has been disposed/);
    expect(() => x.dataSync()).toThrow(/dataSync: .* has been disposed/);
  });

  test('mixing tensors of two backends fails, naming both backends', async () => {
    const other = `${backend}-other`;
    if (!listBackends().some((b) => b.name === other)) {
      const base = await setBackend(backend);
      registerBackend(other, { create: () => withoutFusedKernels(base, other) });
    }
    const a = tensor([1, 2]);
    const b = await onBackend(other, () => tensor([3, 4]));
    expect(() => add(a, b)).toThrow(new RegExp(`add: an input lives on backend '${other}' but the active backend is '${backend}'`));
    a.dispose();
    b.dispose();
  });

  test('a gradient through an op without a gradient raises instead of returning null', () => tidy(() => {
    const x = variable([1, 2]);
    const tape = new GradientTape();
    const y = tape.record(() => sum(runOp({ name: 'gradientless', inputs: [x], shape: [2], dtype: 'float32', kernel: (b) => b.exp(x) })));
    expect(() => tape.gradient(y, x)).toThrow(/no gradient is registered for op 'gradientless'/);
    x.dispose();
  }));

  test('an op run while an async backend is still initialising says to await setBackend', async () => {
    const slow = `${backend}-slow`;
    const base = await setBackend(backend);
    const a = tensor([1, 2]);
    registerBackend(slow, { create: () => new Promise((resolve) => setTimeout(() => resolve(withoutFusedKernels(base, slow)), 20)) });
    const pending = setBackend(slow);
    try {
      expect(() => add(a, a)).toThrow(new RegExp(`Backend '${slow}' is still initialising: await setBackend\\('${slow}'\\) before running ops`));
    } finally {
      await pending;
      await setBackend(backend);
      a.dispose();
    }
  });
});

reportTally('bad-input');
