import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { broadcastShapes, formatShape, shapesEqual } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import { runOp } from './run-op.js';
import { unbroadcast } from './unbroadcast.js';

/** Repeats `x` along its size-1 (or missing leading) dimensions to reach `shape`. */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  return withTensors('broadcastTo', [x], (t) => {
    const target = broadcastShapes('broadcastTo', t.shape, shape);
    if (!shapesEqual(target, shape)) {
      throw new Error(`broadcastTo: a tensor of shape ${formatShape(t.shape)} cannot be broadcast to ${formatShape(shape)}`);
    }
    if (shapesEqual(t.shape, shape)) return reshape(t, shape);
    const aligned = t.rank === shape.length ? t : reshape(t, [...new Array<number>(shape.length - t.rank).fill(1), ...t.shape]);
    try {
      return runOp({
        name: 'broadcastTo', inputs: [aligned], shape: [...shape], dtype: t.dtype, attrs: { shape: [...shape] },
        kernel: (backend) => backend.broadcastTo(aligned, shape),
        gradient: (dy, { inputs: [input] }) => [unbroadcast(dy, input!.shape)],
      });
    } finally {
      if (aligned !== t) aligned.dispose();
    }
  });
}
