import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';

// ONNX's activation ops, each with ONNX's attribute defaults, as core's ops where core has the
// same function (elu, selu, leakyRelu, prelu, softplus, erf) and as compositions of ops otherwise.

/** Selu's defaults in ONNX: Klambauer et al.'s constants as float32 attributes hold them. */
const SELU_ALPHA = 1.67326319217681884765625;
const SELU_GAMMA = 1.05070102214813232421875;

const activation = (f: (x: Tensor, c: NodeContext) => Tensor): Interpreter => (c) => f(c.tensor(0), c);

/** x above 0, alpha · (e^x − 1) at and below; e^x sees at most 0, so the branch not taken cannot overflow. */
const exponentialBelowZero = (x: Tensor, alpha: number): Tensor => pc.where(pc.greater(x, 0), x, pc.mul(pc.expm1(pc.minimum(x, 0)), alpha));

/** max(0, min(1, alpha · x + beta)). */
const hardSigmoid = (x: Tensor, alpha: number, beta: number): Tensor => pc.clipByValue(pc.add(pc.mul(x, alpha), beta), 0, 1);

/** x · ½(1 + erf(x / √2)), or with tanh's approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
function gelu(x: Tensor, c: NodeContext): Tensor {
  const approximate = c.string('approximate', 'none');
  if (approximate === 'tanh') {
    const inner = pc.mul(pc.add(x, pc.mul(pc.mul(x, pc.square(x)), 0.044715)), Math.sqrt(2 / Math.PI));
    return pc.mul(pc.mul(x, 0.5), pc.add(pc.tanh(inner), 1));
  }
  if (approximate !== 'none') c.fail(`approximate '${approximate}' is not one of 'none' and 'tanh'`);
  return pc.mul(pc.mul(x, 0.5), pc.add(pc.erf(pc.mul(x, Math.SQRT1_2)), 1));
}

export const ACTIVATIONS: Readonly<Record<string, Interpreter>> = {
  LeakyRelu: activation((x, c) => pc.leakyRelu(x, c.float('alpha', 0.01))),
  Elu: activation((x, c) => {
    const alpha = c.float('alpha', 1);
    return alpha === 1 ? pc.elu(x) : exponentialBelowZero(x, alpha);
  }),
  Selu: activation((x, c) => {
    const [alpha, gamma] = [c.float('alpha', SELU_ALPHA), c.float('gamma', SELU_GAMMA)];
    return alpha === SELU_ALPHA && gamma === SELU_GAMMA ? pc.selu(x) : pc.mul(exponentialBelowZero(x, alpha), gamma);
  }),
  // max(0, x) + min(0, alpha · (e^(x / alpha) − 1)): ELU of x / alpha, scaled back, below 0.
  Celu: activation((x, c) => {
    const alpha = c.float('alpha', 1);
    if (!(alpha !== 0)) c.fail(`alpha ${alpha} must not be 0 (Celu divides by it)`);
    return pc.where(pc.greater(x, 0), x, pc.mul(pc.expm1(pc.minimum(pc.div(x, alpha), 0)), alpha));
  }),
  // The slope broadcasts to X one way (ONNX's unidirectional broadcasting): the output is X's shape.
  PRelu: (c) => {
    const [x, slope] = [c.tensor(0), c.tensor(1)];
    const aligned = x.shape.slice(x.rank - slope.rank);
    if (slope.rank > x.rank || slope.shape.some((d, i) => d !== 1 && d !== aligned[i])) {
      c.fail(`slope ${pc.formatShape(slope.shape)} must broadcast to X ${pc.formatShape(x.shape)} (each of its sizes, aligned from the last, 1 or X's)`);
    }
    return pc.prelu(x, slope);
  },
  HardSigmoid: activation((x, c) => hardSigmoid(x, c.float('alpha', 0.2), c.float('beta', 0.5))),
  HardSwish: activation((x) => pc.mul(x, hardSigmoid(x, 1 / 6, 0.5))),
  Softplus: activation((x) => pc.softplus(x)),
  Softsign: activation((x) => pc.div(x, pc.add(pc.abs(x), 1))),
  Mish: activation((x) => pc.mul(x, pc.tanh(pc.softplus(x)))),
  ThresholdedRelu: activation((x, c) => pc.where(pc.greater(x, c.float('alpha', 1)), x, 0)),
  Erf: activation((x) => pc.erf(x)),
  Gelu: activation(gelu),
  // x + bias below −lambd, x − bias above lambd, 0 between.
  Shrink: activation((x, c) => {
    const [lambd, bias] = [c.float('lambd', 0.5), c.float('bias', 0)];
    return pc.where(pc.less(x, -lambd), pc.add(x, bias), pc.where(pc.greater(x, lambd), pc.sub(x, bias), 0));
  }),
};
