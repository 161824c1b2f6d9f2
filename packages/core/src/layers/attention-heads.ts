// What MultiHeadAttention and GroupedQueryAttention share: projecting inputs to heads and back,
// the query-key pairs their masks hide, and the masked softmax of the scaled scores.
import { add, maximum, mul, sub } from '../ops/arithmetic.js';
import { equal } from '../ops/compare.js';
import { matMul } from '../ops/matmul.js';
import { expandDims, reshape } from '../ops/reshape.js';
import { softmax } from '../ops/softmax.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { stepsAttentionMask, stepsMask, stepsOf, toHeads, type AttentionLayout } from './attention-axes.js';
import { causalMask, MASKED_SCORE } from './attention-parts.js';
import type { CallKwargs } from './layer.js';
import { asWeights, firstMask } from './mask.js';

/** A projection's weights: kernel [features, heads, size] (the output's [heads, size, features]) and bias. */
export interface Projection {
  kernel: Variable;
  bias: Variable | null;
}

/** `x` [batch, ...steps, features] projected to [batch · positions apart, heads, steps attended, size]. */
export function projectToHeads(layout: AttentionLayout, x: Tensor, { kernel, bias }: Projection): Tensor {
  const [features, heads, size] = kernel.shape as [number, number, number];
  const projected = matMul(x, reshape(kernel, [features, heads * size]));
  const biased = bias ? add(projected, reshape(bias, [heads * size])) : projected;
  return toHeads(layout, reshape(biased, [...x.shape.slice(0, -1), heads, size]));
}

/** The heads side by side [..., heads · size] projected by the output projection (kernel [heads, size, features]). */
export function projectFromHeads(attended: Tensor, { kernel, bias }: Projection): Tensor {
  const [heads, size, features] = kernel.shape as [number, number, number];
  const projected = matMul(attended, reshape(kernel, [heads * size, features]));
  return bias ? add(projected, bias) : projected;
}

/**
 * The attention weights [batch, heads, Tq, Tk]: softmax over the key steps of each head's
 * q·k · `scale`, a hidden pair's score (`hidden` [batch, Tq, Tk], 1 where hidden) replaced by a
 * large negative number, as Keras's masked softmax.
 */
export function attentionWeights(queryHeads: Tensor, keyHeads: Tensor, scale: number, hidden: Tensor | null): Tensor {
  const scores = mul(matMul(queryHeads, keyHeads, false, true), scale);
  return softmax(hidden ? where(equal(expandDims(hidden, 1), 0), scores, -MASKED_SCORE) : scores);
}

/**
 * [batch · positions apart, Tq, Tv] float, 1 where a query step may not attend to a key step: a
 * padded query or key (or value) step (the masks from the graph or `kwargs.mask`, [query, value,
 * key]), a pair `kwargs.attentionMask` leaves out, or with `kwargs.useCausalMask` a later key
 * step; null when none is hidden. As Keras's, a padded query row then weighs its keys alike.
 */
export function hiddenPairs(label: string, layout: AttentionLayout, query: Tensor, value: Tensor, key: Tensor, kwargs: CallKwargs): Tensor | null {
  const masks = Array.isArray(kwargs.mask) ? kwargs.mask : [firstMask(kwargs.mask)];
  if (masks.every((m) => m == null) && kwargs.attentionMask === undefined && kwargs.useCausalMask !== true) return null;
  const queryMask = stepsMask(`${label} (query)`, layout, masks[0] ?? null, query.shape);
  const valueMask = stepsMask(`${label} (value)`, layout, masks[1] ?? null, value.shape);
  const keyMask = stepsMask(`${label} (key)`, layout, masks[2] ?? null, key.shape);
  const hidden: Tensor[] = [
    ...(queryMask ? [sub(1, expandDims(asWeights(queryMask), 2))] : []),
    ...[valueMask, keyMask].flatMap((m) => (m ? [sub(1, expandDims(asWeights(m), 1))] : [])),
  ];
  const attentionMask = kwargs.attentionMask as Tensor | undefined;
  if (attentionMask !== undefined) hidden.push(sub(1, asWeights(stepsAttentionMask(label, layout, attentionMask, query.shape, key.shape))));
  if (kwargs.useCausalMask === true) hidden.push(causalMask(stepsOf(layout, query.shape), stepsOf(layout, key.shape)));
  return hidden.length === 0 ? null : hidden.reduce((all, h) => maximum(all, h));
}
