import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';
import { normalizeAxis } from './static-arithmetic.js';

// ONNX's normalization ops, channels first (X [N, C, ...]): BatchNormalization with its running
// statistics or (training_mode 1) the batch's, InstanceNormalization over each sample's channel,
// LayerNormalization over the trailing axes, GroupNormalization, MeanVarianceNormalization over given axes,
// LpNormalization along one axis, and LRN across neighbouring channels.

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** A per-channel parameter [C] shaped [1, C, 1, ...] to broadcast against X [N, C, ...]. */
function perChannel(c: NodeContext, i: number, name: string, x: Tensor): Tensor {
  const t = c.tensor(i);
  const channels = x.shape[1];
  if (t.rank !== 1 || t.shape[0] !== channels) c.fail(`${name} must be [C] for X ${pc.formatShape(x.shape)}, [${channels}], got ${pc.formatShape(t.shape)}`);
  return pc.reshape(t, [1, channels!, ...x.shape.slice(2).map(() => 1)]);
}

/** Whether the node names its output `i` (optional outputs left out are absent or ''). */
const wants = (c: NodeContext, i: number): boolean => Boolean((c.node.output ?? [])[i]);

/** x standardized over `axes` — (x − mean) · invStdDev, invStdDev = 1 / √(variance + epsilon) — with the moments kept (of size 1 along `axes`). */
function standardize(x: Tensor, axes: number[], epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor; invStdDev: Tensor } {
  const { mean, variance } = pc.moments(x, axes, true);
  const invStdDev = pc.rsqrt(pc.add(variance, epsilon));
  return { y: pc.mul(pc.sub(x, mean), invStdDev), mean, variance, invStdDev };
}

/** X of rank 2 or more, [N, C, ...]. */
function channelsFirstInput(c: NodeContext, least: number): Tensor {
  const x = c.tensor(0);
  if (x.rank < least) c.fail(`expected X of rank ${least} or more ([N, C${least > 2 ? ', ...spatial' : ', ...'}]), got X ${pc.formatShape(x.shape)}`);
  return x;
}

export const NORMALIZATION: Readonly<Record<string, Interpreter>> = {
  // Inference: the running mean and variance given as inputs 3 and 4. Training (training_mode 1,
  // opset 14 on): the batch's mean and (biased) variance over every axis but C, and the running
  // statistics moved towards them: input · momentum + batch's · (1 − momentum).
  BatchNormalization: (c) => {
    const x = channelsFirstInput(c, 2);
    const [scale, bias, mean, variance] = (['scale', 'B', 'input_mean', 'input_var'] as const).map((name, i) => perChannel(c, i + 1, name, x));
    const epsilon = c.float('epsilon', 1e-5);
    const training = c.int('training_mode', 0);
    if (training !== 0 && training !== 1) c.fail(`training_mode ${training} must be 0 or 1`);
    const statistics = [1, 2, 3, 4].some((i) => wants(c, i));
    if (c.opset < 14 && statistics) c.fail(`the outputs beyond Y (training in opset ${c.opset}) are not supported; only Y, or opset 14 on with training_mode 1`);
    if (training === 0) {
      if (statistics) c.fail('the outputs running_mean and running_var are only given in training (training_mode 1)');
      return pc.batchNorm(x, mean!, variance!, bias, scale, epsilon);
    }
    const batch = standardize(x, [0, ...range(2, x.rank)], epsilon);
    const momentum = c.float('momentum', 0.9);
    const running = (given: Tensor, current: Tensor) => pc.reshape(pc.add(pc.mul(given, momentum), pc.mul(current, 1 - momentum)), [x.shape[1]!]);
    return [pc.add(pc.mul(batch.y, scale!), bias!), running(mean!, batch.mean), running(variance!, batch.variance)];
  },
  InstanceNormalization: (c) => {
    const x = channelsFirstInput(c, 3);
    const normalized = standardize(x, range(2, x.rank), c.float('epsilon', 1e-5)).y;
    return pc.add(pc.mul(normalized, perChannel(c, 1, 'scale', x)), perChannel(c, 2, 'B', x));
  },
  // Over axes [axis, rank); Scale and B broadcast to those axes' shape. The optional outputs
  // Mean and InvStdDev are X's shape with those axes 1.
  LayerNormalization: (c) => {
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
    const { y, mean, invStdDev } = standardize(x, range(first, x.rank), c.float('epsilon', 1e-5));
    const scaled = pc.mul(y, c.tensor(1));
    const shifted = c.inputs[2] ? pc.add(scaled, c.tensor(2)) : scaled;
    return wants(c, 1) || wants(c, 2) ? [shifted, mean, invStdDev] : shifted;
  },
  // Each sample's channels in num_groups groups, each group standardized over its channels and
  // spatial axes; scale and bias per group [G] (opset 18) or per channel [C] (opset 21 on).
  GroupNormalization: (c) => {
    const x = channelsFirstInput(c, 2);
    const groups = c.int('num_groups', 0);
    const channels = x.shape[1]!;
    if (!(Number.isInteger(groups) && groups >= 1 && channels % groups === 0)) c.fail(`num_groups ${groups} must be a positive divisor of the ${channels} channels of X ${pc.formatShape(x.shape)} (the attribute is required)`);
    const grouped = pc.reshape(x, [x.shape[0]!, groups, channels / groups, ...x.shape.slice(2)]);
    const y = pc.reshape(standardize(grouped, range(2, grouped.rank), c.float('epsilon', 1e-5)).y, x.shape);
    const perGroup = c.opset < 21;
    const parameter = (i: number, name: string): Tensor => {
      if (!perGroup) return perChannel(c, i, name, x);
      const t = c.tensor(i);
      if (t.rank !== 1 || t.shape[0] !== groups) c.fail(`${name} must be [num_groups] = [${groups}] in opset ${c.opset} (per channel [C] from opset 21), got ${pc.formatShape(t.shape)}`);
      return pc.reshape(pc.tile(pc.reshape(t, [groups, 1]), [1, channels / groups]), [1, channels, ...x.shape.slice(2).map(() => 1)]);
    };
    return pc.add(pc.mul(y, parameter(1, 'scale')), parameter(2, 'bias'));
  },
  // (X − mean) / (√variance + 1e-9) over `axes` ([0, 2, 3] unless given), as ONNX's function body has it.
  MeanVarianceNormalization: (c) => {
    const x = c.tensor(0);
    const axes = (c.intList('axes') ?? [0, 2, 3]).map((a) => normalizeAxis(a, x.rank, (reason) => c.fail(reason)));
    const { mean, variance } = pc.moments(x, axes, true);
    return pc.div(pc.sub(x, mean), pc.add(pc.sqrt(variance), 1e-9));
  },
  // X / ‖X‖_p along `axis` (-1 unless given), p 1 or 2 (2 unless given); a zero vector stays zero.
  LpNormalization: (c) => {
    const x = c.tensor(0);
    const axis = normalizeAxis(c.int('axis', -1), x.rank, (reason) => c.fail(reason));
    const p = c.int('p', 2);
    if (p !== 1 && p !== 2) c.fail(`p ${p} must be 1 or 2`);
    const norm = p === 1 ? pc.sum(pc.abs(x), axis, true) : pc.sqrt(pc.sum(pc.square(x), axis, true));
    return pc.divNoNan(x, norm);
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
