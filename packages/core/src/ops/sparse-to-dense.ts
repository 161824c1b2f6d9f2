import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { notEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { ones } from './creation.js';
import { scatterND } from './gather-nd.js';
import { broadcastTo } from './broadcast-to.js';
import { reshape } from './reshape.js';
import { where } from './where.js';

/**
 * tf.sparseToDense: a tensor of `outputShape` holding `defaultValue` except at `sparseIndices`
 * ([N, rank] coordinates, or [N] / a scalar for a vector), which hold `sparseValues` ([N], or
 * one scalar for all). The indices are read back and checked as TensorFlow's kernel does (in
 * range, no repeats); the values are scattered with ops, so gradients reach sparseValues and
 * defaultValue.
 */
export function sparseToDense(sparseIndices: TensorLike, sparseValues: TensorLike, outputShape: readonly number[], defaultValue: TensorLike = 0): Tensor {
  return withTensors('sparseToDense', [sparseValues, defaultValue], (values, fallback) => withTensors('sparseToDense', [sparseIndices], (indices) => {
    const shapeText = JSON.stringify(outputShape);
    if (!Array.isArray(outputShape) || outputShape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`sparseToDense: outputShape must be a list of non-negative integers, got ${shapeText}`);
    if (indices.dtype !== 'int32' || indices.rank > 2) throw new Error(`sparseToDense: sparseIndices must be int32 of rank <= 2, got ${indices.dtype} ${formatShape(indices.shape)}`);
    const count = indices.rank === 0 ? 1 : indices.shape[0]!;
    const width = indices.rank === 2 ? indices.shape[1]! : 1;
    if (width !== outputShape.length) throw new Error(`sparseToDense: sparseIndices ${formatShape(indices.shape)} address ${width} dimensions but outputShape ${shapeText} has ${outputShape.length}`);
    if (values.rank > 1 || (values.rank === 1 && values.shape[0] !== count)) throw new Error(`sparseToDense: sparseValues must be a scalar or have ${count} entries (one per index), got ${formatShape(values.shape)}`);
    if (fallback.rank !== 0 || fallback.dtype !== values.dtype) throw new Error(`sparseToDense: defaultValue must be a scalar of sparseValues' dtype ${values.dtype}, got ${fallback.dtype} ${formatShape(fallback.shape)}`);
    const coordinates = indices.dataSync();
    const seen = new Set<number>();
    for (let n = 0; n < count; n++) {
      const tuple = Array.from(coordinates.subarray(n * width, (n + 1) * width));
      if (tuple.some((v, d) => v < 0 || v >= outputShape[d]!)) throw new Error(`sparseToDense: index ${n} [${tuple.join(',')}] is out of bounds of outputShape ${shapeText}`);
      const flat = tuple.reduce((f, v, d) => f * outputShape[d]! + v, 0);
      if (seen.has(flat)) throw new Error(`sparseToDense: index ${n} [${tuple.join(',')}] repeats an earlier one`);
      seen.add(flat);
    }
    return tidy(() => {
      const tuples = reshape(indices, [count, width]);
      const placed = scatterND(tuples, broadcastTo(values, [count]), outputShape);
      // A mask rather than a blend, so that an infinite default cannot leak NaN (inf · 0) into placed values.
      const covered = notEqual(scatterND(tuples, ones([count], 'int32'), outputShape), 0);
      return where(covered, placed, broadcastTo(fallback, outputShape));
    });
  }, 'int32'));
}
