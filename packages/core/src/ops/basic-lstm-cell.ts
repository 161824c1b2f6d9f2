import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../engine/memory.js';
import { formatShape } from '../util/shape.js';
import { add, mul } from './arithmetic.js';
import { concat } from './concat.js';
import { withTensors, type TensorLike } from './convert.js';
import { matMul } from './matmul.js';
import { split } from './split.js';
import { sigmoid, tanh } from './unary.js';

/**
 * tf.basicLSTMCell, one step of TensorFlow's BasicLSTMCell: [data, h] [batch, inputs + units]
 * times `lstmKernel` [inputs + units, 4 · units] plus `lstmBias` [4 · units], split into the
 * input gate i, the candidate j, the forget gate f and the output gate o (in that order); then
 * c' = c · σ(f + forgetBias) + σ(i) · tanh(j) and h' = tanh(c') · σ(o). Returns [c', h'].
 */
export function basicLSTMCell(forgetBias: TensorLike, lstmKernel: TensorLike, lstmBias: TensorLike, data: TensorLike, c: TensorLike, h: TensorLike): [Tensor, Tensor] {
  const op = 'basicLSTMCell';
  return withTensors(op, [forgetBias, lstmKernel, lstmBias, data, c, h], (bias, kernel, gateBias, x, cell, hidden) => {
    const units = cell.shape[1]!;
    const rows = (x.shape[1] ?? 0) + (hidden.shape[1] ?? 0);
    if (x.rank !== 2 || cell.rank !== 2 || hidden.rank !== 2 || kernel.rank !== 2 || kernel.shape[0] !== rows || kernel.shape[1] !== 4 * units || hidden.shape[1] !== units || gateBias.rank !== 1 || gateBias.shape[0] !== 4 * units) {
      throw new Error(
        `${op}: expected data [batch, inputs], c and h [batch, units], lstmKernel [inputs + units, 4 · units] and lstmBias [4 · units]; got data ${formatShape(x.shape)}, c ${formatShape(cell.shape)}, h ${formatShape(hidden.shape)}, lstmKernel ${formatShape(kernel.shape)}, lstmBias ${formatShape(gateBias.shape)}`,
      );
    }
    return tidy(() => {
      const [i, j, f, o] = split(add(matMul(concat([x, hidden], 1), kernel), gateBias), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
      const newC = add(mul(cell, sigmoid(add(f, bias))), mul(sigmoid(i), tanh(j)));
      return [newC, mul(tanh(newC), sigmoid(o))] as [Tensor, Tensor];
    });
  });
}
