import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { add, div, mul, sub } from './arithmetic.js';
import { bandPart } from './band-part.js';
import { concat } from './concat.js';
import { greater, greaterEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { eye } from './linspace-eye.js';
import { matMul } from './matmul.js';
import { pad } from './pad.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { sqrt, square } from './unary.js';
import { where } from './where.js';

/**
 * tf.linalg.qr: x = QR for each innermost [M, N] matrix, by Householder reflections, returning
 * [q, r]. With K = min(M, N), Q is [..., M, K] and R [..., K, N]; fullMatrices gives Q [..., M, M]
 * and R [..., M, N].
 *
 * Signs follow TensorFlow (Eigen's HouseholderQR on CPU, LAPACK's geqrf on GPU, and NumPy): step
 * j reflects the column below and on the diagonal, x, onto β·e₁ with β = −sign(x₁)·‖x‖ (sign 0
 * counting as +), so R's diagonal has the opposite sign of each pivot — but when the entries below
 * the pivot are already all 0 (always so at the last row of a square or wide matrix) there is no
 * reflection and R keeps the pivot's sign: qr(I) is (I, I). tfjs reflects there too, which flips
 * the last row of R and the last column of Q of a square matrix, and gives qr(I) = (−I, −I).
 *
 * Every step is ops on the whole batch, so the gradient comes from them; R is cut to its upper
 * triangle at the end (the entries the reflections zero are only ~1e-7 in float32).
 */
export function qr(x: TensorLike, fullMatrices = false): [Tensor, Tensor] {
  return withTensors('qr', [x], (t) => {
    if (t.rank < 2) throw new Error(`qr: expected a tensor of rank >= 2 (matrices [..., M, N]), got shape ${formatShape(t.shape)}`);
    if (t.dtype !== 'float32') throw new Error(`qr: expected a float32 tensor, got ${t.dtype} of shape ${formatShape(t.shape)}; cast it first`);
    if (typeof fullMatrices !== 'boolean') throw new Error(`qr: fullMatrices must be a boolean, got ${JSON.stringify(fullMatrices)}`);
    const batchShape = t.shape.slice(0, -2);
    const [m, n] = [t.shape[t.rank - 2]!, t.shape[t.rank - 1]!];
    const b = sizeOf(batchShape);
    return tidy(() => {
      let r = reshape(t, [b, m, n]);
      let q = eye(m, m, [b]);
      for (let j = 0; j < Math.min(m - 1, n); j++) {
        const pivot = slice(r, [0, j, j], [b, 1, 1]);
        const below = slice(r, [0, j + 1, j], [b, m - j - 1, 1]);
        const belowSquares = sum(square(below), 1, true);
        const length = sqrt(add(square(pivot), belowSquares));
        // v = x − β·e₁: its first entry adds magnitudes (pivot + sign(pivot)·‖x‖), so nothing cancels.
        const head = where(greaterEqual(pivot, 0), add(pivot, length), sub(pivot, length));
        const v = pad(concat([head, below], 1), [[0, 0], [j, 0], [0, 0]]);
        const reflect = greater(belowSquares, 0);
        // H = I − (2 / vᵀv)·v·vᵀ, or I when nothing lies below the pivot (the divisor then stays away from 0).
        const scale = where(reflect, div(2, where(reflect, add(square(head), belowSquares), 1)), 0);
        r = sub(r, matMul(mul(v, scale), matMul(v, r, true)));
        q = sub(q, matMul(matMul(q, v), mul(v, scale), false, true));
      }
      const thin = !fullMatrices && m > n;
      const qOut = thin ? slice(q, [0, 0, 0], [b, m, n]) : q;
      const rOut = bandPart(thin ? slice(r, [0, 0, 0], [b, n, n]) : r, 0, -1);
      return [reshape(qOut, [...batchShape, m, qOut.shape[2]!]), reshape(rOut, [...batchShape, rOut.shape[1]!, n])] as [Tensor, Tensor];
    });
  });
}
