import type { Backend, KernelTensor } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { broadcastShapes, formatShape, sizeOf } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';
import { unbroadcast } from './unbroadcast.js';

function describe(name: string, t: Tensor, transposed: boolean): string {
  return `${name} ${formatShape(t.shape)}${transposed ? ' (transposed)' : ''}`;
}

/** Reshapes (and broadcasts) an operand's storage to `[batch, rows, cols]` for the kernel. */
function asBatch(backend: Backend, t: Tensor, batch: Shape, temporaries: unknown[]): KernelTensor {
  const matrix = t.shape.slice(-2);
  let current: KernelTensor = t;
  const full = [...batch, ...matrix];
  if (sizeOf(t.shape.slice(0, -2)) !== sizeOf(batch)) {
    const alignedShape = [...new Array<number>(full.length - t.rank).fill(1), ...t.shape];
    const aligned = { handle: backend.reshape(t, alignedShape), shape: alignedShape, dtype: t.dtype };
    temporaries.push(aligned.handle);
    current = { handle: backend.broadcastTo(aligned, full), shape: full, dtype: t.dtype };
    temporaries.push(current.handle);
  }
  const shape3 = [sizeOf(batch), matrix[0]!, matrix[1]!];
  const handle = backend.reshape(current, shape3);
  temporaries.push(handle);
  return { handle, shape: shape3, dtype: t.dtype };
}

/**
 * Matrix product of the last two dimensions, with leading (batch) dimensions broadcast.
 * `transposeA` / `transposeB` use an operand transposed without materialising it.
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  return withTensors('matMul', [a, b], (x, y) => {
    if (x.rank < 2 || y.rank < 2) {
      throw new Error(`matMul: both operands need rank >= 2, got ${describe('a', x, transposeA)} and ${describe('b', y, transposeB)}`);
    }
    if (x.dtype !== 'float32' || y.dtype !== 'float32') {
      throw new Error(`matMul: operands must be float32, got ${x.dtype} and ${y.dtype}`);
    }
    const [rowsA, innerA] = transposeA ? [x.shape[x.rank - 1]!, x.shape[x.rank - 2]!] : [x.shape[x.rank - 2]!, x.shape[x.rank - 1]!];
    const [innerB, colsB] = transposeB ? [y.shape[y.rank - 1]!, y.shape[y.rank - 2]!] : [y.shape[y.rank - 2]!, y.shape[y.rank - 1]!];
    if (innerA !== innerB) {
      throw new Error(`matMul: inner dimensions differ: ${describe('a', x, transposeA)} has ${innerA} columns, ${describe('b', y, transposeB)} has ${innerB} rows`);
    }
    const batch = broadcastShapes('matMul', x.shape.slice(0, -2), y.shape.slice(0, -2));
    const shape = [...batch, rowsA, colsB];
    return runOp({
      name: 'matMul', inputs: [x, y], shape, dtype: 'float32', attrs: { transposeA, transposeB },
      kernel: (backend) => {
        const temporaries: unknown[] = [];
        try {
          const product = backend.matMul(asBatch(backend, x, batch, temporaries), asBatch(backend, y, batch, temporaries), transposeA, transposeB);
          temporaries.push(product);
          return backend.reshape({ handle: product, shape: [sizeOf(batch), rowsA, colsB], dtype: 'float32' }, shape);
        } finally {
          for (const h of temporaries) backend.disposeHandle(h);
        }
      },
      gradient: (dy, { inputs: [left, right] }, [needA, needB]) => {
        const l = left!;
        const r = right!;
        // Each product is computed only when its operand needs a gradient: the first layer's
        // input never does, and skipping it saves a third of a dense network's backward work.
        const [da, db] = !transposeA && !transposeB ? [() => matMul(dy, r, false, true), () => matMul(l, dy, true, false)]
          : !transposeA ? [() => matMul(dy, r, false, false), () => matMul(dy, l, true, false)]
            : !transposeB ? [() => matMul(r, dy, false, true), () => matMul(l, dy, false, false)]
              : [() => matMul(r, dy, true, true), () => matMul(dy, l, true, true)];
        return [needA ? unbroadcast(da(), l.shape) : null, needB ? unbroadcast(db(), r.shape) : null];
      },
    });
  });
}
