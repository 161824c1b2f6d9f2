import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';

// ONNX's normalization ops at inference, channels first (X [N, C, ...]): BatchNormalization with
// its running statistics, InstanceNormalization over each sample's channel, LayerNormalization
// over the trailing axes, and LRN across neighbouring channels.

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** A per-channel parameter [C] shaped [1, C, 1, ...] to broadcast against X [N, C, ...]. */
function perChannel(c: NodeContext, i: number, name: string, x: Tensor): Tensor {
  const t = c.tensor(i);
  const channels = x.shape[1];
  if (t.rank !== 1 || t.shape[0] !== channels) c.fail(`${name} must be [C] for X ${pc.formatShape(x.shape)}, [${channels}], got ${pc.formatShape(t.shape)}`);
  return pc.reshape(t, [1, channels!, ...x.shape.slice(2).map(() => 1)]);
}

/** Throws unless the node asks for only its first output (the optional statistics outputs are not computed). */
function onlyFirstOutput(c: NodeContext, outputs: string): void {
  if ((c.node.output ?? []).slice(1).some((name) => name !== '')) c.fail(`the outputs ${outputs} are not supported; only Y`);
}

/** (x − mean) / √(variance + epsilon), the moments of x over `axes`. */
function standardize(x: Tensor, axes: number[], epsilon: number): Tensor {
  const { mean, variance } = pc.moments(x, axes, true);
  return pc.div(pc.sub(x, mean), pc.sqrt(pc.add(variance, epsilon)));
}

/** X of rank 2 or more, [N, C, ...]. */
function channelsFirstInput(c: NodeContext, least: number): Tensor {
  const x = c.tensor(0);
  if (x.rank < least) c.fail(`expected X of rank ${least} or more ([N, C${least > 2 ? ', ...spatial' : ', ...'}]), got X ${pc.formatShape(x.shape)}`);
  return x;
}

export const NORMALIZATION: Readonly<Record<string, Interpreter>> = {
  // Inference: the running mean and variance given as inputs 3 and 4.
  BatchNormalization: (c) => {
    if (c.int('training_mode', 0) !== 0) c.fail(`training_mode ${c.int('training_mode', 0)} is not supported; only 0 (inference with the running statistics)`);
    onlyFirstOutput(c, 'running_mean and running_var (training only)');
    const x = channelsFirstInput(c, 2);
    const [scale, bias, mean, variance] = (['scale', 'B', 'input_mean', 'input_var'] as const).map((name, i) => perChannel(c, i + 1, name, x));
    return pc.batchNorm(x, mean!, variance!, bias, scale, c.float('epsilon', 1e-5));
  },
  InstanceNormalization: (c) => {
    const x = channelsFirstInput(c, 3);
    const normalized = standardize(x, range(2, x.rank), c.float('epsilon', 1e-5));
    return pc.add(pc.mul(normalized, perChannel(c, 1, 'scale', x)), perChannel(c, 2, 'B', x));
  },
  // Over axes [axis, rank); Scale and B broadcast to those axes' shape.
  LayerNormalization: (c) => {
    onlyFirstOutput(c, 'Mean and InvStdDev');
    const x = c.tensor(0);
    const axis = c.int('axis', -1);
    if (!(axis >= -x.rank && axis < x.rank)) c.fail(`axis ${axis} is out of range for X ${pc.formatShape(x.shape)}; expected -${x.rank} to ${x.rank - 1}`);
    const first = axis < 0 ? axis + x.rank : axis;
    const normalizedShape = x.shape.slice(first);
    for (const [i, name] of [[1, 'Scale'], [2, 'B']] as const) {
      const t = c.inputs[i] ? c.tensor(i) : undefined;
      const aligned = normalizedShape.slice(normalizedShape.length - (t?.rank ?? 0));
      if (t && (t.rank > normalizedShape.length || t.shape.some((d, k) => d !== 1 && d !== aligned[k]))) {
        c.fail(`${name} ${pc.formatShape(t.shape)} must broadcast to the normalized axes ${pc.formatShape(normalizedShape)} of X ${pc.formatShape(x.shape)} (axis ${axis})`);
      }
    }
    const scaled = pc.mul(standardize(x, range(first, x.rank), c.float('epsilon', 1e-5)), c.tensor(1));
    return c.inputs[2] ? pc.add(scaled, c.tensor(2)) : scaled;
  },
  // X / (bias + alpha / size · Σ X²)^beta, the sum over the channels from c − ⌊(size − 1)/2⌋ to
  // c + ⌈(size − 1)/2⌉ that exist: the squares padded with zeros along C, `size` shifted views added.
  LRN: (c) => {
    const x = channelsFirstInput(c, 2);
    const size = c.int('size', 0);
    if (!(Number.isInteger(size) && size >= 1)) c.fail(`size ${size} must be a positive integer (the attribute is required)`);
    const [alpha, beta, bias] = [c.float('alpha', 1e-4), c.float('beta', 0.75), c.float('bias', 1)];
    const channels = x.shape[1]!;
    const squares = pc.pad(pc.square(x), x.shape.map((_, a): [number, number] => (a === 1 ? [Math.floor((size - 1) / 2), Math.ceil((size - 1) / 2)] : [0, 0])));
    const sum = range(0, size).map((shift) => pc.slice(squares, x.shape.map((_, a) => (a === 1 ? shift : 0)), x.shape.map((d, a) => (a === 1 ? channels : d)))).reduce((a, b) => pc.add(a, b));
    return pc.div(x, pc.pow(pc.add(pc.mul(sum, alpha / size), bias), beta));
  },
};
