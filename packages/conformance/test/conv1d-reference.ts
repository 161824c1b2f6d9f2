// Keras's 1-D convolutions in float64, for the Conv1D, DepthwiseConv1D and SeparableConv1D tests.
import type * as pc from '@perceptron/core';

/** How a 1-D kernel moves along the steps. */
export interface Window1D {
  kernelSize: number;
  strides: number;
  dilationRate: number;
  padding: pc.Padding1D;
}

/**
 * y[b, o, ·] = bias + Σ_t x[b, o·s + t·d − before, ·] · kernel[t, ·, ·], steps outside the
 * sequence reading zero: 'full', kernel [k, channels / groups, filters], y[b, o, f] sums over
 * the channels of f's group (all of them with one group); 'depthwise', kernel [k, channels, M],
 * y[b, o, c·M + m] reads channel c alone. 'valid': no padding; 'same': ceil(steps / s) outputs,
 * the padding split with the extra one after; 'causal': (k − 1)·d before, then as 'valid'.
 */
export function conv1dReference(
  w: Window1D, shape: readonly number[], x: readonly number[], kernel: readonly number[], bias: readonly number[], connection: 'full' | 'depthwise', groups = 1,
): number[] {
  const [batch, steps, channels] = shape as [number, number, number];
  const kernelChannels = connection === 'full' ? channels / groups : channels;
  const row = kernel.length / (w.kernelSize * kernelChannels);
  const outChannels = connection === 'full' ? row : channels * row;
  const span = (w.kernelSize - 1) * w.dilationRate + 1;
  let before = 0;
  let outputs = Math.floor((steps - span) / w.strides) + 1;
  if (w.padding === 'causal') {
    before = span - 1;
    outputs = Math.floor((steps + before - span) / w.strides) + 1;
  } else if (w.padding === 'same') {
    outputs = Math.ceil(steps / w.strides);
    before = Math.floor(Math.max((outputs - 1) * w.strides + span - steps, 0) / 2);
  }
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outputs; o++) {
      for (let f = 0; f < outChannels; f++) {
        let total = bias[f]!;
        for (let t = 0; t < w.kernelSize; t++) {
          const step = o * w.strides + t * w.dilationRate - before;
          if (step < 0 || step >= steps) continue;
          // Each term: the input channel read, and where its weight sits in the kernel.
          const first = Math.floor(f / (outChannels / groups)) * kernelChannels;
          const read = connection === 'full'
            ? Array.from({ length: kernelChannels }, (_, c) => [first + c, (t * kernelChannels + c) * row + f])
            : [[Math.floor(f / row), (t * channels + Math.floor(f / row)) * row + (f % row)]];
          for (const [ch, at] of read) total += x[(b * steps + step) * channels + ch!]! * kernel[at!]!;
        }
        y.push(total);
      }
    }
  }
  return y;
}
