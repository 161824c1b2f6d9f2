// MultiHeadAttention's attentionAxes on inputs of rank 4 and 5, against the same layer's rank-3
// attention (checked against float64 loops in training-api-multi-head-attention.test.ts) on the
// inputs rearranged by hand: the attended axes flattened into the steps, the axes kept apart moved
// into the batch. Values, the attention weights, gradients, shapes, configs and bad inputs.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

interface AxesCase {
  name: string;
  attentionAxes: number | number[] | null;
  query: number[];
  value: number[];
  /** The input axes in the order that puts the batch, then the axes apart, then the attended ones, then the features. */
  order: number[];
  /** How many of `order`'s leading axes become the batch (the batch and the axes apart). */
  batchAxes: number;
}

const CASES: AxesCase[] = [
  { name: 'rank 4, every inner axis attended (the default)', attentionAxes: null, query: [2, 2, 3, 4], value: [2, 3, 2, 5], order: [0, 1, 2, 3], batchAxes: 1 },
  { name: 'rank 4, attending along the steps (axis 2) of each row', attentionAxes: [2], query: [2, 3, 2, 4], value: [2, 3, 4, 5], order: [0, 1, 2, 3], batchAxes: 2 },
  { name: 'rank 4, attending along axis 1 (written −3) of each column', attentionAxes: -3, query: [2, 3, 2, 4], value: [2, 4, 2, 5], order: [0, 2, 1, 3], batchAxes: 2 },
  { name: 'rank 5, axes 1 and 3 attended together, axis 2 apart', attentionAxes: [3, 1], query: [1, 2, 2, 3, 4], value: [1, 3, 2, 2, 5], order: [0, 2, 1, 3, 4], batchAxes: 2 },
];

const CONFIG = { numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 3 };

/** `x` rearranged for rank-3 attention: [batch · axes apart, steps attended, features]. */
function toRank3(c: AxesCase, x: pc.Tensor): pc.Tensor {
  const moved = pc.transpose(x, c.order);
  const size = (axes: number[]) => axes.reduce((n, a) => n * moved.shape[a]!, 1);
  const rank = x.rank;
  return pc.reshape(moved, [size(range(0, c.batchAxes)), size(range(c.batchAxes, rank - 1)), moved.shape[rank - 1]!]);
}

/** The rank-3 layer's output y [batch · axes apart, steps, features] laid back out as the query's [batch, ...inner, features]. */
function fromRank3(c: AxesCase, y: pc.Tensor): pc.Tensor {
  const movedShape = c.order.map((axis) => c.query[axis]!);
  const laidOut = pc.reshape(y, [...movedShape.slice(0, -1), y.shape[2]!]);
  return pc.transpose(laidOut, c.order.map((_, axis) => c.order.indexOf(axis)));
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** An input's mask [batch, ...inner] rearranged as toRank3 rearranges the input: [batch · axes apart, steps attended]. */
function maskToRank3(c: AxesCase, mask: pc.Tensor): pc.Tensor {
  const moved = pc.transpose(mask, c.order.slice(0, -1));
  const size = (axes: number[]) => axes.reduce((n, a) => n * moved.shape[a]!, 1);
  return pc.reshape(moved, [size(range(0, c.batchAxes)), size(range(c.batchAxes, mask.rank))]);
}

/** Random bools, about `shown` of them true. */
function bools(shape: number[], seed: number, shown: number): pc.Tensor {
  return pc.tensor(draws(shape.reduce((a, b) => a * b, 1), seed, 0, 1).map((d) => (d < shown ? 1 : 0)), shape, 'bool');
}

for (const backend of MODEL_BACKENDS) {
  describe(`MultiHeadAttention's attentionAxes on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
      /** The layer on the inputs as given, the same weights in a layer on the rearranged ones, both with the attention weights returned. */
      const setUp = () => {
        const [q, v] = [pc.tensor(draws(size(c.query), 1, -1, 1), c.query), pc.tensor(draws(size(c.value), 2, -1, 1), c.value)];
        const layer = new pc.MultiHeadAttention({ ...CONFIG, attentionAxes: c.attentionAxes, returnAttentionScores: true });
        const flat = new pc.MultiHeadAttention({ ...CONFIG, returnAttentionScores: true });
        layer.ensureBuilt([q.shape, v.shape]);
        flat.ensureBuilt([[1, 1, c.query.at(-1)!], [1, 1, c.value.at(-1)!]]);
        pc.tidy(() => layer.weights.forEach((w, i) => {
          w.assign(pc.tensor(draws(w.size, 10 + i, -0.8, 0.8), w.shape));
          flat.weights[i]!.assign(w);
        }));
        return { q, v, layer, flat };
      };

      it('gives the output and the attention weights of rank-3 attention on the rearranged inputs', () => {
        const { q, v, layer, flat } = setUp();
        const [output, scores] = layer.apply([q, v]) as pc.Tensor[];
        const [flatOutput, flatScores] = flat.apply([toRank3(c, q), toRank3(c, v)]) as pc.Tensor[];
        const want = fromRank3(c, flatOutput!);
        expect(output!.shape).toEqual([...c.query.slice(0, -1), CONFIG.outputShape]);
        expectClose(output!.dataSync(), want.dataSync(), 1e-5, 1e-6);
        // [batch, ...axes apart, heads, ...query axes attended, ...key axes attended].
        const attended = c.order.slice(c.batchAxes, -1);
        const apart = c.order.slice(1, c.batchAxes);
        expect(scores!.shape).toEqual([c.query[0], ...apart.map((a) => c.query[a]), CONFIG.numHeads, ...attended.map((a) => c.query[a]), ...attended.map((a) => c.value[a])]);
        expectClose(scores!.dataSync(), flatScores!.dataSync(), 1e-5, 1e-6);
        pc.dispose([q, v, output!, scores!, flatOutput!, flatScores!, want]);
        [layer, flat].forEach((l) => l.dispose());
      });

      const apart = c.order.slice(1, c.batchAxes);
      const attended = c.order.slice(c.batchAxes, -1);
      const sizeOf = (shape: number[], axes: number[]) => axes.reduce((n, a) => n * shape[a]!, 1);
      // Keras's attention mask: the attention weights' shape without the heads axis; for rank-3 attention [batch · axes apart, Tq, Tk].
      const attentionMaskShape = [c.query[0]!, ...apart.map((a) => c.query[a]!), ...attended.map((a) => c.query[a]!), ...attended.map((a) => c.value[a]!)];
      const rank3AttentionMaskShape = [sizeOf(c.query, [0, ...apart]), sizeOf(c.query, attended), sizeOf(c.value, attended)];

      it.each(['the query\'s and the value\'s masks', 'an attention mask and the causal mask'])('hides what %s hide, as rank-3 attention with the masks rearranged', (which) => {
        const { q, v, layer, flat } = setUp();
        const [queryMask, valueMask] = [bools(c.query.slice(0, -1), 20, 0.75), bools(c.value.slice(0, -1), 21, 0.75)];
        const attentionMask = bools(attentionMaskShape, 22, 0.7);
        const [given, rearranged] = which.startsWith('the query')
          ? [{ mask: [queryMask, valueMask] }, { mask: [maskToRank3(c, queryMask), maskToRank3(c, valueMask)] }]
          : [{ attentionMask, useCausalMask: true }, { attentionMask: pc.reshape(attentionMask, rank3AttentionMaskShape), useCausalMask: true }];
        const [output, scores] = layer.apply([q, v], given) as pc.Tensor[];
        const [flatOutput, flatScores] = flat.apply([toRank3(c, q), toRank3(c, v)], rearranged) as pc.Tensor[];
        const want = fromRank3(c, flatOutput!);
        expectClose(output!.dataSync(), want.dataSync(), 1e-5, 1e-6);
        expectClose(scores!.dataSync(), flatScores!.dataSync(), 1e-5, 1e-6);
        pc.dispose([q, v, output!, scores!, flatOutput!, flatScores!, want, queryMask, valueMask, attentionMask]);
        [layer, flat].forEach((l) => l.dispose());
      });

      it('has the gradients of rank-3 attention, with respect to the query, the value and every weight', () => {
        const { q, v, layer, flat } = setUp();
        const weights = draws(size([...c.query.slice(0, -1), CONFIG.outputShape]), 5, -1, 1);
        const gradients = (apply: (q: pc.Tensor, v: pc.Tensor) => pc.Tensor, variables: pc.Variable[]): number[][] => {
          const tape = new pc.GradientTape();
          const loss = tape.record(() => {
            tape.watch(q);
            tape.watch(v);
            const y = apply(q, v);
            return pc.sum(pc.mul(y, pc.tensor(weights, y.shape)));
          });
          const grads = tape.gradient(loss, [q, v, ...variables]);
          const values = grads.map((g) => Array.from(g!.dataSync()));
          pc.dispose([loss, ...grads.filter((g): g is pc.Tensor => g !== null)]);
          return values;
        };
        const got = gradients((x, y) => (layer.apply([x, y]) as pc.Tensor[])[0]!, layer.weights);
        const want = gradients((x, y) => fromRank3(c, (flat.apply([toRank3(c, x), toRank3(c, y)]) as pc.Tensor[])[0]!), flat.weights);
        got.forEach((g, i) => expectClose(g, want[i]!, 1e-5, 1e-6));
        pc.dispose([q, v]);
        [layer, flat].forEach((l) => l.dispose());
      });
    });

    it('reads symbolic shapes, round-trips its config, and refuses axes, inputs and masks it cannot attend with', () => {
      const input = pc.Input({ shape: [3, 2, 4] });
      const [output, scores] = new pc.MultiHeadAttention({ ...CONFIG, attentionAxes: [1], returnAttentionScores: true }).apply([input, input]) as pc.SymbolicTensor[];
      expect(output!.shape).toEqual([null, 3, 2, 3]);
      expect(scores!.shape).toEqual([null, 2, 2, 3, 3]);
      const layer = new pc.MultiHeadAttention({ ...CONFIG, attentionAxes: [2, 1], name: 'mha' });
      expect(layer.getConfig()['attentionAxes']).toEqual([2, 1]);
      expect(pc.deserializeLayer(pc.serializeLayer(layer)).getConfig()).toEqual(layer.getConfig());

      expect(() => new pc.MultiHeadAttention({ ...CONFIG, attentionAxes: [1.5] })).toThrow('MultiHeadAttention: attentionAxes must be an axis or a list of axes (integers), got [1.5]');
      const [q, v] = [pc.ones([1, 2, 3, 4]), pc.ones([1, 2, 5, 4])];
      expect(() => new pc.MultiHeadAttention({ ...CONFIG, attentionAxes: [3], name: 'a' }).apply([q, v])).toThrow(
        "MultiHeadAttention 'a': attentionAxes [3] must name axes between the batch and the features (1 to 2, or -3 to -2) of inputs of rank 4",
      );
      expect(() => new pc.MultiHeadAttention({ ...CONFIG, attentionAxes: [2], name: 'b' }).apply([q, pc.ones([1, 3, 5, 4])])).toThrow(
        "MultiHeadAttention 'b': expected the query and the value alike along the axes not attended over (1), got [1,2,3,4], [1,3,5,4]",
      );
      expect(() => layer.apply([q, pc.ones([1, 2, 5])])).toThrow(
        "MultiHeadAttention 'mha': expected [query, value] or [query, value, key], each [batch, ...steps, features] of one rank (at least 3), got [1,2,3,4], [1,2,5]",
      );
      expect(() => layer.apply([q, v], { mask: [pc.ones([1, 3, 2], 'bool'), null] })).toThrow(
        "MultiHeadAttention 'mha' (query): expected a mask of shape [1,2,3] ([batch, ...positions] of the input [1,2,3,4]), got [1,3,2]",
      );
      expect(() => layer.apply([q, v], { attentionMask: pc.ones([1, 6, 10], 'bool') })).toThrow(
        "MultiHeadAttention 'mha': expected attentionMask of shape [1,2,3,2,5] ([batch, ...axes apart, ...query axes attended, ...key axes attended]), got [1,6,10]",
      );
      pc.dispose([q, v]);
      layer.dispose();
    });
  });
}
