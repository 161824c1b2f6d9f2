// What the MultiHeadAttention and GroupedQueryAttention tests share: a case's inputs, masks and
// drawn projections, and multi-head attention in float64 loops from Keras 3's definition: the
// query projected to its heads, the key and value to theirs
// (query head n reads key/value head ⌊n / repeats⌋, as Keras's ops.repeat on the heads axis;
// one each for MultiHeadAttention), scores q·k/√keyDim with hidden pairs (padded steps, an
// attention mask, later steps under the causal mask) set to −1e9, softmax, the weighted values,
// the heads projected back.
import * as pc from '@perceptron/core';
import { draws, softmaxRow } from './training-api-layer-checks.js';

/** A case's inputs: [batch 2, steps, features] each, and what hides query-key pairs. */
export interface AttentionInputs {
  /** Steps and features of the query, the value and (when given) the key. */
  query: [number, number];
  value: [number, number];
  key?: [number, number];
  /** [batch 2, steps], 1 at data. */
  queryMask?: number[];
  valueMask?: number[];
  /** [batch 2, Tq, Tv], 1 where a query step may attend. */
  attentionMask?: number[];
  causal?: boolean;
}

/** The heads: how many the query has and the key and value share, and each head's sizes. */
export interface AttentionHeads {
  queryHeads: number;
  keyValueHeads: number;
  keyDim: number;
  valueDim: number;
  /** The output's features. */
  outputDim: number;
}

/** A projection's kernel [features, heads, size] (the output's [heads, valueDim, outputDim]) and bias, flat. */
export interface ProjectionValues {
  kernel: number[];
  bias: number[] | null;
}

export interface AttentionWeights {
  query: ProjectionValues;
  key: ProjectionValues;
  value: ProjectionValues;
  output: ProjectionValues;
}

export const ATTENTION_BATCH = 2;

/** The layer's output [batch, Tq, outputDim] and attention weights [batch, query heads, Tq, Tv] in float64, sample by sample and head by head. */
export function attentionReference(c: AttentionInputs, h: AttentionHeads, w: AttentionWeights, q: readonly number[], v: readonly number[], k: readonly number[]): { output: number[]; weights: number[] } {
  const repeats = h.queryHeads / h.keyValueHeads;
  const [tq, dq] = c.query;
  const [tv, dv] = c.value;
  const dk = (c.key ?? c.value)[1];
  /** Row t of x [batch, steps, features] projected by head n of a projection of `count` heads of `size`. */
  const project = (x: readonly number[], b: number, t: number, steps: number, features: number, p: ProjectionValues, n: number, count: number, size: number) =>
    Array.from({ length: size }, (_, j) => {
      let total = p.bias ? p.bias[n * size + j]! : 0;
      for (let f = 0; f < features; f++) total += x[(b * steps + t) * features + f]! * p.kernel[(f * count + n) * size + j]!;
      return total;
    });
  const output: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < ATTENTION_BATCH; b++) {
    const attended = Array.from({ length: tq }, () => new Array<number>(h.queryHeads * h.valueDim).fill(0));
    for (let n = 0; n < h.queryHeads; n++) {
      const shared = Math.floor(n / repeats);
      const keys = Array.from({ length: tv }, (_, s) => project(k, b, s, tv, dk, w.key, shared, h.keyValueHeads, h.keyDim));
      const values = Array.from({ length: tv }, (_, s) => project(v, b, s, tv, dv, w.value, shared, h.keyValueHeads, h.valueDim));
      for (let t = 0; t < tq; t++) {
        const qh = project(q, b, t, tq, dq, w.query, n, h.queryHeads, h.keyDim);
        const scores = keys.map((kh, s) => {
          const hidden = c.queryMask?.[b * tq + t] === 0 || c.valueMask?.[b * tv + s] === 0
            || c.attentionMask?.[(b * tq + t) * tv + s] === 0 || (c.causal && s > t);
          return hidden ? -1e9 : qh.reduce((sum, value, j) => sum + value * kh[j]!, 0) / Math.sqrt(h.keyDim);
        });
        const row = softmaxRow(scores);
        weights.push(...row);
        for (let j = 0; j < h.valueDim; j++) attended[t]![n * h.valueDim + j] = row.reduce((sum, weight, s) => sum + weight * values[s]![j]!, 0);
      }
    }
    for (let t = 0; t < tq; t++) {
      for (let o = 0; o < h.outputDim; o++) {
        let total = w.output.bias ? w.output.bias[o]! : 0;
        attended[t]!.forEach((value, i) => (total += value * w.output.kernel[i * h.outputDim + o]!));
        output.push(total);
      }
    }
  }
  // Rows were pushed sample by sample, head by head, step by step: [batch, heads, Tq, Tv].
  return { output, weights };
}

/** A case's input values, drawn once: the query, the value and the key (the value when the case has none). */
export function attentionValues(c: AttentionInputs): { q: number[]; v: number[]; k: number[] } {
  const [q, v] = [draws(ATTENTION_BATCH * c.query[0] * c.query[1], 1, -1, 1), draws(ATTENTION_BATCH * c.value[0] * c.value[1], 2, -1, 1)];
  return { q, v, k: c.key ? draws(ATTENTION_BATCH * c.key[0] * c.key[1], 3, -1, 1) : v };
}

type Projection = { kernel: pc.Variable; bias: pc.Variable | null } | null;

/** An attention layer's four projections, as both layers expose them once built. */
export interface AttentionProjections {
  query: Projection;
  key: Projection;
  value: Projection;
  attentionOutput: Projection;
}

/** Sets the four projections of a built layer to draws; returns them. */
export function drawProjections(layer: AttentionProjections): AttentionWeights {
  const projections = [layer.query!, layer.key!, layer.value!, layer.attentionOutput!];
  const drawn = projections.map((p, i) => ({ kernel: draws(p.kernel.size, 10 + i, -0.8, 0.8), bias: p.bias ? draws(p.bias.size, 20 + i, -0.3, 0.3) : null }));
  pc.tidy(() => projections.forEach((p, i) => {
    p.kernel.assign(pc.tensor(drawn[i]!.kernel, p.kernel.shape));
    if (p.bias) p.bias.assign(pc.tensor(drawn[i]!.bias!, p.bias.shape));
  }));
  return { query: drawn[0]!, key: drawn[1]!, value: drawn[2]!, output: drawn[3]! };
}

/** `layer` built for the case's inputs, its projections set to draws; the inputs, the call's masks, and the tensors to free. */
export function setUpAttention<L extends pc.Layer & AttentionProjections>(layer: L, c: AttentionInputs, values: { q: number[]; v: number[]; k: number[] }) {
  const [tq, dq] = c.query;
  const [tv, dv] = c.value;
  const inputs = [pc.tensor(values.q, [ATTENTION_BATCH, tq, dq]), pc.tensor(values.v, [ATTENTION_BATCH, tv, dv]), ...(c.key ? [pc.tensor(values.k, [ATTENTION_BATCH, ...c.key])] : [])];
  layer.ensureBuilt(inputs.map((x) => x.shape));
  const weights = drawProjections(layer);
  const asMask = (mask: number[] | undefined, steps: number) => (mask ? pc.tensor(mask.map((m) => m === 1), [ATTENTION_BATCH, steps], 'bool') : null);
  const masks = [asMask(c.queryMask, tq), asMask(c.valueMask, tv)];
  const attentionMask = c.attentionMask ? pc.tensor(c.attentionMask.map((m) => m === 1), [ATTENTION_BATCH, tq, tv], 'bool') : null;
  const kwargs: pc.CallKwargs = {
    ...(masks.some((m) => m) ? { mask: masks } : {}),
    ...(attentionMask ? { attentionMask } : {}),
    ...(c.causal ? { useCausalMask: true } : {}),
  };
  const owned = [...inputs, ...masks.filter((m) => m !== null), ...(attentionMask ? [attentionMask] : [])];
  return { layer, inputs, weights, kwargs, owned };
}
