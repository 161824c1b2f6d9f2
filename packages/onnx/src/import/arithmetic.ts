import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import { ONNX_TYPE } from '../proto.js';
import type { Interpreter, NodeContext } from './interpreters.js';
import { elementwise, flooredRemainder, isStatic, truncatedRemainder } from './static-arithmetic.js';
import type { StaticValue } from './values.js';

// Elementwise arithmetic and logic. When every input is a StaticValue (shape arithmetic such as
// the batch times a constant) the result is computed in numbers and stays static, so a Reshape
// or Expand further on can read it; otherwise the inputs become tensors and core computes it.

/** The type a folded result has: the first input's, or a fixed one (bool for comparisons). */
type ResultType = (operands: readonly StaticValue[]) => number;
const likeFirst: ResultType = (operands) => operands[0]!.onnxType;
const bool: ResultType = () => ONNX_TYPE.BOOL;

/** An elementwise op over its inputs: folded when all are static, core's `onTensors` otherwise. */
const folding = (onTensors: (c: NodeContext, ...ts: Tensor[]) => Tensor, onNumbers: (...xs: number[]) => number, resultType = likeFirst): Interpreter => (c) => {
  const operands = c.inputs;
  if (operands.length > 0 && operands.every(isStatic)) {
    try {
      return elementwise(c.node.opType ?? '', operands, resultType(operands), onNumbers);
    } catch (error) {
      return c.fail((error as Error).message);
    }
  }
  return onTensors(c, ...c.tensors());
};

const integer = (t: Tensor) => t.dtype === 'int32';

/** a / b rounded towards zero, as onnxruntime divides integers (core's int32 division floors). */
const truncatingDivide = (a: Tensor, b: Tensor): Tensor => pc.tidy(() => pc.mul(pc.mul(pc.sign(a), pc.sign(b)), pc.div(pc.abs(a), pc.abs(b))));

/** Float x rounded towards zero. */
const truncate = (x: Tensor): Tensor => pc.tidy(() => pc.mul(pc.sign(x), pc.floor(pc.abs(x))));

/**
 * Mod: with fmod 0 the remainder takes the divisor's sign (core's mod, integers only, as ONNX
 * asks); with fmod 1 the dividend's, as C's fmod: a − trunc(a / b)·b.
 */
const mod: Interpreter = (c) => {
  const fmod = c.int('fmod', 0) === 1;
  const floats = c.inputs.some((v) => (isStatic(v) ? v.onnxType === ONNX_TYPE.FLOAT : v?.dtype === 'float32'));
  if (floats && !fmod) c.fail('fmod 0 (the remainder with the divisor\'s sign) is defined for integers only; float inputs need fmod 1');
  return folding((_, a, b) => {
    if (!fmod) return pc.mod(a, b);
    return pc.tidy(() => pc.sub(a, pc.mul(integer(a) ? truncatingDivide(a, b) : truncate(pc.div(a, b)), b)));
  }, fmod ? truncatedRemainder : flooredRemainder)(c);
};

/** IsInf: which infinities count is chosen by detect_negative and detect_positive (both by default). */
const isInf: Interpreter = (c) => {
  const x = c.tensor(0);
  const [negative, positive] = [c.int('detect_negative', 1) === 1, c.int('detect_positive', 1) === 1];
  if (negative && positive) return pc.isInf(x);
  if (!negative && !positive || integer(x)) return pc.fill(x.shape, false);
  return pc.equal(x, positive ? Infinity : -Infinity);
};

export const ARITHMETIC_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  Add: folding((_, a, b) => pc.add(a, b), (a, b) => a! + b!),
  Sub: folding((_, a, b) => pc.sub(a, b), (a, b) => a! - b!),
  Mul: folding((_, a, b) => pc.mul(a, b), (a, b) => a! * b!),
  // Integers divide towards zero, as onnxruntime's do (a folded quotient is truncated when stored).
  Div: folding((_, a, b) => (integer(a) ? truncatingDivide(a, b) : pc.div(a, b)), (a, b) => a! / b!),
  Mod: mod,
  // Variadic and broadcasting; Mean divides the sum by the count.
  Sum: folding((_, ...ts) => ts.reduce((a, b) => pc.add(a, b)), (...xs) => xs.reduce((a, b) => a + b)),
  Mean: folding((_, ...ts) => pc.div(ts.reduce((a, b) => pc.add(a, b)), ts.length), (...xs) => xs.reduce((a, b) => a + b) / xs.length),
  Equal: folding((_, a, b) => pc.equal(a, b), (a, b) => Number(a === b), bool),
  And: folding((_, a, b) => pc.logicalAnd(a, b), (a, b) => Number(a && b), bool),
  Or: folding((_, a, b) => pc.logicalOr(a, b), (a, b) => Number(a || b), bool),
  Xor: folding((_, a, b) => pc.logicalXor(a, b), (a, b) => Number(!a !== !b), bool),
  Where: folding((_, condition, a, b) => pc.where(condition, a, b), (condition, a, b) => (condition ? a! : b!), (operands) => operands[1]!.onnxType),
  Reciprocal: (c) => pc.reciprocal(c.tensor(0)),
  IsNaN: (c) => pc.isNaN(c.tensor(0)),
  IsInf: isInf,
};
